/* The hooks every classifier implements; registry.c owns the one walker
 * that drives them. Private to the core. */
#ifndef SB_ABI_H
#define SB_ABI_H

#include "frame.h"
#include "sbffi.h"

/* Classification state while one signature is walked. */
struct sb_cstate {
	unsigned ngpr;		/* general registers taken */
	unsigned nvec;		/* vector registers taken */
	unsigned nstack;	/* stack bytes taken */
	unsigned argno;		/* position of the argument being placed */
	unsigned slot;		/* Win64: the next positional slot */
	unsigned variadic;	/* it is anonymous, after a `...` */
	int ret_ptr;		/* frame offset of a hidden result pointer, or -1 */
};

/* An aggregate as a classifier sees it: its layout under the ABI, and a
 * walk over its scalar leaves (array elements one by one; a union's
 * members overlapping). */
struct sb_agginfo {
	const struct sb_registry *reg;
	const struct sb_abi *abi;
	int type;
	uint32_t size, align;
	uint32_t member_align;	/* struct sb_layout */
};

/* Calls fn(ctx, byte offset, kind) for every scalar leaf; stops when fn
 * returns non-zero and returns that. Classifiers walk only aggregates of
 * a few eightbytes, so the walk is short. */
typedef int (*sb_leaf_fn)(void *ctx, uint32_t offset, enum sb_kind kind);
int sb_agg_leaves(const struct sb_agginfo *a, sb_leaf_fn fn, void *ctx);

/* Homogeneous floating-point aggregate test shared by the ABIs that have
 * one (AAPCS64 §5.9.5): 1-4 members of one floating kind, filling the
 * size. Sets *kind and returns the member count, or 0. */
unsigned sb_agg_hfa(const struct sb_agginfo *a, enum sb_kind *kind);

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
	/* where the hidden result pointer goes (plan.ret_ptr) */
	const char *ret_ptr_name;
	/* return registers in order (AAPCS64 returns an HFA in v0-v3) */
	const char *ret_gpr_name[SB_RET_GPR_COUNT];
	const char *ret_vec_name[SB_RET_VEC_COUNT];
	/* place the return value (p->kind is set; never void) */
	void (*ret)(struct sb_place *p);
	/* place argument st->argno (p->kind is set) */
	void (*arg)(struct sb_cstate *st, struct sb_place *p);
	/* an aggregate result, before any argument: parts in the return
	 * slots, or REF with a hidden pointer (st->ret_ptr, taking a register
	 * from the arguments where the ABI says so); p->size is set */
	void (*agg_ret)(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a);
	/* an aggregate argument: PARTS, STACK, REF or EMPTY; p->size is set */
	void (*agg_arg)(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a);
};

/* Placement helpers shared by the classifiers. */
void sb_put_gpr(struct sb_cstate *st, struct sb_place *p);
void sb_put_vec(struct sb_cstate *st, struct sb_place *p);
void sb_put_stack(struct sb_cstate *st, struct sb_place *p, unsigned size,
		  unsigned align);
int sb_kind_is_float(enum sb_kind k);
/* a part of an aggregate: `size` bytes from `from` into the next register
 * of the class (sb_put_gpr, sb_put_vec), or into p's return slot n */
void sb_part_gpr(struct sb_cstate *st, struct sb_place *p, uint32_t from,
		 unsigned size, enum sb_class cls);
void sb_part_vec(struct sb_cstate *st, struct sb_place *p, uint32_t from,
		 unsigned size, enum sb_class cls);
void sb_part_ret(struct sb_place *p, enum sb_where where, unsigned n,
		 uint32_t from, unsigned size, enum sb_class cls);

extern const struct sb_abi sb_abi_sysv_x64;
extern const struct sb_abi sb_abi_win64;
extern const struct sb_abi sb_abi_aapcs64, sb_abi_apple_arm64;

#endif
