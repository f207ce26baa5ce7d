/* Placement tables, shared by every classifier's Check suite: a row is a
 * C prototype and where its ABI puts each value; the runner classifies it
 * and compares every placement. */
#ifndef CHECK_TABLE_H
#define CHECK_TABLE_H

#include <check.h>

#include "frame.h"
#include "sbffi.h"

/* Expected placement of one value: where, register number or stack byte
 * offset, and its byte offset in the frame (src/frame.h). */
struct at {
	uint8_t where;
	uint16_t index;
	uint16_t offset;
	uint16_t also;		/* plan.also: the second offset, 0 for none */
};

#define NONE { SB_IN_NONE, 0, 0, 0 }
#define G(n) { SB_IN_GPR, (n), SB_OFF_GPR + (n) * SB_WORD, 0 }
#define X(n) { SB_IN_VEC, (n), SB_OFF_VEC + (n) * SB_WORD, 0 }
/* in vector register n and in general register n too (Win64 varargs) */
#define XG(n) { SB_IN_VEC, (n), SB_OFF_VEC + (n) * SB_WORD, SB_OFF_GPR + (n) * SB_WORD }
/* b: byte offset in the plan's stack area */
#define S(b) { SB_IN_STACK, (b), SB_OFF_STACK + (b), 0 }
#define RG { SB_IN_GPR, 0, SB_OFF_RET_GPR, 0 }
#define RX { SB_IN_VEC, 0, SB_OFF_RET_VEC, 0 }

#define ROW_ARGS 20

struct row {
	const char *abi;
	const char *proto;
	int ret;
	int nargs;
	int args[ROW_ARGS];
	struct at ret_at;
	struct at at[ROW_ARGS];
	unsigned nstack, nvec;
};

/* A variadic call: the arguments from nfixed on are the anonymous ones,
 * written in the prototype after the `...` in parentheses. */
struct vrow {
	int nfixed;
	struct row r;
};

/* Abbreviations that keep each row on a few lines. */
enum {
	V = SB_VOID, B = SB_BOOL, C = SB_CHAR, SC = SB_SCHAR, UC = SB_UCHAR,
	SH = SB_SHORT, US = SB_USHORT, I = SB_INT, U = SB_UINT, L = SB_LONG,
	UL = SB_ULONG, LL = SB_LLONG, ULL = SB_ULLONG, F = SB_FLOAT,
	D = SB_DOUBLE, P = SB_POINTER, W = SB_WCHAR,
};

/* the classifier of that name, failing the test if there is none */
const struct sb_abi *ck_abi(const char *name);
void ck_assert_at(const struct row *r, int i, const struct sb_place *got,
		  const struct at *want);
/* Classify r, its arguments from nfixed on anonymous (nfixed == r->nargs:
 * not variadic), and check every placement and both counts. */
void ck_assert_row(const struct row *r, int nfixed, struct sb_plan *plan);

#endif
