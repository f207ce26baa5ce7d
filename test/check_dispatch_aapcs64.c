/* The dispatch suite's AAPCS64 part (§6 "The base procedure call
 * standard"): sp alignment at the call, variadic callees, callee-saved
 * registers. */
#include <stdarg.h>

#include "check_dispatch.h"

/* §6.8.2 stage A: x0-x7 (NGRN < 8) and v0-v7 (NSRN < 8) */
const unsigned ck_arg_gprs = 8, ck_arg_vecs = 8;

/* §6.4.5.1 "Universal stack constraints": sp % 16 == 0, and at the call
 * whatever number of stack words the dispatcher copied. The callee's frame
 * record sits at sp minus a multiple of 16, so __builtin_frame_address(0)
 * (x29, which it makes the callee set up) must be 16-aligned. The sums
 * check that the stack arguments arrived too. */
#define ALIGNED() (((uintptr_t)__builtin_frame_address(0) & 15) == 0)

static int align0(long a, long b, long c, long d, long e, long g, long h, long i)
{
	return ALIGNED() && a + b + c + d + e + g + h + i == 36;
}

static int align1(long a, long b, long c, long d, long e, long g, long h, long i,
		  long j)
{
	return ALIGNED() && a + b + c + d + e + g + h + i + j == 45;
}

static int align2(long a, long b, long c, long d, long e, long g, long h, long i,
		  long j, long k)
{
	return ALIGNED() && a + b + c + d + e + g + h + i + j + k == 55;
}

static int align3(long a, long b, long c, long d, long e, long g, long h, long i,
		  long j, long k, long l)
{
	return ALIGNED() && a + b + c + d + e + g + h + i + j + k + l == 66;
}

START_TEST(test_alignment)
{
	static void *const fn[] = { (void *)align0, (void *)align1, (void *)align2,
				    (void *)align3 };
	int t[11];
	uint64_t v[11];
	struct sb_frame f;
	struct sb_plan plan;
	int n = 8 + _i;

	for (int i = 0; i < n; i++) {
		t[i] = SB_LONG;
		v[i] = (uint64_t)(i + 1);
	}
	ck_assert_uint_eq(ck_call(&f, &plan, fn[_i], SB_INT, t, v, n), 1);
	ck_assert_uint_eq(plan.nstack, (unsigned)_i);
}
END_TEST

/* §6.8.2 "Parameter passing rules" apply to anonymous arguments as to named
 * ones on GNU/Linux (unlike Apple's variant): a variadic callee finds its
 * doubles in v0-v7 and then on the stack, saved by its own prologue. */
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
		ck_assert_double_eq(as_double(ck_call(&f, &plan, (void *)vsum, SB_DOUBLE, t, v, n + 1)),
				    want);
		ck_assert_uint_eq(plan.nstack, n > 8 ? n - 8 : 0);
	}
}
END_TEST

/* void ck_call_saving(void *frame, uint64_t out[18]): calls sb_call(frame)
 * with known values in x19-x28 and d8-d15 (§6.1.1, §6.1.2: callee-saved)
 * and stores what they hold afterwards in out: x19 + i and d8 + i - 10
 * start as 0x0101010101010101 * (i + 1). */
void ck_call_saving(void *frame, uint64_t *out);
__asm__(".text\n"
	".globl ck_call_saving\n"
	".hidden ck_call_saving\n"
	".type ck_call_saving, %function\n"
	"ck_call_saving:\n"
	"	.cfi_startproc\n"
	"	hint 34\n"
	"	stp x29, x30, [sp, #-176]!\n"
	"	.cfi_def_cfa_offset 176\n"
	"	.cfi_offset x29, -176\n	.cfi_offset x30, -168\n"
	"	mov x29, sp\n"
	"	stp x19, x20, [sp, #16]\n	.cfi_offset x19, -160\n	.cfi_offset x20, -152\n"
	"	stp x21, x22, [sp, #32]\n	.cfi_offset x21, -144\n	.cfi_offset x22, -136\n"
	"	stp x23, x24, [sp, #48]\n	.cfi_offset x23, -128\n	.cfi_offset x24, -120\n"
	"	stp x25, x26, [sp, #64]\n	.cfi_offset x25, -112\n	.cfi_offset x26, -104\n"
	"	stp x27, x28, [sp, #80]\n	.cfi_offset x27, -96\n	.cfi_offset x28, -88\n"
	"	stp d8, d9, [sp, #96]\n	.cfi_offset d8, -80\n	.cfi_offset d9, -72\n"
	"	stp d10, d11, [sp, #112]\n	.cfi_offset d10, -64\n	.cfi_offset d11, -56\n"
	"	stp d12, d13, [sp, #128]\n	.cfi_offset d12, -48\n	.cfi_offset d13, -40\n"
	"	stp d14, d15, [sp, #144]\n	.cfi_offset d14, -32\n	.cfi_offset d15, -24\n"
	"	str x1, [sp, #160]\n"
	"	mov x9, #0x0101010101010101\n"
	"	mov x19, x9\n"
	"	add x20, x19, x9\n	add x21, x20, x9\n	add x22, x21, x9\n"
	"	add x23, x22, x9\n	add x24, x23, x9\n	add x25, x24, x9\n"
	"	add x26, x25, x9\n	add x27, x26, x9\n	add x28, x27, x9\n"
	"	add x10, x28, x9\n	fmov d8, x10\n	add x10, x10, x9\n	fmov d9, x10\n"
	"	add x10, x10, x9\n	fmov d10, x10\n	add x10, x10, x9\n	fmov d11, x10\n"
	"	add x10, x10, x9\n	fmov d12, x10\n	add x10, x10, x9\n	fmov d13, x10\n"
	"	add x10, x10, x9\n	fmov d14, x10\n	add x10, x10, x9\n	fmov d15, x10\n"
	"	bl sb_call\n"
	"	ldr x1, [sp, #160]\n"
	"	stp x19, x20, [x1, #0]\n	stp x21, x22, [x1, #16]\n"
	"	stp x23, x24, [x1, #32]\n	stp x25, x26, [x1, #48]\n"
	"	stp x27, x28, [x1, #64]\n	stp d8, d9, [x1, #80]\n"
	"	stp d10, d11, [x1, #96]\n	stp d12, d13, [x1, #112]\n"
	"	stp d14, d15, [x1, #128]\n"
	"	ldp x19, x20, [sp, #16]\n	ldp x21, x22, [sp, #32]\n"
	"	ldp x23, x24, [sp, #48]\n	ldp x25, x26, [sp, #64]\n"
	"	ldp x27, x28, [sp, #80]\n	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	ldp x29, x30, [sp], #176\n"
	"	.cfi_def_cfa_offset 0\n"
	"	.cfi_restore x29\n	.cfi_restore x30\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_call_saving, .-ck_call_saving\n");

START_TEST(test_callee_saved)
{
	uint64_t out[18];
	struct sb_frame f;
	struct sb_plan plan;
	static const int t[] = { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG,
				 SB_LONG, SB_LONG, SB_LONG, SB_LONG };
	static const uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	/* stack words to copy too, so that sb_call moves sp */
	ck_fill(&f, &plan, (void *)align2, SB_INT, t, v, N(t));
	ck_call_saving(&f, out);
	ck_assert_int_eq((int)f.ret_gpr[0], 1);
	for (int i = 0; i < 18; i++)
		ck_assert_uint_eq(out[i], 0x0101010101010101u * (uint64_t)(i + 1));
}
END_TEST

void dispatch_abi_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_alignment, 0, 4);
	tcase_add_test(tc, test_variadic);
	tcase_add_test(tc, test_callee_saved);
}
