/* The Win64 classifier, table-driven: each row is a C prototype and where
 * the Microsoft x64 calling convention ("x64 calling convention",
 * Microsoft Learn) puts every value. Classifiers are pure data, so this
 * suite runs in every build, whatever the host. */
#include <stdio.h>

#include "check_suites.h"
#include "check_table.h"

static const struct row rows[] = {
	/* no arguments, no return value */
	{ "win64", "void f(void)", V, 0, { 0 }, NONE, { NONE }, 0, 0 },
	/* "Parameter passing": integer arguments 1-4 in rcx, rdx, r8, r9;
	 * "Return values": integers in rax */
	{ "win64", "int f(int, int, int, int)", I, 4, { I, I, I, I }, RG,
	  { G(0), G(1), G(2), G(3) }, 0, 0 },
	/* "Parameter passing": the fifth and later arguments go on the stack
	 * above the shadow space, in order, 8 bytes each */
	{ "win64", "long long f(long long x6)", LL, 6, { LL, LL, LL, LL, LL, LL }, RG,
	  { G(0), G(1), G(2), G(3), S(0), S(8) }, 2, 0 },
	/* "Parameter passing": floating-point arguments 1-4 in xmm0-3;
	 * "Return values": float and double in xmm0 */
	{ "win64", "double f(double, double, double, double, double)", D, 5,
	  { D, D, D, D, D }, RX, { X(0), X(1), X(2), X(3), S(0) }, 1, 4 },
	/* "Parameter passing" (its example func1(int a, double b, int c,
	 * float d)): slots are positional, one kind each: rcx, xmm1, r8, xmm3 */
	{ "win64", "void f(int, double, int, double)", V, 4, { I, D, I, D }, NONE,
	  { G(0), X(1), G(2), X(3) }, 0, 4 },
	/* positional: a float in position 1 leaves rdx unused, and the
	 * integer in position 2 takes r8, not rdx (no back-filling) */
	{ "win64", "float f(float, float, long, void *)", F, 4, { F, F, L, P }, RX,
	  { X(0), X(1), G(2), G(3) }, 0, 2 },
	/* both kinds share the stack after four arguments, in order */
	{ "win64", "void f(double, int, double, int, double, int, float, char)", V, 8,
	  { D, I, D, I, D, I, F, C }, NONE,
	  { X(0), G(1), X(2), G(3), S(0), S(8), S(16), S(24) }, 4, 3 },
	/* narrow integers take a whole slot; bool, char, short are integers */
	{ "win64", "bool f(bool, unsigned char, short, wchar_t, short)", B, 5,
	  { B, UC, SH, W, SH }, RG, { G(0), G(1), G(2), G(3), S(0) }, 1, 0 },
	/* "Data type ranges": LLP64, long and unsigned long are 4 bytes;
	 * pointers are 8 */
	{ "win64", "unsigned long f(unsigned long, long, unsigned int, void *, long)", UL, 5,
	  { UL, L, U, P, L }, RG, { G(0), G(1), G(2), G(3), S(0) }, 1, 0 },
	/* a float argument in position 4 is still a stack argument */
	{ "win64", "void f(int, int, int, int, float, double)", V, 6,
	  { I, I, I, I, F, D }, NONE, { G(0), G(1), G(2), G(3), S(0), S(8) }, 2, 0 },
	/* only the last register position a float took counts toward nvec */
	{ "win64", "void *f(void *, void *, void *, float)", P, 4, { P, P, P, F }, RG,
	  { G(0), G(1), G(2), X(3) }, 0, 4 },
};

/* "Varargs": anonymous arguments are placed as named ones, positionally,
 * and a floating-point one in a register position is in both registers of
 * that position (the C promotions made every float a double already) */
static const struct vrow vrows[] = {
	{ 1, { "win64", "int f(const char *, ...) (double, int, double)", I, 4, { P, D, I, D },
	       RG, { G(0), XG(1), G(2), XG(3) }, 0, 4 } },
	/* a named double keeps one register, and past position 3 the
	 * anonymous ones are stack slots as any */
	{ 2, { "win64", "void f(double, int, ...) (double, double, long long)", V, 5,
	       { D, I, D, D, LL }, NONE, { X(0), G(1), XG(2), XG(3), S(0) }, 1, 4 } },
	{ 1, { "win64", "void f(int, ...) (int, int, int, double)", V, 5, { I, I, I, I, D }, NONE,
	       { G(0), G(1), G(2), G(3), S(0) }, 1, 0 } },
};

/* LLP64 ("Data type ranges") and wchar_t ("Fundamental types": a 16-bit
 * UTF-16 unit); char is signed (MSVC without /J) */
static const struct {
	int type;
	uint8_t kind;
	uint8_t size;
} kinds[] = {
	{ SB_CHAR, SB_K_I8, 1 }, { SB_LONG, SB_K_I32, 4 }, { SB_ULONG, SB_K_U32, 4 },
	{ SB_LLONG, SB_K_I64, 8 }, { SB_WCHAR, SB_K_U16, 2 }, { SB_INT, SB_K_I32, 4 },
	{ SB_SIZE, SB_K_U64, 8 }, { SB_SSIZE, SB_K_I64, 8 }, { SB_POINTER, SB_K_PTR, 8 },
	{ SB_FLOAT, SB_K_F32, 4 }, { SB_DOUBLE, SB_K_F64, 8 },
};

static const struct sb_abi *win64(void)
{
	return ck_abi("win64");
}

START_TEST(test_placement)
{
	struct sb_plan plan;

	ck_assert_row(&rows[_i], rows[_i].nargs, &plan);
}
END_TEST

START_TEST(test_variadic_placement)
{
	struct sb_plan plan;

	ck_assert_row(&vrows[_i].r, vrows[_i].nfixed, &plan);
}
END_TEST

START_TEST(test_kinds)
{
	ck_assert_int_eq(sb_kind_of(win64(), kinds[_i].type), kinds[_i].kind);
	ck_assert_uint_eq(sb_type_size(win64(), kinds[_i].type), kinds[_i].size);
}
END_TEST

/* SB_MAX_ARGS arguments: four in registers, the rest one stack slot each */
START_TEST(test_max_args)
{
	int args[SB_MAX_ARGS];
	struct sb_plan plan;
	const char *err = NULL;

	for (int i = 0; i < SB_MAX_ARGS; i++)
		args[i] = i % 2 ? SB_DOUBLE : SB_INT;
	ck_assert_int_eq(sb_classify(win64(), SB_VOID, args, SB_MAX_ARGS, &plan, &err), 0);
	ck_assert_uint_eq(plan.nstack, SB_MAX_ARGS - 4);
	for (unsigned i = 4; i < SB_MAX_ARGS; i++) {
		struct at want = S((i - 4) * SB_WORD);
		struct row r = { .abi = "win64", .proto = "f(x64)" };

		ck_assert_at(&r, (int)i, &plan.args[i], &want);
	}
}
END_TEST

/* "Parameter passing" and "Return values": register names for explain();
 * nothing returns in a second register */
START_TEST(test_reg_names)
{
	static const char *const gpr[] = { "rcx", "rdx", "r8", "r9" };
	struct sb_place p = { 0 };
	char name[8];

	p.where = SB_IN_GPR;
	for (p.index = 0; p.index < 4; p.index++)
		ck_assert_str_eq(sb_abi_reg_name(win64(), &p, 0), gpr[p.index]);
	ck_assert_ptr_null(sb_abi_reg_name(win64(), &p, 0));	/* index 4 */
	p.index = 0;
	ck_assert_str_eq(sb_abi_reg_name(win64(), &p, 1), "rax");
	p.index = 1;
	ck_assert_ptr_null(sb_abi_reg_name(win64(), &p, 1));
	p.where = SB_IN_VEC;
	for (p.index = 0; p.index < 4; p.index++) {
		snprintf(name, sizeof name, "xmm%u", p.index);
		ck_assert_str_eq(sb_abi_reg_name(win64(), &p, 0), name);
	}
	ck_assert_ptr_null(sb_abi_reg_name(win64(), &p, 0));	/* index 4 */
	p.index = 0;
	ck_assert_str_eq(sb_abi_reg_name(win64(), &p, 1), "xmm0");
}
END_TEST

Suite *win64_suite(void)
{
	Suite *s = suite_create("registry-win64");
	TCase *tc = tcase_create("win64");

	tcase_add_loop_test(tc, test_placement, 0, sizeof rows / sizeof rows[0]);
	tcase_add_loop_test(tc, test_variadic_placement, 0, sizeof vrows / sizeof vrows[0]);
	tcase_add_loop_test(tc, test_kinds, 0, sizeof kinds / sizeof kinds[0]);
	tcase_add_test(tc, test_max_args);
	tcase_add_test(tc, test_reg_names);
	suite_add_tcase(s, tc);
	return s;
}
