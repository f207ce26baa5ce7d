/* The generated conformance suite (test/gen_conformance.js) through the
 * registry and the host dispatcher: each case is classified, written into
 * a frame the way the JS layer writes it, and called; the callee checks
 * every argument it received, and the return value is compared here. */
#include <string.h>

#include "check_suites.h"
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
	sb_call(&f);
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

Suite *conformance_suite(void)
{
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("generated");

	tcase_add_loop_test(tc, test_case, 0, (int)cf_case_count);
	suite_add_tcase(s, tc);
	return s;
}
