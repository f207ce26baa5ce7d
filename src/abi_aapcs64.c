/* Procedure Call Standard for the Arm 64-bit Architecture (AAPCS64,
 * release 2025Q4), §6.8.2 "Parameter passing rules", and Apple's arm64
 * variant ("Writing ARM64 code for Apple platforms"), which differs only in
 * the knobs of struct variant below. Rule numbers are those of stage C.
 *
 * State, named after the document (stage A): NGRN, the next general-purpose
 * register number (A.1); NSRN, the next SIMD and floating-point register
 * number (A.2); NSAA, the next stacked argument address, kept as a byte
 * offset from sp at the call (A.4). */
#include "abi.h"

#define NGRN (st->ngpr)
#define NSRN (st->nvec)
#define NSAA (st->nstack)

static const char *const gpr_name[] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };
static const char *const vec_name[] = { "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7" };

/* What Apple's variant changes for scalar arguments. */
struct variant {
	/* stack arguments take their own size at their natural alignment
	 * instead of C.14/C.16's 8-byte slots: why Apple packs two ints on the
	 * stack into one word */
	uint8_t packed_stack;
	/* anonymous arguments skip the registers, one 8-byte slot each: why
	 * Apple's va_arg is a plain pointer walk (AAPCS64 instead classifies
	 * them as named ones, §6.8.2, and va_list records the registers) */
	uint8_t variadic_on_stack;
};

static const struct variant aapcs64 = { .packed_stack = 0, .variadic_on_stack = 0 };
static const struct variant apple = { .packed_stack = 1, .variadic_on_stack = 1 };

/* C.14, C.16, C.17 (C.4, C.5, C.6 for floating point): at least 8 bytes
 * at an 8-aligned NSAA; Apple: the value's size at its alignment. */
static void to_stack(const struct variant *v, struct sb_cstate *st, struct sb_place *p)
{
	unsigned size = (unsigned)sb_kind_size(p->kind);

	if (v->packed_stack)
		sb_put_stack(st, p, size, size);
	else
		sb_put_stack(st, p, 8, 8);
}

/* §6.9 "Result return": a result goes where an argument of its type
 * would go first, x0 or v0. */
static void ret_place(struct sb_place *p)
{
	p->where = sb_kind_is_float(p->kind) ? SB_IN_VEC : SB_IN_GPR;
}

/* Scalars only: no HFA, short vector or 16-byte integer yet, so C.2-C.4,
 * C.7-C.8, C.10-C.12 and C.15 never apply. Narrow integers: C.9 leaves
 * the upper bits of x[NGRN] unspecified and the callee extends ("named
 * integral values must be narrowed by the callee"); Apple has the caller
 * extend to 32 bits. The frame is written with 32-bit extended values
 * either way (as the JS layer and the Check helper do), which satisfies
 * both; but a packed Apple stack argument narrower than 4 bytes will need
 * writing at its own width, or it spills into its neighbour (nothing runs
 * Apple frames yet: there is no Apple build). */
static void arg_place(const struct variant *v, struct sb_cstate *st, struct sb_place *p)
{
	if (st->variadic && v->variadic_on_stack) {
		sb_put_stack(st, p, 8, 8);
	} else if (sb_kind_is_float(p->kind)) {
		if (NSRN < 8)
			sb_put_vec(st, p);	/* C.1: v[NSRN], NSRN += 1 */
		else
			to_stack(v, st, p);	/* C.5, C.6 */
	} else if (NGRN < 8) {
		sb_put_gpr(st, p);		/* C.9: x[NGRN], NGRN += 1 */
	} else {
		/* C.13: NGRN = 8, so once an integer went to the stack every
		 * later one does too; with scalars only it is already 8 */
		NGRN = 8;
		to_stack(v, st, p);		/* C.14, C.16, C.17 */
	}
}

static void aapcs64_arg(struct sb_cstate *st, struct sb_place *p)
{
	arg_place(&aapcs64, st, p);
}

static void apple_arg(struct sb_cstate *st, struct sb_place *p)
{
	arg_place(&apple, st, p);
}

#define AAPCS64_COMMON \
	.long_size = 8,		/* LP64 (§10.1.1 "Arithmetic types"; Apple alike) */ \
	.gpr_count = 8, \
	.vec_count = 8, \
	.gpr_name = gpr_name, \
	.vec_name = vec_name, \
	.ret_gpr_name = { "x0", "x1" }, \
	.ret_vec_name = { "v0", "v1" }, \
	.ret = ret_place

const struct sb_abi sb_abi_aapcs64 = {
	.name = "aapcs64",
	.char_signed = 0,	/* §10.1.1 "Arithmetic types": char is unsigned */
	.wchar_kind = SB_K_U32,	/* §10.1.1: wchar_t is unsigned int */
	.arg = aapcs64_arg,
	AAPCS64_COMMON,
};

const struct sb_abi sb_abi_apple_arm64 = {
	.name = "apple-arm64",
	.char_signed = 1,	/* Apple: "The char type is a signed type" */
	.wchar_kind = SB_K_I32,	/* Apple: wchar_t is a signed int */
	.arg = apple_arg,
	AAPCS64_COMMON,
};
