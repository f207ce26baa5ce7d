/* The hooks every classifier implements; registry.c owns the one walker
 * that drives them. Private to the core. */
#ifndef SB_ABI_H
#define SB_ABI_H

#include "sbffi.h"

/* Classification state while one signature is walked. */
struct sb_cstate {
	unsigned ngpr;		/* general registers taken */
	unsigned nvec;		/* vector registers taken */
	unsigned nstack;	/* stack bytes taken */
	unsigned argno;		/* position of the argument being placed */
	unsigned variadic;	/* it is anonymous, after a `...` */
};

struct sb_abi {
	const char *name;
	/* data model */
	uint8_t long_size;
	uint8_t char_signed;
	uint8_t wchar_kind;	/* enum sb_kind of wchar_t; 0 (unset): i32 */
	/* argument registers, in the order the ABI assigns them */
	uint8_t gpr_count, vec_count;
	const char *const *gpr_name;
	const char *const *vec_name;
	/* return registers, first and second */
	const char *ret_gpr_name[2];
	const char *ret_vec_name[2];
	/* place the return value (p->kind is set; never void) */
	void (*ret)(struct sb_place *p);
	/* place argument st->argno (p->kind is set) */
	void (*arg)(struct sb_cstate *st, struct sb_place *p);
};

/* Placement helpers shared by the classifiers. */
void sb_put_gpr(struct sb_cstate *st, struct sb_place *p);
void sb_put_vec(struct sb_cstate *st, struct sb_place *p);
void sb_put_stack(struct sb_cstate *st, struct sb_place *p, unsigned size,
		  unsigned align);
int sb_kind_is_float(enum sb_kind k);

extern const struct sb_abi sb_abi_sysv_x64;
extern const struct sb_abi sb_abi_win64;
extern const struct sb_abi sb_abi_aapcs64, sb_abi_apple_arm64;

#endif
