/* Callback trampolines through C: the slot <-> offset macros, and C
 * callers calling trampolines as function pointers of several signatures.
 * A C handler reads every argument from the trampoline's frame with the
 * host ABI's plan of the signature (registers at their frame offsets,
 * stack arguments from argp) and writes the return value, the way the
 * binding does. ABI-neutral: the callers' convention is SB_TEST_CALL. */
#include <string.h>

#include "check_dispatch.h"

/* What the handler expects of the next call, and what it saw. */
static struct {
	int ret;
	int nargs;
	const int *types;
	const uint64_t *vals;
	uint64_t ret_bits;
	/* seen */
	int calls;
	uint32_t index;
	int bad_arg;		/* first mismatched argument, or -1 */
	uint64_t bad_got, bad_want;
} cb;

static void expect(int ret, const int *types, const uint64_t *vals, int n,
		   uint64_t ret_bits)
{
	memset(&cb, 0, sizeof cb);
	cb.ret = ret;
	cb.types = types;
	cb.vals = vals;
	cb.nargs = n;
	cb.ret_bits = ret_bits;
	cb.bad_arg = -1;
}

/* an argument's bits as its kind's width holds them, like ck_get */
static uint64_t kind_bits(enum sb_kind k, uint64_t v)
{
	size_t w = sb_kind_size(k);

	return w == 8 ? v : v & ((1ull << w * 8) - 1);
}

static void handler(uint32_t index, struct sb_frame *frame)
{
	struct sb_plan plan;
	const char *err = NULL;

	cb.calls++;
	cb.index = index;
	if (sb_classify(sb_abi_host(), cb.ret, cb.types, cb.nargs, &plan, &err) != 0) {
		cb.bad_arg = 99;
		return;
	}
	/* the stack arguments, where the plan puts them: argp is the first */
	memcpy(frame->stack, frame->argp, plan.nstack * SB_WORD);
	for (int i = 0; i < cb.nargs; i++) {
		uint64_t got = ck_get(frame, &plan.args[i]);
		uint64_t want = kind_bits(plan.args[i].kind, cb.vals[i]);

		if (got != want && cb.bad_arg < 0) {
			cb.bad_arg = i;
			cb.bad_got = got;
			cb.bad_want = want;
		}
	}
	if (plan.ret.kind != SB_K_VOID)
		ck_put(frame, &plan.ret, cb.ret_bits);
}

static void check_args(void)
{
	ck_assert_int_eq(cb.calls, 1);
	ck_assert_msg(cb.bad_arg < 0, "argument %d: got 0x%llx, want 0x%llx", cb.bad_arg,
		      (unsigned long long)cb.bad_got, (unsigned long long)cb.bad_want);
}

START_TEST(test_slot_offsets)
{
	for (uint32_t i = 0; i < SB_TRAMPOLINE_COUNT; i++) {
		const char *p = sb_trampoline_address(i);

		ck_assert_uint_eq(SB_TRAMPOLINE_INDEX(SB_TRAMPOLINE_OFFSET(i)), i);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(sb_trampoline_index(p), (long)i);
		ck_assert_int_eq(sb_trampoline_index(p + 1), -1);
		ck_assert_int_eq(sb_trampoline_index(p + SB_TRAMPOLINE_SIZE - 1), -1);
		if (i > 0)
			ck_assert_ptr_eq(p, (const char *)sb_trampoline_address(i - 1) + SB_TRAMPOLINE_SIZE);
	}
	ck_assert_ptr_null(sb_trampoline_address(SB_TRAMPOLINE_COUNT));
	ck_assert_ptr_null(sb_trampoline_address(UINT32_MAX));
	ck_assert_int_eq(sb_trampoline_index((const char *)sb_trampoline_address(0) - SB_TRAMPOLINE_SIZE), -1);
	ck_assert_int_eq(sb_trampoline_index((const char *)sb_trampoline_address(0) +
					     SB_TRAMPOLINE_OFFSET(SB_TRAMPOLINE_COUNT)), -1);
	ck_assert_int_eq(sb_trampoline_index(NULL), -1);
	ck_assert_int_ge(SB_TRAMPOLINE_COUNT, 1024);
}
END_TEST

typedef int (SB_TEST_CALL *fn_ii)(int, int);
typedef double (SB_TEST_CALL *fn_dfi)(double, float, int);
typedef float (SB_TEST_CALL *fn_fdi8)(float, double, int8_t, uint16_t);
typedef void (SB_TEST_CALL *fn_v)(int64_t, double);

START_TEST(test_registers)
{
	static const int ti[] = { SB_INT, SB_INT };
	static const uint64_t vi[] = { (uint64_t)-7, 1234567 };
	static const int td[] = { SB_DOUBLE, SB_FLOAT, SB_INT };
	const uint64_t vd[] = { dbits(-2.5), fbits(0.75f), 42 };
	static const int tf[] = { SB_FLOAT, SB_DOUBLE, SB_INT8, SB_UINT16 };
	const uint64_t vf[] = { fbits(-1.25f), dbits(1e300), (uint64_t)-3, 65535 };
	static const int tv[] = { SB_INT64, SB_DOUBLE };
	const uint64_t vv[] = { 0x8000000000000001ull, dbits(3.0) };

	sb_callback_set_handler(handler);

	expect(SB_INT, ti, vi, N(ti), (uint64_t)-99);
	ck_assert_int_eq(((fn_ii)sb_trampoline_address(0))(-7, 1234567), -99);
	check_args();

	expect(SB_DOUBLE, td, vd, N(td), dbits(6.02e23));
	ck_assert_double_eq(((fn_dfi)sb_trampoline_address(1))(-2.5, 0.75f, 42), 6.02e23);
	check_args();

	expect(SB_FLOAT, tf, vf, N(tf), fbits(-0.5f));
	ck_assert_float_eq(((fn_fdi8)sb_trampoline_address(2))(-1.25f, 1e300, -3, 65535), -0.5f);
	check_args();

	expect(SB_VOID, tv, vv, N(tv), 0);
	((fn_v)sb_trampoline_address(3))((int64_t)0x8000000000000001ull, 3.0);
	check_args();
	sb_callback_set_handler(NULL);
}
END_TEST

/* 12 integers and 10 doubles: more than any ABI has registers */
typedef int64_t (SB_TEST_CALL *fn_many)(int, double, int64_t, double, int,
	double, int, double, int64_t, double, int, double, int, double, int,
	double, int, double, int, double, int64_t, int);

START_TEST(test_stack_args)
{
	int types[22];
	uint64_t vals[22];

	for (int i = 0; i < 22; i++) {
		int dbl = i % 2 == 1 && i < 20;

		types[i] = dbl ? SB_DOUBLE : (i == 2 || i == 8 || i == 20) ? SB_INT64 : SB_INT;
		vals[i] = dbl ? dbits(i + 0.5) : types[i] == SB_INT64
			? 0x0102030405060708ull * (uint64_t)i : (uint64_t)(int64_t)(-1000 * i);
	}
	sb_callback_set_handler(handler);
	expect(SB_INT64, types, vals, 22, 0xfedcba9876543210ull);
	ck_assert_uint_eq((uint64_t)((fn_many)sb_trampoline_address(SB_TRAMPOLINE_COUNT - 1))(
		0, 1.5, (int64_t)(0x0102030405060708ull * 2), 3.5, -4000, 5.5, -6000, 7.5,
		(int64_t)(0x0102030405060708ull * 8), 9.5, -10000, 11.5, -12000, 13.5,
		-14000, 15.5, -16000, 17.5, -18000, 19.5,
		(int64_t)(0x0102030405060708ull * 20), -21000), 0xfedcba9876543210ull);
	check_args();
	ck_assert_uint_eq(cb.index, SB_TRAMPOLINE_COUNT - 1);
	sb_callback_set_handler(NULL);
}
END_TEST

START_TEST(test_indices)
{
	static const int ti[] = { SB_INT, SB_INT };
	static const uint64_t vi[] = { 1, 2 };
	uint32_t seen[3];
	const uint32_t slots[3] = { 5, 6, SB_TRAMPOLINE_COUNT / 2 };

	sb_callback_set_handler(handler);
	for (int k = 0; k < 3; k++) {
		expect(SB_INT, ti, vi, N(ti), 3);
		ck_assert_int_eq(((fn_ii)sb_trampoline_address(slots[k]))(1, 2), 3);
		check_args();
		seen[k] = cb.index;
		ck_assert_uint_eq(seen[k], slots[k]);
	}
	ck_assert_uint_ne(seen[0], seen[1]);
	sb_callback_set_handler(NULL);
}
END_TEST

/* no handler: every return slot is zero */
START_TEST(test_no_handler)
{
	sb_callback_set_handler(NULL);
	ck_assert_int_eq(((fn_ii)sb_trampoline_address(7))(1, 2), 0);
	ck_assert_double_eq(((fn_dfi)sb_trampoline_address(8))(1.0, 2.0f, 3), 0.0);
}
END_TEST

Suite *callback_suite(void)
{
	Suite *s = suite_create("callback");
	TCase *tc = tcase_create("trampolines");

	tcase_add_test(tc, test_slot_offsets);
	tcase_add_test(tc, test_registers);
	tcase_add_test(tc, test_stack_args);
	tcase_add_test(tc, test_indices);
	tcase_add_test(tc, test_no_handler);
	suite_add_tcase(s, tc);
	return s;
}
