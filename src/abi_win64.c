/* Microsoft x64 calling convention ("x64 calling convention", Microsoft
 * Learn, sections "Parameter passing" and "Return values"), and the LLP64
 * data model of Windows ("Data type ranges"). */
#include "abi.h"
#include "frame.h"

static const char *const gpr_name[] = { "rcx", "rdx", "r8", "r9" };
static const char *const vec_name[] = { "xmm0", "xmm1", "xmm2", "xmm3" };

/* "Return values": a scalar that fits in 64 bits comes back in rax;
 * float and double in xmm0. Nothing returns in rdx or xmm1. */
static void win64_ret(struct sb_place *p)
{
	p->where = sb_kind_is_float(p->kind) ? SB_IN_VEC : SB_IN_GPR;
}

/* "Parameter passing": the first four arguments go by position, one slot
 * each: argument n (0-3) takes rcx/rdx/r8/r9[n] if it is an integer or a
 * pointer, xmm[n] if it is a float or a double, and the other register of
 * that position stays unused (why: the callee can home its four register
 * arguments into the caller's shadow space without knowing their types).
 * So the two classes never count separately as on System V, and nothing
 * back-fills; a hidden result pointer takes position 0 (win64_agg_ret).
 * The fifth and later arguments go on the stack in 8-byte slots in
 * argument order, above the 32-byte shadow space ("home area")
 * that the caller always reserves; the plan's stack area starts above it,
 * and the dispatcher reserves the shadow space itself. Narrow integers
 * are written as 32 bits; the bits above the type are undefined. */
static void win64_arg(struct sb_cstate *st, struct sb_place *p)
{
	unsigned slot = st->slot++;	/* a hidden result pointer took slot 0 */

	if (slot >= 4) {
		sb_put_stack(st, p, 8, 8);
	} else if (sb_kind_is_float(p->kind)) {
		st->nvec = slot;		/* positional: xmm<slot> */
		sb_put_vec(st, p);
		/* "Varargs": an anonymous floating-point value goes in the
		 * integer register of its position as well, for a callee that
		 * homes rcx-r9 and walks them with va_arg */
		if (st->variadic)
			p->also = SB_OFF_GPR + slot * SB_WORD;
	} else {
		st->ngpr = slot;		/* positional: rcx, rdx, r8, r9 */
		sb_put_gpr(st, p);
	}
}

/* "Parameter passing": structs and unions of 8, 16, 32 or 64 bits pass
 * "as if they were integers of the same size", whatever their members
 * (two floats travel in rcx, not xmm0); any other size, an empty struct
 * included (GCC's size 0), as a pointer to a copy the caller makes,
 * 16-byte aligned. Either way one positional slot. */
static int as_integer(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static void win64_agg_arg(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	uint32_t size = a->size;

	p->kind = SB_K_PTR;
	win64_arg(st, p);
	p->kind = SB_K_AGG;
	if (as_integer(size)) {
		p->pass = SB_PASS_PARTS;
		p->nparts = 1;
		p->part[0] = (struct sb_part){ .from = 0, .offset = p->offset,
			.size = (uint8_t)size, .cls = SB_CLS_INTEGER, .where = p->where,
			.index = p->index };
	} else {
		p->pass = SB_PASS_REF;
	}
}

/* "Return values": a struct or union of 1, 2, 4 or 8 bytes comes back in
 * rax (a float member too); any other size is written to memory the
 * caller provides, whose address is passed in rcx, shifting the
 * arguments one position right, and returned in rax. An empty struct
 * returns nothing and takes no slot (as GCC does). */
static void win64_agg_ret(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	if (a->size == 0) {
		p->pass = SB_PASS_EMPTY;
	} else if (as_integer(a->size)) {
		sb_part_ret(p, SB_IN_GPR, 0, 0, a->size, SB_CLS_INTEGER);
	} else {
		p->pass = SB_PASS_REF;
		p->where = SB_IN_GPR;
		p->offset = SB_OFF_RET_GPR;	/* the address, back in rax */
		st->ret_ptr = SB_OFF_GPR + 0 * SB_WORD;
		st->slot = 1;
	}
}

const struct sb_abi sb_abi_win64 = {
	.name = "win64",
	.long_size = 4,		/* LLP64: long is 32 bits ("Data type ranges") */
	.char_signed = 1,	/* MSVC: char is signed unless /J */
	.wchar_kind = SB_K_U16,	/* wchar_t is a 16-bit unsigned UTF-16 unit */
	.gpr_count = 4,
	.vec_count = 4,
	.gpr_name = gpr_name,
	.vec_name = vec_name,
	.ret_ptr_name = "rcx",
	.ret_gpr_name = { "rax", NULL },
	.ret_vec_name = { "xmm0", NULL },
	.ret = win64_ret,
	.arg = win64_arg,
	.agg_ret = win64_agg_ret,
	.agg_arg = win64_agg_arg,
};
