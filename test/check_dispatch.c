/* The host dispatcher sb_call, driven as the JS layer drives it: a frame
 * filled from a placement plan of sb_classify(sb_abi_host(), ...). */
#include <execinfo.h>
#include <math.h>
#include <stdbool.h>

#include "check_dispatch.h"

/* The frames are little-endian on every ABI here: a narrow value sits in
 * the low bytes of its 8-byte slot. */
void ck_put(struct sb_frame *f, const struct sb_place *p, uint64_t bits)
{
	unsigned char *at = (unsigned char *)f + p->offset;
	uint32_t w;

	switch (p->kind) {
	case SB_K_BOOL: w = bits != 0; break;
	case SB_K_I8: w = (uint32_t)(int32_t)(int8_t)bits; break;
	case SB_K_U8: w = (uint8_t)bits; break;
	case SB_K_I16: w = (uint32_t)(int32_t)(int16_t)bits; break;
	case SB_K_U16: w = (uint16_t)bits; break;
	case SB_K_I32: case SB_K_U32: case SB_K_F32: w = (uint32_t)bits; break;
	default:
		memcpy(at, &bits, 8);
		return;
	}
	memcpy(at, &w, 4);
}

uint64_t ck_get(const struct sb_frame *f, const struct sb_place *p)
{
	uint64_t bits = 0;

	memcpy(&bits, (const unsigned char *)f + p->offset, sb_kind_size(p->kind));
	return bits;
}

/* Classify and fill a stale frame to call fn. */
void ck_fill(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
	     const int *types, const uint64_t *vals, int n)
{
	const char *err = NULL;

	ck_assert_msg(sb_classify(sb_abi_host(), ret, types, n, plan, &err) == 0, "%s", err);
	memset(f, STALE, sizeof *f);
	f->fn = fn;
	f->nstack = plan->nstack;
	f->nvec = plan->nvec;
	for (int i = 0; i < n; i++)
		ck_put(f, &plan->args[i], vals[i]);
}

uint64_t ck_call(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
		 const int *types, const uint64_t *vals, int n)
{
	static struct sb_frame before;

	ck_fill(f, plan, fn, ret, types, vals, n);
	before = *f;
	sb_call(f);
	ck_assert_mem_eq(f, &before, SB_OFF_RET_GPR);
	ck_assert_mem_eq((char *)f + SB_OFF_GPR, (char *)&before + SB_OFF_GPR,
			 SB_FRAME_SIZE - SB_OFF_GPR);
	return plan->ret.kind == SB_K_VOID ? 0 : ck_get(f, &plan->ret);
}

void ck_assert_aligned_call(void *fn, unsigned words)
{
	int t[SB_GPR_COUNT + 3];
	uint64_t v[SB_GPR_COUNT + 3];
	struct sb_frame f;
	struct sb_plan plan;
	int n = (int)(ck_arg_gprs + words);

	ck_assert_int_le(n, N(t));
	for (int i = 0; i < n; i++) {
		t[i] = SB_INT64;
		v[i] = (uint64_t)(i + 1);
	}
	ck_assert_uint_eq(ck_call(&f, &plan, fn, SB_INT, t, v, n), 1);
	ck_assert_uint_eq(plan.nstack, words);
}

/* Each callee weighs its arguments by position, so a swap shows. Every
 * target has the convention SB_TEST_CALL (check_suites.h): ms_abi in the
 * Win64 test mode. 64-bit integers are int64_t, not long, which is 32
 * bits under Win64's data model but not the compiler's there. */
static int SB_TEST_CALL int3(int a, int b, int c) { return a + 10 * b + 100 * c; }
static double SB_TEST_CALL mixd(double a, int b, double c) { return a - c * b; }
static float SB_TEST_CALL mulf(float a, float b) { return a * b; }
static uint64_t SB_TEST_CALL mix64(uint64_t a, int64_t b) { return a ^ (uint64_t)b; }

START_TEST(test_basic_returns)
{
	static const int ti[] = { SB_INT, SB_INT, SB_INT };
	static const int td[] = { SB_DOUBLE, SB_INT, SB_DOUBLE };
	static const int tf[] = { SB_FLOAT, SB_FLOAT };
	static const int t64[] = { SB_UINT64, SB_INT64 };
	struct sb_frame f;
	struct sb_plan plan;

	ck_assert_int_eq((int32_t)CALL(int3, SB_INT, ti, ((uint64_t[]){ 1, 2, (uint64_t)-3 })),
			 1 + 20 - 300);
	ck_assert_double_eq(as_double(CALL(mixd, SB_DOUBLE, td,
		((uint64_t[]){ dbits(10.5), (uint64_t)-2, dbits(0.25) }))), 11.0);
	/* float comes back in the low 4 bytes of xmm0 (s0, the low half of d0) */
	ck_assert_float_eq(as_float(CALL(mulf, SB_FLOAT, tf,
		((uint64_t[]){ fbits(1.5f), fbits(-4.0f) }))), -6.0f);
	ck_assert_uint_eq(CALL(mix64, SB_UINT64, t64,
		((uint64_t[]){ UINT64_MAX, (uint64_t)INT64_MIN })), INT64_MAX);
}
END_TEST

static int SB_TEST_CALL take_schar(signed char c) { return c; }
static int SB_TEST_CALL take_uchar(unsigned char c) { return c; }
static int SB_TEST_CALL take_short(short s) { return s; }
static int SB_TEST_CALL take_ushort(unsigned short s) { return s; }
static int SB_TEST_CALL take_bool(bool b) { return b ? 7 : 3; }
static signed char SB_TEST_CALL give_schar(int x) { return (signed char)x; }
static bool SB_TEST_CALL give_bool(int x) { return x != 0; }
/* narrow ones on the stack too, once the integer registers are taken */
static int64_t SB_TEST_CALL narrow_stack(int64_t a, int64_t b, int64_t c, int64_t d,
					 int64_t e, int64_t g, signed char h,
					 unsigned short i, bool j, short k)
{
	return a + b + c + d + e + g + h * 1000L + i * 10L + j * 7 + k * 100000L;
}

/* The JS layer writes a narrow integer as 32 bits extended by its kind
 * and leaves the slot's upper half stale: the callee must not care. */
START_TEST(test_narrow)
{
	static const int tsc[] = { SB_SCHAR }, tuc[] = { SB_UCHAR };
	static const int tsh[] = { SB_SHORT }, tus[] = { SB_USHORT };
	static const int tb[] = { SB_BOOL }, ti[] = { SB_INT };
	static const int tst[] = { SB_INT64, SB_INT64, SB_INT64, SB_INT64, SB_INT64, SB_INT64,
				   SB_SCHAR, SB_USHORT, SB_BOOL, SB_SHORT };
	struct sb_frame f;
	struct sb_plan plan;

	ck_assert_int_eq((int32_t)CALL(take_schar, SB_INT, tsc, ((uint64_t[]){ (uint64_t)-5 })), -5);
	ck_assert_uint_eq(f.gpr[0], 0xa5a5a5a5fffffffbu);	/* the stale half stayed */
	ck_assert_int_eq((int32_t)CALL(take_uchar, SB_INT, tuc, ((uint64_t[]){ 250 })), 250);
	ck_assert_int_eq((int32_t)CALL(take_short, SB_INT, tsh, ((uint64_t[]){ (uint64_t)-30000 })), -30000);
	ck_assert_int_eq((int32_t)CALL(take_ushort, SB_INT, tus, ((uint64_t[]){ 65000 })), 65000);
	ck_assert_int_eq((int32_t)CALL(take_bool, SB_INT, tb, ((uint64_t[]){ 1 })), 7);
	ck_assert_int_eq((int32_t)CALL(take_bool, SB_INT, tb, ((uint64_t[]){ 0 })), 3);
	/* only the type's own bytes of rax (x0) count */
	ck_assert_int_eq((int8_t)CALL(give_schar, SB_SCHAR, ti, ((uint64_t[]){ 0x1ff80 })), -128);
	ck_assert_uint_eq(CALL(give_bool, SB_BOOL, ti, ((uint64_t[]){ 0x100 })), 1);
	int n = 6;

	ck_assert_int_eq((int64_t)CALL(narrow_stack, SB_INT64, tst,
		((uint64_t[]){ 1, 2, 3, 4, 5, 6, (uint64_t)-3, 65535, 1, (uint64_t)-2 })),
		21 - 3000 + 655350 + 7 - 200000);
	/* the first narrow argument on the stack kept its slot's stale half */
	while (plan.args[n].where != SB_IN_STACK)
		n++;
	ck_assert_uint_eq(f.stack[plan.args[n].index / SB_WORD] >> 32, 0xa5a5a5a5u);
}
END_TEST

static int64_t SB_TEST_CALL sum10(int64_t a, int64_t b, int64_t c, int64_t d,
				  int64_t e, int64_t g, int64_t h, int64_t i,
				  int64_t j, int64_t k)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i + 9 * j + 10 * k;
}

static double SB_TEST_CALL sum12d(double a, double b, double c, double d, double e, double g,
		     double h, double i, double j, double k, double l, double m)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i + 9 * j +
	       10 * k + 11 * l + 12 * m;
}

/* int and double alternating, twenty of them: both classes spill */
static double SB_TEST_CALL mixed20(int a0, double b0, int a1, double b1, int a2, double b2,
		      int a3, double b3, int a4, double b4, int a5, double b5,
		      int a6, double b6, int a7, double b7, int a8, double b8,
		      int a9, float b9)
{
	return a0 + 2 * b0 + 3 * a1 + 4 * b1 + 5 * a2 + 6 * b2 + 7 * a3 + 8 * b3 +
	       9 * a4 + 10 * b4 + 11 * a5 + 12 * b5 + 13 * a6 + 14 * b6 + 15 * a7 +
	       16 * b7 + 17 * a8 + 18 * b8 + 19 * a9 + 20 * b9;
}

START_TEST(test_stack_spill)
{
	int tl[10], td[12], tm[20];
	uint64_t vl[10], vd[12], vm[20];
	struct sb_frame f;
	struct sb_plan plan;
	double want = 0;

	for (int i = 0; i < 10; i++) {
		tl[i] = SB_INT64;
		vl[i] = (uint64_t)(i + 1);
	}
	ck_assert_int_eq((int64_t)CALL(sum10, SB_INT64, tl, vl), 385);
	ck_assert_uint_eq(plan.nstack, 10 - ck_arg_gprs);
	for (int i = 0; i < 12; i++) {
		td[i] = SB_DOUBLE;
		vd[i] = dbits(i + 0.5);
	}
	ck_assert_double_eq(as_double(CALL(sum12d, SB_DOUBLE, td, vd)), 611);
	ck_assert_uint_eq(plan.nstack, 12 - ck_arg_vecs);
	for (int i = 0; i < 20; i++) {
		int even = i % 2 == 0;

		tm[i] = even ? SB_INT : i == 19 ? SB_FLOAT : SB_DOUBLE;
		vm[i] = even ? (uint64_t)(-i) : i == 19 ? fbits(0.5f) : dbits(i * 0.25);
		want += (i + 1) * (even ? -i : i * 0.25);
	}
	want += 20 * 0.5 - 20 * 19 * 0.25;
	ck_assert_double_eq(as_double(CALL(mixed20, SB_DOUBLE, tm, vm)), want);
	/* classes counted apart (System V, AAPCS64), or by position (Win64) */
	ck_assert_uint_eq(plan.nstack, SB_TEST_WIN64 ? 20 - 4
					: (10 - ck_arg_gprs) + (10 - ck_arg_vecs));
}
END_TEST

/* System V 3.2.3 "Returning of Values": a two-eightbyte INTEGER aggregate
 * comes back in rax:rdx, a two-eightbyte SSE one in xmm0:xmm1; AAPCS64
 * §6.9: in x0:x1, and as an HFA in d0:d1. sb_call stores them all so the
 * JS layer picks what the plan says. */
struct two_u64 { uint64_t lo, hi; };
struct two_f64 { double lo, hi; };
static struct two_u64 SB_TEST_CALL give_two_u64(uint64_t a, uint64_t b) { return (struct two_u64){ a, b }; }
static struct two_f64 SB_TEST_CALL give_two_f64(double a, double b) { return (struct two_f64){ a, b }; }

START_TEST(test_return_slots)
{
	static const int tu[] = { SB_UINT64, SB_UINT64 };
	static const int td[] = { SB_DOUBLE, SB_DOUBLE };
	struct sb_frame f;
	struct sb_plan plan;

	CALL(give_two_u64, SB_UINT64, tu, ((uint64_t[]){ 0x0123456789abcdefu, 0xfedcba9876543210u }));
	ck_assert_uint_eq(f.ret_gpr[0], 0x0123456789abcdefu);
	ck_assert_uint_eq(f.ret_gpr[1], 0xfedcba9876543210u);
	CALL(give_two_f64, SB_DOUBLE, td, ((uint64_t[]){ dbits(-0.0), dbits(INFINITY) }));
	ck_assert_uint_eq(dbits(f.ret_vec[0]), dbits(-0.0));
	ck_assert_uint_eq(dbits(f.ret_vec[1]), dbits(INFINITY));
}
END_TEST

/* sb_call's unwind info (hand-written .eh_frame for nasm, .cfi_* in GNU
 * as): unwinding from a callee must walk
 * through sb_call back into its caller and on to the caller's callers. */
static void *probe_trace[64];
static int probe_depth;

static int SB_TEST_CALL unwind_probe(int x)
{
	probe_depth = backtrace(probe_trace, 64);
	return x;
}

__attribute__((noinline))
void ck_assert_trace_reaches(void *const *trace, int trace_depth, int below)
{
	void *own[64];
	int depth = backtrace(own, 64);

	/* own[0] is here, own[1] the test and own[2] its caller, which may
	 * sit at other return addresses under other optimisations; own[3..]
	 * are the callers further up, which the trace must end with */
	ck_assert_int_lt(depth, 64);
	ck_assert_int_gt(depth, 3);
	ck_assert_int_ge(trace_depth, depth - 1 + below);
	ck_assert_mem_eq(trace + trace_depth - (depth - 3), own + 3,
			 (size_t)(depth - 3) * sizeof own[0]);
}

START_TEST(test_unwind)
{
	static const int t[] = { SB_INT };
	struct sb_frame f;
	struct sb_plan plan;

	ck_assert_int_eq((int32_t)CALL(unwind_probe, SB_INT, t, ((uint64_t[]){ 5 })), 5);
	/* at least the probe (sb_call may be a tail of ck_call's inlined frame) */
	ck_assert_trace_reaches(probe_trace, probe_depth, 1);
}
END_TEST

Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create(sb_abi_name(sb_abi_host()));

	tcase_add_test(tc, test_basic_returns);
	tcase_add_test(tc, test_narrow);
	tcase_add_test(tc, test_stack_spill);
	if (!SB_TEST_WIN64)	/* Win64 returns 16-byte structs through memory */
		tcase_add_test(tc, test_return_slots);
	tcase_add_test(tc, test_unwind);
	dispatch_abi_tests(tc);
	suite_add_tcase(s, tc);
	return s;
}
