/* Microsoft x64 calling convention ("x64 calling convention", Microsoft
 * Learn, sections "Parameter passing" and "Return values"), and the LLP64
 * data model of Windows ("Data type ranges"). */
#include "abi.h"

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
 * back-fills. The fifth and later arguments go on the stack in 8-byte
 * slots in argument order, above the 32-byte shadow space ("home area")
 * that the caller always reserves; the plan's stack area starts above it,
 * and the dispatcher reserves the shadow space itself. Narrow integers
 * are written as 32 bits; the bits above the type are undefined. */
static void win64_arg(struct sb_cstate *st, struct sb_place *p)
{
	if (st->argno >= 4) {
		sb_put_stack(st, p, 8, 8);
	} else if (sb_kind_is_float(p->kind)) {
		st->nvec = st->argno;		/* positional: xmm<argno> */
		sb_put_vec(st, p);
	} else {
		st->ngpr = st->argno;		/* positional: rcx, rdx, r8, r9 */
		sb_put_gpr(st, p);
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
	.ret_gpr_name = { "rax", NULL },
	.ret_vec_name = { "xmm0", NULL },
	.ret = win64_ret,
	.arg = win64_arg,
};
