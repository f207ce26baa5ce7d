/* System V AMD64 psABI (version 1.0), section 3.2.3 "Parameter Passing". */
#include "abi.h"
#include "frame.h"

static const char *const gpr_name[] = { "rdi", "rsi", "rdx", "rcx", "r8", "r9" };
static const char *const vec_name[] = { "xmm0", "xmm1", "xmm2", "xmm3",
					"xmm4", "xmm5", "xmm6", "xmm7" };

/* 3.2.3 "Returning of Values": INTEGER class in rax, SSE class in xmm0. */
static void sysv_ret(struct sb_place *p)
{
	p->where = sb_kind_is_float(p->kind) ? SB_IN_VEC : SB_IN_GPR;
}

/* 3.2.3 "Passing": scalars are one eightbyte; integers and pointers are
 * class INTEGER and take the next free register of rdi..r9, float and
 * double are class SSE and take the next of xmm0..7. The two classes count
 * separately: when one runs out its later arguments go to memory while the
 * other still fills registers. Memory arguments take 8-byte slots in
 * argument order (figure 3.3); narrow integers are widened to 32 bits in
 * their slot, which the ABI leaves undefined but GCC and clang rely on. */
static void sysv_arg(struct sb_cstate *st, struct sb_place *p)
{
	if (sb_kind_is_float(p->kind)) {
		if (st->nvec < 8)
			sb_put_vec(st, p);
		else
			sb_put_stack(st, p, 8, 8);
	} else if (st->ngpr < 6) {
		sb_put_gpr(st, p);
	} else {
		sb_put_stack(st, p, 8, 8);
	}
}

/* 3.2.3 "Classification", the classes an eightbyte can have here (no
 * x87, SSEUP or COMPLEX_X87 type exists in sbffi). */
enum { NO_CLASS, INTEGER, SSE, MEMORY };

struct classes {
	unsigned char eb[2];
};

/* Rule 4 for aggregates: each field merges into the class of the
 * eightbyte it occupies: (a) equal classes stay, (b) NO_CLASS yields to
 * the other, (d) INTEGER wins, (f) otherwise SSE. Rule 1: a field that is
 * not at a multiple of its own alignment (a packed struct) makes the
 * whole aggregate MEMORY; returned as non-zero to stop the walk. */
static int merge_leaf(void *ctx, uint32_t offset, enum sb_kind kind)
{
	struct classes *c = ctx;
	unsigned size = (unsigned)sb_kind_size(kind);
	unsigned char *eb = &c->eb[offset / 8];
	unsigned char cls = sb_kind_is_float(kind) ? SSE : INTEGER;

	if (offset % size)
		return MEMORY;
	if (*eb == NO_CLASS || cls == INTEGER)
		*eb = cls;
	return 0;
}

/* Rules 1-5 and the post merger cleanup (5a: any MEMORY eightbyte makes
 * the whole MEMORY; 5c: over two eightbytes is MEMORY, as nothing here is
 * SSEUP). Returns the count of eightbytes, or 0 for MEMORY. */
static unsigned classify(const struct sb_agginfo *a, struct classes *c)
{
	c->eb[0] = c->eb[1] = NO_CLASS;
	if (a->size > 16 || sb_agg_leaves(a, merge_leaf, c))
		return 0;
	return (a->size + 7) / 8;
}

/* The eightbytes into parts: INTEGER from the next of the GPRs, SSE from
 * the next vector register; a NO_CLASS eightbyte (padding only) takes
 * neither. `ret` picks the return registers instead (rax, rdx; xmm0, xmm1). */
static void place_eightbytes(struct sb_cstate *st, struct sb_place *p,
			     const struct sb_agginfo *a, const struct classes *c,
			     unsigned n, int ret)
{
	unsigned ints = 0, sses = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned size = a->size - i * 8 < 8 ? a->size - i * 8 : 8;

		if (c->eb[i] == INTEGER && ret)
			sb_part_ret(p, SB_IN_GPR, ints++, i * 8, size, SB_CLS_INTEGER);
		else if (c->eb[i] == SSE && ret)
			sb_part_ret(p, SB_IN_VEC, sses++, i * 8, size, SB_CLS_SSE);
		else if (c->eb[i] == INTEGER)
			sb_part_gpr(st, p, i * 8, size, SB_CLS_INTEGER);
		else if (c->eb[i] == SSE)
			sb_part_vec(st, p, i * 8, size, SB_CLS_SSE);
	}
}

static unsigned count(const struct classes *c, unsigned n, unsigned cls)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		k += c->eb[i] == cls;
	return k;
}

/* "Returning of Values": a MEMORY aggregate is written to storage the
 * caller provides, whose address goes in rdi as if it were the first
 * argument (so it takes rdi from the arguments), and comes back in rax.
 * Otherwise INTEGER eightbytes come back in rax then rdx, SSE ones in
 * xmm0 then xmm1, in order. An empty struct (GCC's C size 0) has no
 * eightbyte and returns nothing. */
static void sysv_agg_ret(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	struct classes c;
	unsigned n = classify(a, &c);

	if (a->size == 0) {
		p->pass = SB_PASS_EMPTY;
	} else if (n == 0) {
		p->pass = SB_PASS_REF;
		st->ret_ptr = SB_OFF_GPR + st->ngpr * SB_WORD;
		sb_put_gpr(st, p);
		p->where = SB_IN_GPR;
		p->offset = SB_OFF_RET_GPR;	/* the address, back in rax */
	} else {
		place_eightbytes(st, p, a, &c, n, 1);
	}
}

/* "Passing": a MEMORY aggregate is copied to the stack (rounded up to
 * eightbytes, at its alignment but at least 8); otherwise each eightbyte
 * takes a register of its class, and "if there are no registers
 * available for any eightbyte of an argument, the whole argument is
 * passed on the stack" (no split between registers and memory), while
 * later arguments may still take the registers left. Empty: nothing. */
static void sysv_agg_arg(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	struct classes c;
	unsigned n = classify(a, &c);

	if (a->size == 0) {
		p->pass = SB_PASS_EMPTY;
	} else if (n && st->ngpr + count(&c, n, INTEGER) <= 6 &&
		   st->nvec + count(&c, n, SSE) <= 8) {
		place_eightbytes(st, p, a, &c, n, 0);
	} else {
		p->pass = SB_PASS_STACK;
		sb_put_stack(st, p, (a->size + 7) & ~7u, a->align > 8 ? a->align : 8);
	}
}

const struct sb_abi sb_abi_sysv_x64 = {
	.name = "sysv-x64",
	.long_size = 8,		/* LP64 (3.1.2, figure 3.1) */
	.char_signed = 1,	/* figure 3.1: char is signed */
	.gpr_count = 6,
	.vec_count = 8,
	.gpr_name = gpr_name,
	.vec_name = vec_name,
	.ret_ptr_name = "rdi",
	.ret_gpr_name = { "rax", "rdx" },
	.ret_vec_name = { "xmm0", "xmm1" },
	.ret = sysv_ret,
	.arg = sysv_arg,
	.agg_ret = sysv_agg_ret,
	.agg_arg = sysv_agg_arg,
};
