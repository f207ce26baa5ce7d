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
#include "frame.h"

#define NGRN (st->ngpr)
#define NSRN (st->nvec)
#define NSAA (st->nstack)

static const char *const gpr_name[] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };
static const char *const vec_name[] = { "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7" };

/* What Apple's variant changes. */
struct variant {
	/* stack arguments take their own size at their natural alignment
	 * instead of C.14/C.16's 8-byte slots: why Apple packs two ints on the
	 * stack into one word */
	uint8_t packed_stack;
	/* anonymous arguments skip the registers, one 8-byte slot each: why
	 * Apple's va_arg is a plain pointer walk (AAPCS64 instead classifies
	 * them as named ones, §6.8.2, and va_list records the registers) */
	uint8_t variadic_on_stack;
	/* a composite's copy is aligned as declared, aligned(n) on the type
	 * included, and no C.10 even NGRN: why clang's Darwin PCS passes
	 * a 16-aligned struct as an __int128, which Apple puts in any
	 * register pair (x1, x2) but 16-aligned on the stack */
	uint8_t declared_align;
};

static const struct variant aapcs64 = { .packed_stack = 0, .variadic_on_stack = 0,
	.declared_align = 0 };
static const struct variant apple = { .packed_stack = 1, .variadic_on_stack = 1,
	.declared_align = 1 };

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

/* Scalars (composites: agg_place below). No short vector, 16-byte
 * integer or scalable type exists in sbffi, so C.7, C.8 and C.11 never
 * apply. Narrow integers: C.9 leaves
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
		 * later one does too */
		NGRN = 8;
		to_stack(v, st, p);		/* C.14, C.16, C.17 */
	}
}

static unsigned round8(uint32_t size)
{
	return (size + 7) & ~7u;
}

/* B.6: a composite's copy is 8-byte aligned, or 16 if its natural
 * alignment is 16: that of its members (§5.7), so an aligned(16) on the
 * struct type itself does not count, as GCC and clang pass it; Apple
 * counts it (declared_align) */
static unsigned copy_align(const struct variant *v, const struct sb_agginfo *a)
{
	return (v->declared_align ? a->align : a->member_align) >= 16 ? 16 : 8;
}

/* A composite that goes to memory: C.14 (or C.4 for an HFA) rounds NSAA
 * up, C.15 (C.6) copies it there, B.5 (C.3) having rounded its size up
 * to a multiple of 8. Apple, as clang's Darwin PCS: a named HFA on the
 * stack is laid out as its members would be, its own size at their
 * alignment (an aligned(n) on it does not count); an anonymous one is
 * its members contiguous from an 8-aligned slot. hfa_member: an HFA's
 * member size, or 0. */
static void agg_to_stack(const struct variant *v, struct sb_cstate *st, struct sb_place *p,
			 const struct sb_agginfo *a, unsigned hfa_member)
{
	p->pass = SB_PASS_STACK;
	if (hfa_member && st->variadic && v->variadic_on_stack)
		sb_put_stack(st, p, round8(a->size), 8);
	else if (hfa_member && v->packed_stack)
		sb_put_stack(st, p, a->size, hfa_member);
	else
		sb_put_stack(st, p, round8(a->size), copy_align(v, a));
}

/* Stage B and C for composite types. An empty struct (GCC's and clang's
 * C size 0) is not passed at all. */
static void agg_place(const struct variant *v, struct sb_cstate *st, struct sb_place *p,
		      const struct sb_agginfo *a)
{
	enum sb_kind k;
	unsigned n = sb_agg_hfa(a, &k), dwords = round8(a->size) / 8;

	if (a->size == 0) {
		p->pass = SB_PASS_EMPTY;
	} else if (n) {
		/* B.3: an HFA is used unmodified, however large (no B.4) */
		unsigned m = (unsigned)sb_kind_size(k);

		if (st->variadic && v->variadic_on_stack) {
			agg_to_stack(v, st, p, a, m);	/* Apple: anonymous */
		} else if (NSRN + n <= 8) {
			/* C.2: one v register per member, consecutive */
			for (unsigned i = 0; i < n; i++)
				sb_part_vec(st, p, i * m, m, SB_CLS_HFA);
		} else {
			/* C.3: NSRN = 8, so no later float takes a v
			 * register either, and the HFA is never split */
			NSRN = 8;
			agg_to_stack(v, st, p, a, m);
		}
	} else if (a->size > 16) {
		/* B.4: over 16 bytes, a pointer to a copy made by the caller */
		p->kind = SB_K_PTR;
		arg_place(v, st, p);
		p->kind = SB_K_AGG;
		p->pass = SB_PASS_REF;
	} else if (st->variadic && v->variadic_on_stack) {
		agg_to_stack(v, st, p, a, 0);	/* Apple: anonymous, on the stack */
	} else {
		/* C.10: a composite of natural alignment 16 starts at an
		 * even NGRN; not on Apple */
		if (!v->declared_align && copy_align(v, a) == 16)
			NGRN = (NGRN + 1) & ~1u;
		if (dwords <= 8 - NGRN) {
			/* C.12: consecutive x registers, as if loaded with
			 * LDRs from a double-word aligned copy */
			for (unsigned i = 0; i < dwords; i++)
				sb_part_gpr(st, p, i * 8, a->size - i * 8 < 8 ? a->size - i * 8 : 8,
					    SB_CLS_GPR);
		} else {
			/* C.13: NGRN = 8, never split between x7 and the stack */
			NGRN = 8;
			agg_to_stack(v, st, p, a, 0);
		}
	}
}

/* §6.9 "Result return": an HFA in v0-v3, one member each; any other
 * composite of up to 16 bytes in x0-x1 as if loaded from memory; a larger
 * one in memory the caller provides, its address passed in x8 (not an
 * argument register, so nothing shifts; the callee need not return it).
 * An empty struct returns nothing. */
static void agg_ret(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	enum sb_kind k;
	unsigned n = sb_agg_hfa(a, &k);

	if (a->size == 0) {
		p->pass = SB_PASS_EMPTY;
	} else if (n) {
		unsigned m = (unsigned)sb_kind_size(k);

		for (unsigned i = 0; i < n; i++)
			sb_part_ret(p, SB_IN_VEC, i, i * m, m, SB_CLS_HFA);
	} else if (a->size <= 16) {
		for (unsigned i = 0; i * 8 < a->size; i++)
			sb_part_ret(p, SB_IN_GPR, i, i * 8, a->size - i * 8 < 8 ? a->size - i * 8 : 8,
				    SB_CLS_GPR);
	} else {
		p->pass = SB_PASS_REF;
		st->ret_ptr = SB_OFF_GPR + 8 * SB_WORD;
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

static void aapcs64_agg_arg(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	agg_place(&aapcs64, st, p, a);
}

static void apple_agg_arg(struct sb_cstate *st, struct sb_place *p, const struct sb_agginfo *a)
{
	agg_place(&apple, st, p, a);
}

#define AAPCS64_COMMON \
	.long_size = 8,		/* LP64 (§10.1.1 "Arithmetic types"; Apple alike) */ \
	.gpr_count = 8, \
	.vec_count = 8, \
	.gpr_name = gpr_name, \
	.vec_name = vec_name, \
	.ret_ptr_name = "x8", \
	.ret_gpr_name = { "x0", "x1" }, \
	.ret_vec_name = { "v0", "v1", "v2", "v3" }, \
	.ret = ret_place, \
	.agg_ret = agg_ret

const struct sb_abi sb_abi_aapcs64 = {
	.name = "aapcs64",
	.char_signed = 0,	/* §10.1.1 "Arithmetic types": char is unsigned */
	.wchar_kind = SB_K_U32,	/* §10.1.1: wchar_t is unsigned int */
	.arg = aapcs64_arg,
	.agg_arg = aapcs64_agg_arg,
	AAPCS64_COMMON,
};

const struct sb_abi sb_abi_apple_arm64 = {
	.name = "apple-arm64",
	.char_signed = 1,	/* Apple: "The char type is a signed type" */
	.wchar_kind = SB_K_I32,	/* Apple: wchar_t is a signed int */
	.arg = apple_arg,
	.agg_arg = apple_agg_arg,
	AAPCS64_COMMON,
};
