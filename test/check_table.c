/* The runner of the placement tables (check_table.h). */
#include "check_table.h"

const struct sb_abi *ck_abi(const char *name)
{
	const struct sb_abi *abi = sb_abi_find(name);

	ck_assert_msg(abi != NULL, "no ABI %s", name);
	return abi;
}

void ck_assert_at(const struct row *r, int i, const struct sb_place *got,
		  const struct at *want)
{
	ck_assert_msg(got->where == want->where && got->index == want->index &&
		      got->offset == want->offset && got->also == want->also,
		      "%s %s, argument %d: where %u index %u offset %u also %u, want %u %u %u %u",
		      r->abi, r->proto, i, got->where, got->index, got->offset, got->also,
		      want->where, want->index, want->offset, want->also);
}

void ck_assert_row(const struct row *r, int nfixed, struct sb_plan *plan)
{
	const char *err = NULL;

	ck_assert_msg(sb_classify_variadic(ck_abi(r->abi), r->ret, r->args, r->nargs,
					   nfixed, plan, &err) == 0,
		      "%s %s: %s", r->abi, r->proto, err);
	ck_assert_int_eq(plan->nargs, r->nargs);
	ck_assert_int_eq(plan->ret_type, r->ret);
	ck_assert_at(r, -1, &plan->ret, &r->ret_at);
	for (int i = 0; i < r->nargs; i++) {
		ck_assert_int_eq(plan->arg_type[i], r->args[i]);
		ck_assert_at(r, i, &plan->args[i], &r->at[i]);
	}
	ck_assert_msg(plan->nstack == r->nstack && plan->nvec == r->nvec,
		      "%s %s: nstack %u nvec %u, want %u %u", r->abi, r->proto,
		      plan->nstack, plan->nvec, r->nstack, r->nvec);
}
