/* The registry and the System V AMD64 classifier, table-driven: each row
 * is a C prototype and where the psABI (version 1.0) puts every value. */
#include <stdio.h>
#include <wchar.h>

#include "check_suites.h"
#include "check_table.h"

static const struct row rows[] = {
	/* 3.2.3: no arguments, no return value: no register, no stack */
	{ "sysv-x64", "void f(void)", V, 0, { 0 }, NONE, { NONE }, 0, 0 },
	/* 3.2.3 rule 2 (INTEGER): the next of rdi, rsi, rdx, rcx, r8, r9 */
	{ "sysv-x64", "int f(int, int, int, int, int, int)", I, 6, { I, I, I, I, I, I }, RG,
	  { G(0), G(1), G(2), G(3), G(4), G(5) }, 0, 0 },
	/* 3.2.3: "If there are no registers available for any eightbyte of
	 * an argument, the whole argument is passed on the stack" */
	{ "sysv-x64", "long f(long, long, long, long, long, long, long)", L, 7,
	  { L, L, L, L, L, L, L }, RG,
	  { G(0), G(1), G(2), G(3), G(4), G(5), S(0) }, 1, 0 },
	/* 3.2.3 + figure 3.3: memory arguments take 8-byte slots in order */
	{ "sysv-x64", "void f(int, int, int, int, int, int, int, int)", V, 8,
	  { I, I, I, I, I, I, I, I }, NONE,
	  { G(0), G(1), G(2), G(3), G(4), G(5), S(0), S(8) }, 2, 0 },
	/* 3.2.3 rule 3 (SSE): the next of xmm0-xmm7; "Returning of Values":
	 * SSE class in xmm0 */
	{ "sysv-x64", "double f(double, double, double, double, double, double, double, double)",
	  D, 8, { D, D, D, D, D, D, D, D }, RX,
	  { X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7) }, 0, 8 },
	/* 3.2.3: the ninth and later SSE arguments go to memory */
	{ "sysv-x64", "double f(double x10)", D, 10, { D, D, D, D, D, D, D, D, D, D }, RX,
	  { X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), S(0), S(8) }, 2, 8 },
	/* 3.2.3 rule 3: float is SSE like double, one register each */
	{ "sysv-x64", "float f(float, double, float)", F, 3, { F, D, F }, RX,
	  { X(0), X(1), X(2) }, 0, 3 },
	/* 3.2.3: the two classes count separately, in argument order */
	{ "sysv-x64", "void f(int, double, long, float, void *)", V, 5, { I, D, L, F, P },
	  NONE, { G(0), X(0), G(1), X(1), G(2) }, 0, 2 },
	/* 3.2.3: INTEGER registers run out, SSE arguments still take xmm */
	{ "sysv-x64", "void f(int x7, double, double)", V, 9, { I, I, I, I, I, I, I, D, D },
	  NONE, { G(0), G(1), G(2), G(3), G(4), G(5), S(0), X(0), X(1) }, 1, 2 },
	/* 3.2.3: SSE registers run out, INTEGER arguments still take rdi.. */
	{ "sysv-x64", "void f(double x9, int, int)", V, 11, { D, D, D, D, D, D, D, D, D, I, I },
	  NONE, { X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), S(0), G(0), G(1) },
	  1, 8 },
	/* 3.2.3 + figure 3.3: once both classes are out, the stack takes
	 * both kinds interleaved in argument order */
	{ "sysv-x64", "void f(int x6, double x8, int, double, int, float)", V, 18,
	  { I, I, I, I, I, I, D, D, D, D, D, D, D, D, I, D, I, F }, NONE,
	  { G(0), G(1), G(2), G(3), G(4), G(5), X(0), X(1), X(2), X(3), X(4),
	    X(5), X(6), X(7), S(0), S(8), S(16), S(24) }, 4, 8 },
	/* 3.2.3 rule 2 + figure 3.1: _Bool, char, short are INTEGER */
	{ "sysv-x64", "bool f(char, signed char, unsigned char, short, unsigned short, bool)",
	  B, 6, { C, SC, UC, SH, US, B }, RG,
	  { G(0), G(1), G(2), G(3), G(4), G(5) }, 0, 0 },
	/* 3.2.3: "The size of each argument gets rounded up to eightbytes":
	 * narrow stack arguments still take a whole slot each */
	{ "sysv-x64", "void f(long x6, char, short, bool, float)", V, 10,
	  { L, L, L, L, L, L, C, SH, B, F }, NONE,
	  { G(0), G(1), G(2), G(3), G(4), G(5), S(0), S(8), S(16), X(0) }, 3, 1 },
	/* 3.2.3 rule 2 + figure 3.1: pointers are INTEGER */
	{ "sysv-x64", "void *f(void *, void *)", P, 2, { P, P }, RG, { G(0), G(1) }, 0, 0 },
	/* figure 3.1: every 64-bit integer is one INTEGER eightbyte */
	{ "sysv-x64", "unsigned long long f(int64_t, uint64_t, size_t, ssize_t, intptr_t, uintptr_t, long long)",
	  ULL, 7, { SB_INT64, SB_UINT64, SB_SIZE, SB_SSIZE, SB_INTPTR, SB_UINTPTR, LL },
	  RG, { G(0), G(1), G(2), G(3), G(4), G(5), S(0) }, 1, 0 },
	/* "Returning of Values": float is SSE, returned in xmm0 */
	{ "sysv-x64", "float f(void)", F, 0, { 0 }, RX, { NONE }, 0, 0 },
	/* "Returning of Values": unsigned char is INTEGER, returned in rax */
	{ "sysv-x64", "unsigned char f(unsigned long)", UC, 1, { UL }, RG, { G(0) }, 0, 0 },
	/* 3.2.3: twenty arguments alternating int and double; both classes
	 * spill, and the stack keeps argument order */
	{ "sysv-x64", "void f(int, double) x10", V, 20,
	  { I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D }, NONE,
	  { G(0), X(0), G(1), X(1), G(2), X(2), G(3), X(3), G(4), X(4),
	    G(5), X(5), S(0), X(6), S(8), X(7), S(16), S(24), S(32), S(40) },
	  6, 8 },
};

/* Figure 3.1 (LP64): kind and size of every type id under sysv-x64. */
static const struct {
	int type;
	uint8_t kind;
	uint8_t size;
} kinds[] = {
	{ SB_VOID, SB_K_VOID, 0 }, { SB_BOOL, SB_K_BOOL, 1 },
	{ SB_CHAR, SB_K_I8, 1 },	/* figure 3.1: char is signed */
	{ SB_SCHAR, SB_K_I8, 1 }, { SB_UCHAR, SB_K_U8, 1 },
	{ SB_SHORT, SB_K_I16, 2 }, { SB_USHORT, SB_K_U16, 2 },
	{ SB_INT, SB_K_I32, 4 }, { SB_UINT, SB_K_U32, 4 },
	{ SB_LONG, SB_K_I64, 8 },	/* LP64: long is 8 bytes */
	{ SB_ULONG, SB_K_U64, 8 },
	{ SB_LLONG, SB_K_I64, 8 }, { SB_ULLONG, SB_K_U64, 8 },
	{ SB_INT8, SB_K_I8, 1 }, { SB_UINT8, SB_K_U8, 1 },
	{ SB_INT16, SB_K_I16, 2 }, { SB_UINT16, SB_K_U16, 2 },
	{ SB_INT32, SB_K_I32, 4 }, { SB_UINT32, SB_K_U32, 4 },
	{ SB_INT64, SB_K_I64, 8 }, { SB_UINT64, SB_K_U64, 8 },
	{ SB_SIZE, SB_K_U64, 8 }, { SB_SSIZE, SB_K_I64, 8 },
	{ SB_INTPTR, SB_K_I64, 8 }, { SB_UINTPTR, SB_K_U64, 8 },
	{ SB_FLOAT, SB_K_F32, 4 }, { SB_DOUBLE, SB_K_F64, 8 },
	{ SB_POINTER, SB_K_PTR, 8 },
	{ SB_WCHAR, SB_K_I32, 4 },	/* glibc: wchar_t is int */
};
_Static_assert(sizeof kinds / sizeof kinds[0] == SB_TYPE_COUNT, "a row per type");

static const struct sb_abi *sysv(void)
{
	return ck_abi("sysv-x64");
}

START_TEST(test_placement)
{
	const struct row *r = &rows[_i];
	struct sb_plan plan;

	ck_assert_row(r, r->nargs, &plan);
	ck_assert_int_eq(plan.ret.kind, kinds[r->ret].kind);
	for (int i = 0; i < r->nargs; i++)
		ck_assert_msg(plan.args[i].kind == kinds[r->args[i]].kind,
			      "%s, argument %d: kind %u", r->proto, i, plan.args[i].kind);
}
END_TEST

/* 3.5.7 "Variable Argument Lists": anonymous arguments are classified as
 * named ones (no second register, unlike Win64); al carries the number
 * of vector registers used, the count nvec is, past the eight too */
static const struct vrow vrows[] = {
	{ 1, { "sysv-x64", "int f(const char *, ...) (int, double)", I, 3, { P, I, D }, RG,
	       { G(0), G(1), X(0) }, 0, 1 } },
	{ 0, { "sysv-x64", "void f(...) (double x9, int)", V, 10,
	       { D, D, D, D, D, D, D, D, D, I }, NONE,
	       { X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), S(0), G(0) }, 1, 8 } },
};

START_TEST(test_variadic_placement)
{
	struct sb_plan plan;

	ck_assert_row(&vrows[_i].r, vrows[_i].nfixed, &plan);
}
END_TEST

/* The leanest dispatcher a shape allows: the integer registers only when
 * nothing travels on the stack or in a vector register, either way. */
static const struct {
	const char *proto;
	int ret, nargs, args[8];
	int dispatch;
} shapes[] = {
	{ "int f(int, int)", SB_INT, 2, { SB_INT, SB_INT }, SB_DISPATCH_GPR },
	{ "void f(void)", SB_VOID, 0, { 0 }, SB_DISPATCH_GPR },
	{ "void *f(long x6)", SB_POINTER, 6, { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG },
	  SB_DISPATCH_GPR },
	{ "void f(long x7)", SB_VOID, 7, { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG },
	  SB_DISPATCH_ALL },
	{ "double f(int)", SB_DOUBLE, 1, { SB_INT }, SB_DISPATCH_ALL },
	{ "int f(float)", SB_INT, 1, { SB_FLOAT }, SB_DISPATCH_ALL },
};

START_TEST(test_dispatch_choice)
{
	struct sb_plan plan;
	const char *err = NULL;

	ck_assert_int_eq(sb_classify(sysv(), shapes[_i].ret, shapes[_i].args, shapes[_i].nargs,
				     &plan, &err), 0);
	ck_assert_msg(plan.dispatch == shapes[_i].dispatch, "%s: dispatch %u", shapes[_i].proto,
		      plan.dispatch);
	ck_assert_ptr_eq((void *)sb_dispatcher_of(&plan),
			 (void *)(shapes[_i].dispatch == SB_DISPATCH_GPR ? sb_call_gpr : sb_call));
}
END_TEST

/* Bad input is refused with a message, never classified. */
static const struct {
	const char *what;
	int ret;
	int nargs;
	int args[2];
} bad[] = {
	{ "return type 999", 999, 0, { 0 } },
	{ "return type -1", -1, 0, { 0 } },
	{ "return type SB_TYPE_COUNT", SB_TYPE_COUNT, 0, { 0 } },
	{ "argument type 999", SB_INT, 2, { SB_INT, 999 } },
	{ "argument type -1", SB_INT, 1, { -1 } },
	{ "argument type SB_TYPE_COUNT", SB_VOID, 1, { SB_TYPE_COUNT } },
	{ "void argument", SB_INT, 2, { SB_INT, SB_VOID } },
	{ "negative argument count", SB_INT, -1, { 0 } },
};

START_TEST(test_refused)
{
	struct sb_plan plan;
	const char *err = NULL;

	ck_assert_msg(sb_classify(sysv(), bad[_i].ret, bad[_i].args, bad[_i].nargs,
				  &plan, &err) == -1, "%s accepted", bad[_i].what);
	ck_assert_ptr_nonnull(err);
}
END_TEST

/* SB_MAX_ARGS arguments of one class: the registers, then one stack
 * slot each (3.2.3); one more is refused. */
START_TEST(test_max_args)
{
	int args[SB_MAX_ARGS + 1];
	struct sb_plan plan;
	const char *err = NULL;
	int type = _i ? SB_DOUBLE : SB_INT;
	unsigned regs = _i ? 8 : 6;

	for (int i = 0; i <= SB_MAX_ARGS; i++)
		args[i] = type;
	ck_assert_int_eq(sb_classify(sysv(), SB_VOID, args, SB_MAX_ARGS, &plan, &err), 0);
	ck_assert_uint_eq(plan.nstack, SB_MAX_ARGS - regs);
	ck_assert_uint_eq(plan.nvec, _i ? 8 : 0);
	for (unsigned i = regs; i < SB_MAX_ARGS; i++) {
		struct at want = S((i - regs) * SB_WORD);
		struct row r = { .abi = "sysv-x64", .proto = "f(x64)" };

		ck_assert_at(&r, (int)i, &plan.args[i], &want);
	}
	err = NULL;
	ck_assert_int_eq(sb_classify(sysv(), SB_VOID, args, SB_MAX_ARGS + 1, &plan, &err), -1);
	ck_assert_ptr_nonnull(err);
}
END_TEST

/* The store keeps one plan per distinct (ABI, signature). */
START_TEST(test_registry_define)
{
	struct sb_registry reg = { 0 };
	const char *err = NULL;
	int a[] = { SB_INT, SB_DOUBLE }, b[] = { SB_DOUBLE, SB_INT };
	const struct sb_plan *p1, *p2, *p3, *p4, *p5;

	p1 = sb_registry_define(&reg, sysv(), SB_INT, a, 2, 2, &err);
	p2 = sb_registry_define(&reg, sysv(), SB_INT, a, 2, 2, &err);
	p3 = sb_registry_define(&reg, sysv(), SB_INT, b, 2, 2, &err);
	p4 = sb_registry_define(&reg, sysv(), SB_UINT, a, 2, 2, &err);
	p5 = sb_registry_define(&reg, sysv(), SB_INT, a, 1, 1, &err);
	ck_assert_ptr_nonnull(p1);
	ck_assert_ptr_eq(p1, p2);
	ck_assert_ptr_ne(p1, p3);
	ck_assert_ptr_ne(p1, p4);
	ck_assert_ptr_ne(p1, p5);
	ck_assert_ptr_ne(p3, p4);
	ck_assert_uint_eq(reg.len, 4);
	ck_assert_int_eq(p3->args[0].where, SB_IN_VEC);
	ck_assert_int_eq(p3->args[1].where, SB_IN_GPR);

	/* the same types with a `...` after the first are another plan: the
	 * ABI may place anonymous arguments otherwise (Win64, Apple arm64) */
	p2 = sb_registry_define(&reg, sb_abi_find("win64"), SB_INT, a, 2, 1, &err);
	ck_assert_ptr_nonnull(p2);
	ck_assert_int_eq(p2->nfixed, 1);
	ck_assert_uint_ne(p2->args[1].also, 0);
	ck_assert_ptr_eq(sb_registry_define(&reg, sb_abi_find("win64"), SB_INT, a, 2, 1, &err), p2);
	ck_assert_ptr_ne(sb_registry_define(&reg, sb_abi_find("win64"), SB_INT, a, 2, 2, &err), p2);
	ck_assert_uint_eq(reg.len, 6);

	/* a refused signature stores nothing */
	err = NULL;
	ck_assert_ptr_null(sb_registry_define(&reg, sysv(), SB_INT, (int[]){ SB_VOID }, 1, 1, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(reg.len, 6);

	sb_registry_free(&reg);
	ck_assert_ptr_null(reg.plans);
	ck_assert_uint_eq(reg.len, 0);
	ck_assert_uint_eq(reg.cap, 0);
}
END_TEST

/* Past the first allocation the store grows, and plans keep their address. */
START_TEST(test_registry_grows)
{
	struct sb_registry reg = { 0 };
	const struct sb_plan *first[40];
	const char *err = NULL;
	int args[2];

	for (int i = 0; i < 40; i++) {
		args[0] = 1 + i % (SB_TYPE_COUNT - 1);
		args[1] = 1 + i / (SB_TYPE_COUNT - 1);
		first[i] = sb_registry_define(&reg, sysv(), SB_VOID, args, 2, 2, &err);
		ck_assert_ptr_nonnull(first[i]);
	}
	ck_assert_uint_eq(reg.len, 40);
	for (int i = 0; i < 40; i++) {
		args[0] = 1 + i % (SB_TYPE_COUNT - 1);
		args[1] = 1 + i / (SB_TYPE_COUNT - 1);
		ck_assert_ptr_eq(sb_registry_define(&reg, sysv(), SB_VOID, args, 2, 2, &err),
				 first[i]);
	}
	ck_assert_uint_eq(reg.len, 40);
	sb_registry_free(&reg);
}
END_TEST

START_TEST(test_abi_find)
{
	ck_assert_ptr_nonnull(sb_abi_find("sysv-x64"));
	ck_assert_ptr_nonnull(sb_abi_find("win64"));
	ck_assert_ptr_eq(sb_abi_find(sb_abi_name(sb_abi_host())), sb_abi_host());
	ck_assert_ptr_null(sb_abi_find("vax"));
	ck_assert_ptr_null(sb_abi_find(""));
	ck_assert_ptr_null(sb_abi_find("sysv-x64 "));
}
END_TEST

/* 3.2.3, figure 3.4: the argument registers in assignment order, and
 * "Returning of Values": rax, rdx and xmm0, xmm1 for return values. */
START_TEST(test_reg_names)
{
	static const char *const gpr[] = { "rdi", "rsi", "rdx", "rcx", "r8", "r9" };
	static const char *const ret_gpr[] = { "rax", "rdx" };
	struct sb_place p = { 0 };
	char name[8];

	p.where = SB_IN_GPR;
	for (p.index = 0; p.index < 6; p.index++)
		ck_assert_str_eq(sb_abi_reg_name(sysv(), &p, 0), gpr[p.index]);
	ck_assert_ptr_null(sb_abi_reg_name(sysv(), &p, 0));	/* index 6 */
	for (p.index = 0; p.index < 2; p.index++)
		ck_assert_str_eq(sb_abi_reg_name(sysv(), &p, 1), ret_gpr[p.index]);
	p.where = SB_IN_VEC;
	for (p.index = 0; p.index < 8; p.index++) {
		snprintf(name, sizeof name, "xmm%u", p.index);
		ck_assert_str_eq(sb_abi_reg_name(sysv(), &p, 0), name);
		if (p.index < 2)
			ck_assert_str_eq(sb_abi_reg_name(sysv(), &p, 1), name);
	}
	ck_assert_ptr_null(sb_abi_reg_name(sysv(), &p, 0));	/* index 8 */
	p.where = SB_IN_STACK;
	p.index = 0;
	ck_assert_ptr_null(sb_abi_reg_name(sysv(), &p, 0));
	p.where = SB_IN_NONE;
	ck_assert_ptr_null(sb_abi_reg_name(sysv(), &p, 0));
	ck_assert_ptr_null(sb_abi_reg_name(sysv(), &p, 1));
}
END_TEST

START_TEST(test_type_size)
{
	int t = kinds[_i].type;

	ck_assert_int_eq(t, _i);
	ck_assert_int_eq(sb_kind_of(sysv(), t), kinds[_i].kind);
	ck_assert_uint_eq(sb_type_size(sysv(), t), kinds[_i].size);
	ck_assert_uint_eq(sb_kind_size(kinds[_i].kind), kinds[_i].size);
}
END_TEST

/* The host classifier must agree with the compiler that built the tests. */
START_TEST(test_host_data_model)
{
	const struct sb_abi *h = sb_abi_host();

	ck_assert_int_eq(sb_kind_of(h, SB_CHAR), (char)-1 < 0 ? SB_K_I8 : SB_K_U8);
	/* the Win64 test mode builds for LLP64 with an LP64 compiler */
	ck_assert_uint_eq(sb_type_size(h, SB_LONG), SB_TEST_WIN64 ? 4 : sizeof(long));
	ck_assert_uint_eq(sb_type_size(h, SB_ULONG), SB_TEST_WIN64 ? 4 : sizeof(unsigned long));
	ck_assert_uint_eq(sb_type_size(h, SB_WCHAR), SB_TEST_WIN64 ? 2 : sizeof(wchar_t));
	ck_assert_uint_eq(sb_type_size(h, SB_SHORT), sizeof(short));
	ck_assert_uint_eq(sb_type_size(h, SB_INT), sizeof(int));
	ck_assert_uint_eq(sb_type_size(h, SB_LLONG), sizeof(long long));
	ck_assert_uint_eq(sb_type_size(h, SB_SIZE), sizeof(size_t));
	ck_assert_uint_eq(sb_type_size(h, SB_POINTER), sizeof(void *));
	ck_assert_uint_eq(sb_type_size(h, SB_BOOL), sizeof(_Bool));
	ck_assert_uint_eq(sb_type_size(h, SB_FLOAT), sizeof(float));
	ck_assert_uint_eq(sb_type_size(h, SB_DOUBLE), sizeof(double));
}
END_TEST

Suite *registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("sysv-x64");

	tcase_add_loop_test(tc, test_placement, 0, sizeof rows / sizeof rows[0]);
	tcase_add_loop_test(tc, test_variadic_placement, 0, sizeof vrows / sizeof vrows[0]);
	tcase_add_loop_test(tc, test_dispatch_choice, 0, sizeof shapes / sizeof shapes[0]);
	tcase_add_loop_test(tc, test_refused, 0, sizeof bad / sizeof bad[0]);
	tcase_add_loop_test(tc, test_max_args, 0, 2);
	tcase_add_loop_test(tc, test_type_size, 0, SB_TYPE_COUNT);
	tcase_add_test(tc, test_reg_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("store");
	tcase_add_test(tc, test_registry_define);
	tcase_add_test(tc, test_registry_grows);
	tcase_add_test(tc, test_abi_find);
	tcase_add_test(tc, test_host_data_model);
	suite_add_tcase(s, tc);
	return s;
}
