/* The generated conformance suite (test/gen_conformance.js) through the
 * registry and the host dispatcher: each case is classified, written into
 * a frame the way the JS layer writes it, and called; the callee checks
 * every argument it received, and the return value is compared here.
 * Then the other direction: cfc_<i> calls a trampoline with the same
 * values, the C handler here checks each argument in the trampoline's
 * frame and writes the expected return value, which cfc_<i> checks. */
#include <string.h>

#include "check_suites.h"
#include "frame.h"
#include "conformance/conformance.h"

START_TEST(test_case)
{
	const struct cf_case *c = &cf_cases[_i];
	struct sb_frame f;
	struct sb_plan plan;
	const char *err = NULL;

	ck_assert_msg(sb_classify(sb_abi_host(), c->ret, c->args, c->nargs, &plan, &err) == 0,
		      "%s: %s", c->name, err);
	memset(&f, 0xa5, sizeof f);	/* stale bytes, as in a reused frame */
	f.fn = (void *)c->fn;
	f.nstack = plan.nstack;
	f.nvec = plan.nvec;
	for (int i = 0; i < c->nargs; i++)
		ck_put(&f, &plan.args[i], c->values[i]);
	cf_reset();
	sb_dispatcher_of(&plan)(&f);	/* the lean one where the plan allows it */
	ck_assert_msg(cf_failure_count() == 0, "%s: %u bad arguments, first: %s",
		      c->name, cf_failure_count(), cf_last_failure());
	if (plan.ret.kind != SB_K_VOID) {
		/* only the return kind's own bytes are defined */
		size_t width = sb_kind_size(plan.ret.kind);
		uint64_t want = width == 8 ? c->expect : c->expect & ((1ull << width * 8) - 1);
		uint64_t got = ck_get(&f, &plan.ret);

		ck_assert_msg(got == want, "%s returned 0x%llx, want 0x%llx", c->name,
			      (unsigned long long)got, (unsigned long long)want);
	}
}
END_TEST

/* The case the handler expects, and its first mismatched argument. */
static const struct cf_case *cb_case;
static struct sb_plan cb_plan;
static int cb_bad = -1, cb_calls;
static uint64_t cb_got, cb_want;

static void cb_handler(uint32_t index, struct sb_frame *frame)
{
	const struct cf_case *c = cb_case;

	(void)index;
	cb_calls++;
	memcpy(frame->stack, frame->argp, cb_plan.nstack * SB_WORD);
	for (int i = 0; i < c->nargs; i++) {
		size_t width = sb_kind_size(cb_plan.args[i].kind);
		uint64_t want = width == 8 ? c->values[i] : c->values[i] & ((1ull << width * 8) - 1);
		uint64_t got = ck_get(frame, &cb_plan.args[i]);

		if (got != want && cb_bad < 0) {
			cb_bad = i;
			cb_got = got;
			cb_want = want;
		}
	}
	if (cb_plan.ret.kind != SB_K_VOID)
		ck_put(frame, &cb_plan.ret, c->expect);
}

START_TEST(test_callback_case)
{
	const struct cf_case *c = &cf_cases[_i];
	const char *err = NULL;

	ck_assert_msg(sb_classify(sb_abi_host(), c->ret, c->args, c->nargs, &cb_plan, &err) == 0,
		      "%s: %s", c->name, err);
	cb_case = c;
	cb_bad = -1;
	cb_calls = 0;
	cf_reset();
	sb_callback_set_handler(cb_handler);
	c->call_back(sb_trampoline_address((uint32_t)_i % SB_TRAMPOLINE_COUNT));
	sb_callback_set_handler(NULL);
	ck_assert_int_eq(cb_calls, 1);
	ck_assert_msg(cb_bad < 0, "cfc of %s: argument %d: got 0x%llx, want 0x%llx", c->name,
		      cb_bad, (unsigned long long)cb_got, (unsigned long long)cb_want);
	ck_assert_msg(cf_failure_count() == 0, "%s", cf_last_failure());
}
END_TEST

Suite *conformance_suite(void)
{
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("generated");

	tcase_add_loop_test(tc, test_case, 0, (int)cf_case_count);
	suite_add_tcase(s, tc);
	tc = tcase_create("callbacks");
	tcase_add_loop_test(tc, test_callback_case, 0, (int)cf_case_count);
	suite_add_tcase(s, tc);
	return s;
}
