/* The dispatch suite's System V AMD64 part (psABI 1.0): stack alignment
 * at the call, al for variadic callees, callee-saved registers. */
#include <stdarg.h>

#include "check_dispatch.h"

/* 3.2.3: rdi, rsi, rdx, rcx, r8, r9 and xmm0-7 */
const unsigned ck_arg_gprs = 6, ck_arg_vecs = 8;

static long sum8(long a, long b, long c, long d, long e, long g, long h, long i)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g + 7 * h + 8 * i;
}

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

	ck_assert_aligned_call(fn[_i], (unsigned)_i);
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
		ck_assert_double_eq(as_double(ck_call(&f, &plan, (void *)vsum, SB_DOUBLE, t, v, n + 1)),
				    want);
		ck_assert_uint_eq(plan.nvec, n < 8 ? n : 8);
		ck_assert_uint_eq(ck_call(&f, &plan, (void *)ck_entry_al, SB_INT, t, v, n + 1),
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
	CK_X64_PUSH_SAVED
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
	CK_X64_POP_SAVED
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_call_saving, .-ck_call_saving\n");

START_TEST(test_callee_saved)
{
	uint64_t out[6];
	struct sb_frame f;
	struct sb_plan plan;
	static const int t[] = { SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG, SB_LONG,
				 SB_LONG, SB_LONG };
	static const uint64_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	/* stack words to copy too, so that sb_call moves rsp */
	ck_fill(&f, &plan, (void *)sum8, SB_LONG, t, v, N(t));
	ck_call_saving(&f, out);
	ck_assert_int_eq((long)f.ret_gpr[0], 204);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(out[i], 0x1111111111111111u * (uint64_t)(i + 1));
}
END_TEST

void dispatch_abi_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_alignment, 0, 4);
	tcase_add_test(tc, test_variadic);
	tcase_add_test(tc, test_callee_saved);
}
