/* The generated struct cases (test/gen_structs.js) through the registry
 * and the host dispatcher. Each generated type is defined in a registry
 * and its layout under the host ABI compared with the compiler's. Each
 * case is classified with sb_classify_in and its frame filled from the
 * values' images the way the plan says (parts into registers and slots,
 * whole copies on the stack, pointers to copies), over stale bytes; the
 * callee checks every field it receives, and the returned struct is read
 * back per the plan and checked field by field. Then the other direction:
 * csc_<i> calls a trampoline with the same values, and the C handler here
 * rebuilds each argument's image from the trampoline's frame, checks it,
 * and writes the known return value where the plan says. */
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "frame.h"
#include "conformance/structs.h"

#define STALE 0xa5

/* Every generated type, defined in order (members before their users):
 * a fresh registry per test, freed after it (valgrind counts leaks). */
static struct sb_registry reg;
static int *ids;

static int type_id(int t)
{
	return CS_IS_AGG(t) ? ids[CS_AGG_INDEX(t)] : t;
}

static void define_types(void)
{
	struct sb_member m[64];
	const char *err = NULL;

	memset(&reg, 0, sizeof reg);
	ids = malloc(cs_type_count * sizeof *ids);
	ck_assert_ptr_nonnull(ids);
	for (unsigned i = 0; i < cs_type_count; i++) {
		const struct cs_type *t = &cs_types[i];

		ck_assert_uint_le(t->nmembers, sizeof m / sizeof m[0]);
		for (unsigned j = 0; j < t->nmembers; j++)
			m[j] = (struct sb_member){ type_id(t->members[j].type), t->members[j].count };
		ids[i] = sb_define_aggregate(&reg, t->is_union, t->pack, t->align, m, t->nmembers, &err);
		ck_assert_msg(ids[i] >= 0, "%s: %s", t->name, err);
	}
}

static void free_types(void)
{
	sb_registry_free(&reg);
	free(ids);
	ids = NULL;
}

START_TEST(test_layout)
{
	const struct cs_type *t = &cs_types[_i];
	struct sb_layout l;
	uint32_t off[64];
	const char *err = NULL;

	ck_assert_msg(sb_type_layout(&reg, sb_abi_host(), ids[_i], &l, off, &err) == 0,
		      "%s: %s", t->name, err);
	ck_assert_msg(l.size == t->size && l.align == t->alignment,
		      "%s: size %u align %u, the compiler's %zu and %zu", t->name,
		      l.size, l.align, t->size, t->alignment);
	for (unsigned j = 0; j < t->nmembers; j++)
		ck_assert_msg(off[j] == t->offsets[j], "%s.f%u at %u, the compiler's %zu",
			      t->name, j, off[j], t->offsets[j]);
}
END_TEST

static void classify(const struct cs_case *c, struct sb_plan *plan)
{
	int types[CS_MAX_ARGS];
	const char *err = NULL;

	for (int i = 0; i < c->nargs; i++)
		types[i] = type_id(c->args[i]);
	ck_assert_msg(sb_classify_in(&reg, sb_abi_host(), type_id(c->ret), types, c->nargs,
				     c->nargs, plan, &err) == 0, "%s: %s", c->name, err);
}

/* An aggregate's parts between the frame (registers, return slots) and
 * its image. */
static void parts_from_frame(const struct sb_place *p, const struct sb_frame *f,
			     unsigned char *image)
{
	for (unsigned k = 0; k < p->nparts; k++)
		memcpy(image + p->part[k].from, (const unsigned char *)f + p->part[k].offset,
		       p->part[k].size);
}

static void parts_to_frame(const struct sb_place *p, struct sb_frame *f,
			   const unsigned char *image)
{
	for (unsigned k = 0; k < p->nparts; k++)
		memcpy((unsigned char *)f + p->part[k].offset, image + p->part[k].from,
		       p->part[k].size);
}

/* A struct argument into the frame as its place says; `copy` (16-byte
 * aligned, as Win64 wants) holds it when it goes by reference. */
static void put_struct(struct sb_frame *f, const struct sb_place *p, const void *image,
		       unsigned char *copy)
{
	unsigned char *at = (unsigned char *)f + p->offset;

	switch (p->pass) {
	case SB_PASS_PARTS:
		parts_to_frame(p, f, image);
		break;
	case SB_PASS_STACK:
		memcpy(at, image, p->size);
		break;
	case SB_PASS_REF:
		memcpy(copy, image, p->size);
		memcpy(at, &copy, sizeof copy);
		break;
	case SB_PASS_EMPTY:
		ck_assert_uint_eq(p->size, 0);
		break;
	default:
		ck_abort_msg("pass %u for a struct", p->pass);
	}
}

/* A struct argument's image out of a (callback's) frame, into buf when it
 * travelled in parts; the stack words are in frame->stack already. */
static const void *get_struct(const struct sb_frame *f, const struct sb_place *p,
			      unsigned char *buf)
{
	const unsigned char *at = (const unsigned char *)f + p->offset;
	const void *ref;

	memset(buf, STALE, CS_MAX_SIZE);
	switch (p->pass) {
	case SB_PASS_PARTS:
		parts_from_frame(p, f, buf);
		return buf;
	case SB_PASS_STACK:
		return at;
	case SB_PASS_REF:
		memcpy(&ref, at, sizeof ref);
		return ref;
	default:
		return buf;	/* empty */
	}
}

static uint64_t kind_bits(enum sb_kind k, uint64_t v)
{
	size_t w = sb_kind_size(k);

	return w == 8 ? v : v & ((1ull << w * 8) - 1);
}

START_TEST(test_case)
{
	const struct cs_case *c = &cs_cases[_i];
	_Alignas(16) static unsigned char copies[CS_MAX_ARGS][CS_MAX_SIZE];
	_Alignas(16) unsigned char result[CS_MAX_SIZE];
	unsigned char *res = result;
	struct sb_frame f;
	struct sb_plan plan;

	classify(c, &plan);
	memset(&f, STALE, sizeof f);	/* stale bytes, as in a reused frame */
	memset(result, STALE, sizeof result);
	f.fn = (void *)c->fn;
	f.nstack = plan.nstack;
	f.nvec = plan.nvec;
	for (int i = 0; i < c->nargs; i++) {
		if (CS_IS_AGG(c->args[i]))
			put_struct(&f, &plan.args[i], c->structs[i].image, copies[i]);
		else
			ck_put(&f, &plan.args[i], c->values[i]);
	}
	if (plan.ret.kind == SB_K_AGG && plan.ret.pass == SB_PASS_REF) {
		ck_assert_int_ge(plan.ret_ptr, 0);
		memcpy((unsigned char *)&f + plan.ret_ptr, &res, sizeof res);
	}
	cf_reset();
	sb_dispatcher_of(&plan)(&f);	/* the lean one where the plan allows it */
	ck_assert_msg(cf_failure_count() == 0, "%s: %u bad fields, first: %s",
		      c->name, cf_failure_count(), cf_last_failure());
	if (plan.ret.kind == SB_K_AGG) {
		if (plan.ret.pass == SB_PASS_PARTS)
			parts_from_frame(&plan.ret, &f, result);
		if (plan.ret.pass == SB_PASS_REF && plan.ret.where == SB_IN_GPR) {
			void *back;

			/* System V, Win64: the callee returns the address too */
			memcpy(&back, (unsigned char *)&f + plan.ret.offset, sizeof back);
			ck_assert_ptr_eq(back, result);
		}
		cs_check_value(c->name, -2, result, &c->ret_value);
		ck_assert_msg(cf_failure_count() == 0, "%s", cf_last_failure());
	} else if (plan.ret.kind != SB_K_VOID) {
		uint64_t got = ck_get(&f, &plan.ret), want = kind_bits(plan.ret.kind, c->expect);

		ck_assert_msg(got == want, "%s returned 0x%llx, want 0x%llx", c->name,
			      (unsigned long long)got, (unsigned long long)want);
	}
}
END_TEST

/* The case the handler expects, and its plan. */
static const struct cs_case *cb_case;
static struct sb_plan cb_plan;
static int cb_calls;

static void cb_handler(uint32_t index, struct sb_frame *frame)
{
	const struct cs_case *c = cb_case;
	const struct sb_place *r = &cb_plan.ret;
	unsigned char buf[CS_MAX_SIZE];

	(void)index;
	cb_calls++;
	memcpy(frame->stack, frame->argp, cb_plan.nstack * SB_WORD);
	for (int i = 0; i < c->nargs; i++) {
		const struct sb_place *p = &cb_plan.args[i];

		if (CS_IS_AGG(c->args[i]))
			cs_check_value(c->name, i, get_struct(frame, p, buf), &c->structs[i]);
		else
			cf_check_field(c->name, i, "", ck_get(frame, p), kind_bits(p->kind, c->values[i]));
	}
	if (r->kind == SB_K_AGG && r->pass == SB_PASS_PARTS) {
		parts_to_frame(r, frame, c->ret_value.image);
	} else if (r->kind == SB_K_AGG && r->pass == SB_PASS_REF) {
		void *to;

		memcpy(&to, (unsigned char *)frame + cb_plan.ret_ptr, sizeof to);
		memcpy(to, c->ret_value.image, r->size);
		if (r->where == SB_IN_GPR)	/* System V, Win64: and back in rax */
			memcpy((unsigned char *)frame + r->offset, &to, sizeof to);
	} else if (r->kind != SB_K_VOID && r->kind != SB_K_AGG) {
		ck_put(frame, r, c->expect);
	}
}

START_TEST(test_callback_case)
{
	const struct cs_case *c = &cs_cases[_i];

	classify(c, &cb_plan);
	cb_case = c;
	cb_calls = 0;
	cf_reset();
	sb_callback_set_handler(cb_handler);
	c->call_back(sb_trampoline_address((uint32_t)_i % SB_TRAMPOLINE_COUNT));
	sb_callback_set_handler(NULL);
	ck_assert_int_eq(cb_calls, 1);
	ck_assert_msg(cf_failure_count() == 0, "csc of %s: %u bad fields, first: %s", c->name,
		      cf_failure_count(), cf_last_failure());
}
END_TEST

Suite *struct_conformance_suite(void)
{
	Suite *s = suite_create("struct conformance");
	TCase *tc = tcase_create("layouts");

	tcase_add_checked_fixture(tc, define_types, free_types);
	tcase_add_loop_test(tc, test_layout, 0, (int)cs_type_count);
	suite_add_tcase(s, tc);
	tc = tcase_create("generated");
	tcase_add_checked_fixture(tc, define_types, free_types);
	tcase_add_loop_test(tc, test_case, 0, (int)cs_case_count);
	suite_add_tcase(s, tc);
	tc = tcase_create("callbacks");
	tcase_add_checked_fixture(tc, define_types, free_types);
	tcase_add_loop_test(tc, test_callback_case, 0, (int)cs_case_count);
	suite_add_tcase(s, tc);
	return s;
}
