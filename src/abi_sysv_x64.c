/* System V AMD64 psABI (version 1.0), section 3.2.3 "Parameter Passing". */
#include "abi.h"

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

const struct sb_abi sb_abi_sysv_x64 = {
	.name = "sysv-x64",
	.long_size = 8,		/* LP64 (3.1.2, figure 3.1) */
	.char_signed = 1,	/* figure 3.1: char is signed */
	.gpr_count = 6,
	.vec_count = 8,
	.gpr_name = gpr_name,
	.vec_name = vec_name,
	.ret_gpr_name = { "rax", "rdx" },
	.ret_vec_name = { "xmm0", "xmm1" },
	.ret = sysv_ret,
	.arg = sysv_arg,
};
