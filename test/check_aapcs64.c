/* The AAPCS64 classifiers, table-driven: each row is a C prototype and
 * where the Procedure Call Standard for the Arm 64-bit Architecture
 * (release 2025Q4, §6.8.2 "Parameter passing rules", stage C) or Apple's
 * arm64 variant puts every value. Classifiers are pure data, so this suite
 * runs in every build, whatever the host. */
#include <stdio.h>

#include "check_suites.h"
#include "check_table.h"

#define G8 G(0), G(1), G(2), G(3), G(4), G(5), G(6), G(7)
#define X8 X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7)

#define I8 I, I, I, I, I, I, I, I
#define L8 L, L, L, L, L, L, L, L
#define D8 D, D, D, D, D, D, D, D

static const struct row rows[] = {
	/* A.1-A.4: nothing taken, nothing placed */
	{ "aapcs64", "void f(void)", V, 0, { 0 }, NONE, { NONE }, 0, 0 },
	/* C.9: integers in x[NGRN], NGRN += 1; §6.9: result in x0 */
	{ "aapcs64", "int f(int x8)", I, 8, { I8 }, RG, { G8 }, 0, 0 },
	/* C.13: NGRN = 8; C.14: NSAA 8-aligned; C.17: the ninth at sp + 0 */
	{ "aapcs64", "long f(long x9)", L, 9, { L8, L }, RG, { G8, S(0) }, 1, 0 },
	/* C.16: an int on the stack takes 8 bytes */
	{ "aapcs64", "void f(int x10)", V, 10, { I8, I, I }, NONE,
	  { G8, S(0), S(8) }, 2, 0 },
	/* C.1: floating point in v[NSRN], NSRN += 1; §6.9: result in v0 */
	{ "aapcs64", "double f(double x8)", D, 8, { D8 }, RX, { X8 }, 0, 8 },
	/* C.6: past v7, on the stack at NSAA */
	{ "aapcs64", "void f(double x10)", V, 10, { D8, D, D }, NONE,
	  { X8, S(0), S(8) }, 2, 8 },
	/* C.5: a float on the stack takes 8 bytes */
	{ "aapcs64", "float f(float x10)", F, 10, { F, F, F, F, F, F, F, F, F, F }, RX,
	  { X8, S(0), S(8) }, 2, 8 },
	/* NGRN and NSRN count separately, in argument order */
	{ "aapcs64", "void f(int, double, long, float, void *)", V, 5, { I, D, L, F, P },
	  NONE, { G(0), X(0), G(1), X(1), G(2) }, 0, 2 },
	/* C.13: once an integer went to the stack, the next one does too;
	 * floating point still takes v0, v1 (C.1) */
	{ "aapcs64", "void f(int x9, double, int, double)", V, 12, { I8, I, D, I, D },
	  NONE, { G8, S(0), X(0), S(8), X(1) }, 2, 2 },
	/* NSRN = 8 does not close the integer registers */
	{ "aapcs64", "void f(double x9, int, int)", V, 11, { D8, D, I, I }, NONE,
	  { X8, S(0), G(0), G(1) }, 1, 8 },
	/* C.14-C.17 and C.4-C.6: with both classes out, the stack takes both
	 * kinds interleaved in argument order, 8 bytes each */
	{ "aapcs64", "void f(int x8, double x8, int, double, char, float)", V, 20,
	  { I8, D8, I, D, C, F }, NONE, { G8, X8, S(0), S(8), S(16), S(24) }, 4, 8 },
	/* C.9: bool, char, short are integral and take an x register each */
	{ "aapcs64", "bool f(char, signed char, unsigned char, short, unsigned short, bool)",
	  B, 6, { C, SC, UC, SH, US, B }, RG,
	  { G(0), G(1), G(2), G(3), G(4), G(5) }, 0, 0 },
	/* C.16: narrow stack arguments take a whole 8-byte slot each */
	{ "aapcs64", "void f(long x8, char, short, bool, float)", V, 12,
	  { L8, C, SH, B, F }, NONE, { G8, S(0), S(8), S(16), X(0) }, 3, 1 },
	/* twenty arguments alternating int and double: both classes spill
	 * together, the stack keeps argument order */
	{ "aapcs64", "void f(int, double) x10", V, 20,
	  { I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D, I, D }, NONE,
	  { G(0), X(0), G(1), X(1), G(2), X(2), G(3), X(3), G(4), X(4),
	    G(5), X(5), G(6), X(6), G(7), X(7), S(0), S(8), S(16), S(24) }, 4, 8 },
	/* §6.9: an unsigned char result in x0 */
	{ "aapcs64", "unsigned char f(unsigned long)", UC, 1, { UL }, RG, { G(0) }, 0, 0 },

	/* Apple: registers as in AAPCS64 (C.1, C.9) */
	{ "apple-arm64", "void f(int, double, long, float, void *)", V, 5,
	  { I, D, L, F, P }, NONE, { G(0), X(0), G(1), X(1), G(2) }, 0, 2 },
	/* Apple: "arguments may consume slots on the stack that are not
	 * multiples of 8 bytes": two ints and a char at 0, 4 and 8; the stack
	 * area is then padded to a multiple of 8 */
	{ "apple-arm64", "void f(long x8, int, int, char)", V, 11, { L8, I, I, C },
	  NONE, { G8, S(0), S(4), S(8) }, 2, 0 },
	/* Apple: each at its natural alignment: a double after a char at 8 */
	{ "apple-arm64", "void f(long x8, char, double)", V, 10, { L8, C, D }, NONE,
	  { G8, S(0), X(0) }, 1, 1 },
	{ "apple-arm64", "void f(double x8, char, double)", V, 10, { D8, C, D }, NONE,
	  { X8, G(0), S(0) }, 1, 8 },
	{ "apple-arm64", "void f(long x8, char, short, int, long)", V, 12,
	  { L8, C, SH, I, L }, NONE, { G8, S(0), S(2), S(4), S(8) }, 2, 0 },
	{ "apple-arm64", "void f(long x8, bool, double x8, float, char, double)", V, 20,
	  { L8, B, D8, F, C, D }, NONE,
	  { G8, S(0), X8, S(4), S(8), S(16) }, 3, 8 },
	/* Apple: floats pack on the stack too */
	{ "apple-arm64", "float f(float x11)", F, 11, { F, F, F, F, F, F, F, F, F, F, F },
	  RX, { X8, S(0), S(4), S(8) }, 2, 8 },
};

static const struct vrow vrows[] = {
	/* §6.8.2: anonymous arguments are classified as named ones
	 * ("printf(const char *, ...)" called with an int and a double) */
	{ 1, { "aapcs64", "int f(const char *, ...) (int, double)", I, 3, { P, I, D }, RG,
	       { G(0), G(1), X(0) }, 0, 1 } },
	/* Apple: every anonymous argument on the stack, in an 8-byte slot,
	 * while registers are still free */
	{ 1, { "apple-arm64", "int f(const char *, ...) (int, double)", I, 3, { P, I, D },
	       RG, { G(0), S(0), S(8) }, 2, 0 } },
	/* Apple: a packed fixed char, then the first anonymous argument at the
	 * next 8-byte slot */
	{ 9, { "apple-arm64", "void f(long x8, char, ...) (char, float)", V, 11,
	       { L8, C, C, F }, NONE, { G8, S(0), S(8), S(16) }, 3, 0 } },
	{ 1, { "apple-arm64", "void f(double, ...) (double, int)", V, 3, { D, D, I }, NONE,
	       { X(0), S(0), S(8) }, 2, 1 } },
};

/* §10.1.1 "Arithmetic types": char is unsigned on AAPCS64, signed on
 * Apple; long is 8 bytes on both (LP64). */
static const struct {
	const char *abi;
	int type;
	uint8_t kind;
} kinds[] = {
	{ "aapcs64", SB_CHAR, SB_K_U8 }, { "apple-arm64", SB_CHAR, SB_K_I8 },
	{ "aapcs64", SB_LONG, SB_K_I64 }, { "apple-arm64", SB_LONG, SB_K_I64 },
	{ "aapcs64", SB_ULONG, SB_K_U64 }, { "apple-arm64", SB_ULONG, SB_K_U64 },
	{ "aapcs64", SB_SCHAR, SB_K_I8 }, { "apple-arm64", SB_UCHAR, SB_K_U8 },
	{ "aapcs64", SB_SIZE, SB_K_U64 }, { "apple-arm64", SB_POINTER, SB_K_PTR },
};

static void check_row(const struct row *r, int nfixed)
{
	struct sb_plan plan;

	ck_assert_row(r, nfixed, &plan);
}

START_TEST(test_placement)
{
	check_row(&rows[_i], rows[_i].nargs);
}
END_TEST

START_TEST(test_variadic_placement)
{
	check_row(&vrows[_i].r, vrows[_i].nfixed);
}
END_TEST

START_TEST(test_kinds)
{
	ck_assert_int_eq(sb_kind_of(ck_abi(kinds[_i].abi), kinds[_i].type), kinds[_i].kind);
}
END_TEST

/* C.9, C.13-C.17: SB_MAX_ARGS integers, x0-x7 then 8-byte slots; Apple
 * packs ints at 4 bytes each */
START_TEST(test_max_args)
{
	int args[SB_MAX_ARGS];
	struct sb_plan plan;
	const char *err = NULL;
	const struct sb_abi *abi = ck_abi(_i ? "apple-arm64" : "aapcs64");
	unsigned slot = _i ? 4 : 8;

	for (int i = 0; i < SB_MAX_ARGS; i++)
		args[i] = SB_INT;
	ck_assert_int_eq(sb_classify(abi, SB_VOID, args, SB_MAX_ARGS, &plan, &err), 0);
	ck_assert_uint_eq(plan.nstack, ((SB_MAX_ARGS - 8) * slot + 7) / 8);
	for (unsigned i = 8; i < SB_MAX_ARGS; i++) {
		struct at want = S((i - 8) * slot);
		struct row r = { .abi = sb_abi_name(abi), .proto = "f(int x64)" };

		ck_assert_at(&r, (int)i, &plan.args[i], &want);
	}
}
END_TEST

/* The first anonymous argument's index is checked like the counts. */
START_TEST(test_variadic_refused)
{
	static const int args[] = { SB_INT, SB_INT };
	struct sb_plan plan;
	const char *err = NULL;

	ck_assert_int_eq(sb_classify_variadic(ck_abi("apple-arm64"), SB_VOID, args, 2,
					      _i ? 3 : -1, &plan, &err), -1);
	ck_assert_ptr_nonnull(err);
}
END_TEST

/* §6.8.2 and §6.9: argument registers x0-x7, v0-v7; results x0, x1 and
 * v0, v1 (the two the JS layer reads). */
START_TEST(test_reg_names)
{
	const struct sb_abi *abi = ck_abi(_i ? "apple-arm64" : "aapcs64");
	struct sb_place p = { 0 };
	char name[8];

	for (int w = SB_IN_GPR; w <= SB_IN_VEC; w++) {
		p.where = (uint8_t)w;
		for (p.index = 0; p.index < 8; p.index++) {
			snprintf(name, sizeof name, "%c%u", w == SB_IN_GPR ? 'x' : 'v', p.index);
			ck_assert_str_eq(sb_abi_reg_name(abi, &p, 0), name);
			if (p.index < 2)
				ck_assert_str_eq(sb_abi_reg_name(abi, &p, 1), name);
		}
		ck_assert_ptr_null(sb_abi_reg_name(abi, &p, 0));	/* index 8 */
	}
	p.where = SB_IN_STACK;
	p.index = 0;
	ck_assert_ptr_null(sb_abi_reg_name(abi, &p, 0));
}
END_TEST

Suite *aapcs64_suite(void)
{
	Suite *s = suite_create("aapcs64");
	TCase *tc = tcase_create("classifier");

	tcase_add_loop_test(tc, test_placement, 0, sizeof rows / sizeof rows[0]);
	tcase_add_loop_test(tc, test_variadic_placement, 0, sizeof vrows / sizeof vrows[0]);
	tcase_add_loop_test(tc, test_kinds, 0, sizeof kinds / sizeof kinds[0]);
	tcase_add_loop_test(tc, test_max_args, 0, 2);
	tcase_add_loop_test(tc, test_variadic_refused, 0, 2);
	tcase_add_loop_test(tc, test_reg_names, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
