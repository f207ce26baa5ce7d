/* The host dispatcher sb_call, driven as the JS layer drives it: a frame
 * filled from a placement plan of sb_classify(sb_abi_host(), ...). */
#include <execinfo.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "check_suites.h"
#include "frame.h"

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

static uint64_t dbits(double d)
{
	uint64_t b;

	memcpy(&b, &d, 8);
	return b;
}

static uint64_t fbits(float v)
{
	uint32_t b;

	memcpy(&b, &v, 4);
	return b;
}

static double as_double(uint64_t b)
{
	double d;

	memcpy(&d, &b, 8);
	return d;
}

static float as_float(uint64_t b)
{
	float v;
	uint32_t w = (uint32_t)b;

	memcpy(&v, &w, 4);
	return v;
}

/* Stale bytes every slot starts with, as a reused frame would hold. */
#define STALE 0xa5

/* Classify and fill a stale frame to call fn. */
static void fill(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
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

/* fill, call; returns the return value's bits. The call must leave all
 * but the return slots as it found them: the JS layer reuses the frame. */
static uint64_t call(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
		     const int *types, const uint64_t *vals, int n)
{
	static struct sb_frame before;

	fill(f, plan, fn, ret, types, vals, n);
	before = *f;
	sb_call(f);
	ck_assert_mem_eq(f, &before, SB_OFF_RET_GPR);
	ck_assert_mem_eq((char *)f + SB_OFF_GPR, (char *)&before + SB_OFF_GPR,
			 SB_FRAME_SIZE - SB_OFF_GPR);
	return plan->ret.kind == SB_K_VOID ? 0 : ck_get(f, &plan->ret);
}

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))
#define CALL(fn, ret, types, vals) call(&f, &plan, (void *)(fn), ret, types, vals, N(types))

/* Each callee weighs its arguments by position, so a swap shows. */
static int int3(int a, int b, int c) { return a + 10 * b + 100 * c; }
static double mixd(double a, int b, double c) { return a - c * b; }
static float mulf(float a, float b) { return a * b; }
static uint64_t mix64(uint64_t a, int64_t b) { return a ^ (uint64_t)b; }

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
	/* float comes back in the low 4 bytes of xmm0 */
	ck_assert_float_eq(as_float(CALL(mulf, SB_FLOAT, tf,
		((uint64_t[]){ fbits(1.5f), fbits(-4.0f) }))), -6.0f);
	ck_assert_uint_eq(CALL(mix64, SB_UINT64, t64,
		((uint64_t[]){ UINT64_MAX, (uint64_t)INT64_MIN })), INT64_MAX);
}
END_TEST

static int take_schar(signed char c) { return c; }
static int take_uchar(unsigned char c) { return c; }
static int take_short(short s) { return s; }
static int take_ushort(unsigned short s) { return s; }
static int take_bool(bool b) { return b ? 7 : 3; }
static signed char give_schar(int x) { return (signed char)x; }
static bool give_bool(int x) { return x != 0; }
/* the narrow ones land on the stack, after six longs */
static long narrow_stack(long a, long b, long c, long d, long e, long g,
			 signed char h, unsigned short i, bool j, short k)
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
	static const int tst[] = { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG,
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
	/* 3.2.3 "Returning of Values": only the type's own bytes of rax count */
	ck_assert_int_eq((int8_t)CALL(give_schar, SB_SCHAR, ti, ((uint64_t[]){ 0x1ff80 })), -128);
	ck_assert_uint_eq(CALL(give_bool, SB_BOOL, ti, ((uint64_t[]){ 0x100 })), 1);
	ck_assert_int_eq((long)CALL(narrow_stack, SB_LONG, tst,
		((uint64_t[]){ 1, 2, 3, 4, 5, 6, (uint64_t)-3, 65535, 1, (uint64_t)-2 })),
		21 - 3000 + 655350 + 7 - 200000);
	ck_assert_uint_eq(f.stack[0] >> 32, 0xa5a5a5a5u);
}
END_TEST

static long sum10(long a, long b, long c, long d, long e, long g, long h,
		  long i, long j, long k)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i + 9 * j + 10 * k;
}

static double sum12d(double a, double b, double c, double d, double e, double g,
		     double h, double i, double j, double k, double l, double m)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i + 9 * j +
	       10 * k + 11 * l + 12 * m;
}

/* int and double alternating, twenty of them: both classes spill */
static double mixed20(int a0, double b0, int a1, double b1, int a2, double b2,
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
		tl[i] = SB_LONG;
		vl[i] = (uint64_t)(i + 1);
	}
	ck_assert_int_eq((long)CALL(sum10, SB_LONG, tl, vl), 385);
	ck_assert_uint_eq(plan.nstack, 4);
	for (int i = 0; i < 12; i++) {
		td[i] = SB_DOUBLE;
		vd[i] = dbits(i + 0.5);
	}
	ck_assert_double_eq(as_double(CALL(sum12d, SB_DOUBLE, td, vd)), 611);
	ck_assert_uint_eq(plan.nstack, 4);
	for (int i = 0; i < 20; i++) {
		int even = i % 2 == 0;

		tm[i] = even ? SB_INT : i == 19 ? SB_FLOAT : SB_DOUBLE;
		vm[i] = even ? (uint64_t)(-i) : i == 19 ? fbits(0.5f) : dbits(i * 0.25);
		want += (i + 1) * (even ? -i : i * 0.25);
	}
	want += 20 * 0.5 - 20 * 19 * 0.25;
	ck_assert_double_eq(as_double(CALL(mixed20, SB_DOUBLE, tm, vm)), want);
	ck_assert_uint_eq(plan.nstack, 6);
}
END_TEST

/* 3.2.2: rsp + 8 is a multiple of 16 at function entry, whatever number of
 * stack words the dispatcher copied. __builtin_frame_address(0) makes the
 * callee push rbp, so rbp = entry rsp - 8 must be 16-aligned. The sums
 * check that the stack arguments arrived too. */
#define ALIGNED() (((uintptr_t)__builtin_frame_address(0) & 15) == 0)

static int align0(long a, long b, long c, long d, long e, long g)
{
	return ALIGNED() && a + b + c + d + e + g == 21;
}

static int align1(long a, long b, long c, long d, long e, long g, long h)
{
	return ALIGNED() && a + b + c + d + e + g + h == 28;
}

static int align2(long a, long b, long c, long d, long e, long g, long h, long i)
{
	return ALIGNED() && a + b + c + d + e + g + h + i == 36;
}

static int align3(long a, long b, long c, long d, long e, long g, long h, long i,
		  long j)
{
	return ALIGNED() && a + b + c + d + e + g + h + i + j == 45;
}

START_TEST(test_alignment)
{
	static void *const fn[] = { (void *)align0, (void *)align1, (void *)align2,
				    (void *)align3 };
	int t[9];
	uint64_t v[9];
	struct sb_frame f;
	struct sb_plan plan;
	int n = 6 + _i;

	for (int i = 0; i < n; i++) {
		t[i] = SB_LONG;
		v[i] = (uint64_t)(i + 1);
	}
	ck_assert_uint_eq(call(&f, &plan, fn[_i], SB_INT, t, v, n), 1);
	ck_assert_uint_eq(plan.nstack, (unsigned)_i);
}
END_TEST

/* 3.5.7: a variadic callee saves the vector registers only if al says
 * some carry arguments, so sb_call must load al from the plan's nvec. */
static double vsum(int n, ...)
{
	va_list ap;
	double s = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, double) * (i + 1);
	va_end(ap);
	return s;
}

/* int ck_entry_al(void): al as the callee found it. */
int ck_entry_al(void);
__asm__(".text\n"
	".globl ck_entry_al\n"
	".hidden ck_entry_al\n"
	".type ck_entry_al, @function\n"
	"ck_entry_al:\n"
	"	.cfi_startproc\n"
	"	movzbl %al, %eax\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_entry_al, .-ck_entry_al\n");

START_TEST(test_variadic)
{
	int t[11] = { SB_INT };
	uint64_t v[11];
	struct sb_frame f;
	struct sb_plan plan;

	for (int n = 1; n <= 10; n++) {
		double want = 0;

		v[0] = (uint64_t)n;
		for (int i = 1; i <= n; i++) {
			t[i] = SB_DOUBLE;
			v[i] = dbits(i * 1.5);
			want += i * 1.5 * i;
		}
		ck_assert_double_eq(as_double(call(&f, &plan, (void *)vsum, SB_DOUBLE, t, v, n + 1)),
				    want);
		ck_assert_uint_eq(plan.nvec, n < 8 ? n : 8);
		ck_assert_uint_eq(call(&f, &plan, (void *)ck_entry_al, SB_INT, t, v, n + 1),
				  plan.nvec);
	}
}
END_TEST

/* void ck_call_saving(void *frame, uint64_t out[6]): calls sb_call(frame)
 * with known values in rbx, rbp, r12-r15 (3.2.1: callee-saved) and
 * stores what they hold afterwards in out. */
void ck_call_saving(void *frame, uint64_t *out);
__asm__(".text\n"
	".globl ck_call_saving\n"
	".hidden ck_call_saving\n"
	".type ck_call_saving, @function\n"
	"ck_call_saving:\n"
	"	.cfi_startproc\n"
	"	push %rbx\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %rbx, 0\n"
	"	push %rbp\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %rbp, 0\n"
	"	push %r12\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r12, 0\n"
	"	push %r13\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r13, 0\n"
	"	push %r14\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r14, 0\n"
	"	push %r15\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r15, 0\n"
	"	push %rsi\n	.cfi_adjust_cfa_offset 8\n"	/* also realigns rsp */
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %r12\n"
	"	movabs $0x4444444444444444, %r13\n"
	"	movabs $0x5555555555555555, %r14\n"
	"	movabs $0x6666666666666666, %r15\n"
	"	call sb_call\n"
	"	pop %rsi\n	.cfi_adjust_cfa_offset -8\n"
	"	mov %rbx, 0(%rsi)\n"
	"	mov %rbp, 8(%rsi)\n"
	"	mov %r12, 16(%rsi)\n"
	"	mov %r13, 24(%rsi)\n"
	"	mov %r14, 32(%rsi)\n"
	"	mov %r15, 40(%rsi)\n"
	"	pop %r15\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r15\n"
	"	pop %r14\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r14\n"
	"	pop %r13\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r13\n"
	"	pop %r12\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r12\n"
	"	pop %rbp\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %rbp\n"
	"	pop %rbx\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %rbx\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_call_saving, .-ck_call_saving\n");

START_TEST(test_callee_saved)
{
	uint64_t out[6];
	struct sb_frame f;
	struct sb_plan plan;
	static const int t[] = { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG,
				 SB_LONG, SB_LONG, SB_LONG, SB_LONG };
	static const uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	/* stack words to copy too, so that sb_call moves rsp */
	fill(&f, &plan, (void *)sum10, SB_LONG, t, v, N(t));
	ck_call_saving(&f, out);
	ck_assert_int_eq((long)f.ret_gpr[0], 385);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(out[i], 0x1111111111111111u * (uint64_t)(i + 1));
}
END_TEST

/* 3.2.3 "Returning of Values": a two-eightbyte INTEGER aggregate comes
 * back in rax:rdx, a two-eightbyte SSE one in xmm0:xmm1; sb_call stores
 * all four so the JS layer picks what the plan says. */
struct two_u64 { uint64_t lo, hi; };
struct two_f64 { double lo, hi; };
static struct two_u64 give_two_u64(uint64_t a, uint64_t b) { return (struct two_u64){ a, b }; }
static struct two_f64 give_two_f64(double a, double b) { return (struct two_f64){ a, b }; }

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

/* sb_call's hand-written .eh_frame: unwinding from a callee must walk
 * through sb_call back into its caller and on to the caller's callers. */
static void *probe_trace[64];
static int probe_depth;

static int unwind_probe(int x)
{
	probe_depth = backtrace(probe_trace, 64);
	return x;
}

START_TEST(test_unwind)
{
	static const int t[] = { SB_INT };
	void *own[64];
	int depth;
	struct sb_frame f;
	struct sb_plan plan;

	ck_assert_int_eq((int32_t)CALL(unwind_probe, SB_INT, t, ((uint64_t[]){ 5 })), 5);
	/* own[0] is here and own[1] this test's caller, both of which may sit
	 * at other return addresses under other optimisations; own[2..] are
	 * the callers further up, which the probe's trace must end with */
	depth = backtrace(own, 64);
	ck_assert_int_lt(depth, 64);
	ck_assert_int_gt(depth, 2);
	ck_assert_int_gt(probe_depth, depth);
	ck_assert_mem_eq(probe_trace + probe_depth - (depth - 2), own + 2,
			 (size_t)(depth - 2) * sizeof own[0]);
}
END_TEST

Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create(sb_abi_name(sb_abi_host()));

	tcase_add_test(tc, test_basic_returns);
	tcase_add_test(tc, test_narrow);
	tcase_add_test(tc, test_stack_spill);
	tcase_add_loop_test(tc, test_alignment, 0, 4);
	tcase_add_test(tc, test_variadic);
	tcase_add_test(tc, test_callee_saved);
	tcase_add_test(tc, test_return_slots);
	tcase_add_test(tc, test_unwind);
	suite_add_tcase(s, tc);
	return s;
}
