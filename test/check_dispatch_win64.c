/* The dispatch suite's Win64 part, for the Linux test mode: the core built
 * with the Win64 classifier and asm/win64.asm (assembled as ELF), calling
 * targets declared ms_abi ("x64 calling convention", Microsoft Learn).
 * sb_call is entered with System V there (rdi = frame) and makes a Win64
 * call: the shadow space, stack arguments above it, alignment, and the
 * registers each side preserves are checked here. So are the callback
 * trampolines, the other way round: called through ms_abi pointers, their
 * common routine spills the Win64 argument registers and makes a System V
 * call to sb_callback_dispatch. */
#include <execinfo.h>

#include "check_dispatch.h"

/* "Parameter passing": rcx, rdx, r8, r9 or xmm0-3, by position */
const unsigned ck_arg_gprs = 4, ck_arg_vecs = 4;

/* "Stack allocation": rsp is 16-byte aligned at the call, so rsp + 8 is at
 * entry, whatever number of stack words the dispatcher copied.
 * __builtin_frame_address(0) makes the callee push rbp, so rbp must be
 * 16-aligned. The sums check that the stack arguments arrived too. */
#define ALIGNED() (((uintptr_t)__builtin_frame_address(0) & 15) == 0)

static int SB_TEST_CALL align0(int64_t a, int64_t b, int64_t c, int64_t d)
{
	return ALIGNED() && a + b + c + d == 10;
}

static int SB_TEST_CALL align1(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e)
{
	return ALIGNED() && a + b + c + d + e == 15;
}

static int SB_TEST_CALL align2(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
			       int64_t g)
{
	return ALIGNED() && a + b + c + d + e + g == 21;
}

static int SB_TEST_CALL align3(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
			       int64_t g, int64_t h)
{
	return ALIGNED() && a + b + c + d + e + g + h == 28;
}

START_TEST(test_alignment)
{
	static void *const fn[] = { (void *)align0, (void *)align1, (void *)align2,
				    (void *)align3 };

	ck_assert_aligned_call(fn[_i], (unsigned)_i);
}
END_TEST

/* uint64_t ck_home(a, b, c, d, e, g), ms_abi: "the caller is responsible
 * for allocating space for the parameters", and a callee may store its
 * four register arguments there (the home area, at rsp + 8 .. rsp + 39 on
 * entry), which varargs and unoptimised callees do. This one does, then
 * reads its fifth and sixth arguments above that area, and returns
 * e * 1000 + g, plus rsp + 8's misalignment in bits 40 and up. */
uint64_t SB_TEST_CALL ck_home(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			      uint64_t e, uint64_t g);
__asm__(".text\n"
	".globl ck_home\n"
	".hidden ck_home\n"
	".type ck_home, @function\n"
	"ck_home:\n"
	"	.cfi_startproc\n"
	"	mov %rcx, 8(%rsp)\n"
	"	mov %rdx, 16(%rsp)\n"
	"	mov %r8, 24(%rsp)\n"
	"	mov %r9, 32(%rsp)\n"
	"	imul $1000, 40(%rsp), %rax\n"
	"	add 48(%rsp), %rax\n"
	"	lea 8(%rsp), %rcx\n"
	"	and $15, %ecx\n"
	"	shl $40, %rcx\n"
	"	add %rcx, %rax\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_home, .-ck_home\n");

START_TEST(test_shadow_space)
{
	static const int t[] = { SB_UINT64, SB_UINT64, SB_UINT64, SB_UINT64,
				 SB_UINT64, SB_UINT64 };
	struct sb_frame f;
	struct sb_plan plan;

	/* ck_call checks that the frame came back untouched, and the homing
	 * must not have hit sb_call's saved registers either */
	ck_assert_uint_eq(CALL(ck_home, SB_UINT64, t, ((uint64_t[]){ 1, 2, 3, 4, 5, 6 })),
			  5006);
	ck_assert_uint_eq(plan.nstack, 2);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(CALL(ck_home, SB_UINT64, t,
			((uint64_t[]){ 9, 9, 9, 9, (uint64_t)i, 7 })), (uint64_t)i * 1000 + 7);
}
END_TEST

/* void ck_win64_saving(void *frame, uint64_t out[10]): calls sb_call(frame)
 * as System V code does in this mode, with known values in rbx, rbp,
 * r12-r15 (System V 3.2.1: sb_call must keep them), and in rsi and
 * xmm6-15, which a Windows caller of sb_call needs kept as well (Win64
 * "Callee/caller saved registers"): sb_call must not touch them, and the
 * ms_abi target keeps them. out: rbx, rbp, r12-r15, rsi, rdi, xmm6, xmm15
 * afterwards; rdi held the frame. */
void ck_win64_saving(void *frame, uint64_t *out);
__asm__(".text\n"
	".globl ck_win64_saving\n"
	".hidden ck_win64_saving\n"
	".type ck_win64_saving, @function\n"
	"ck_win64_saving:\n"
	"	.cfi_startproc\n"
	CK_X64_PUSH_SAVED
	"	push %rsi\n	.cfi_adjust_cfa_offset 8\n"	/* out; also realigns rsp */
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %r12\n"
	"	movabs $0x4444444444444444, %r13\n"
	"	movabs $0x5555555555555555, %r14\n"
	"	movabs $0x6666666666666666, %r15\n"
	"	movabs $0x7777777777777777, %rsi\n"
	"	movabs $0x8888888888888888, %rax\n"
	"	movq %rax, %xmm6\n"
	"	movabs $0x9999999999999999, %rax\n"
	"	movq %rax, %xmm15\n"
	"	call sb_call\n"
	"	mov (%rsp), %rax\n"
	"	mov %rbx, 0(%rax)\n"
	"	mov %rbp, 8(%rax)\n"
	"	mov %r12, 16(%rax)\n"
	"	mov %r13, 24(%rax)\n"
	"	mov %r14, 32(%rax)\n"
	"	mov %r15, 40(%rax)\n"
	"	mov %rsi, 48(%rax)\n"
	"	mov %rdi, 56(%rax)\n"
	"	movq %xmm6, 64(%rax)\n"
	"	movq %xmm15, 72(%rax)\n"
	"	pop %rsi\n	.cfi_adjust_cfa_offset -8\n"
	CK_X64_POP_SAVED
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_win64_saving, .-ck_win64_saving\n");

static int64_t SB_TEST_CALL sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
				 int64_t g)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * g;
}

START_TEST(test_callee_saved)
{
	uint64_t out[10];
	struct sb_frame f;
	struct sb_plan plan;
	static const int t[] = { SB_INT64, SB_INT64, SB_INT64, SB_INT64, SB_INT64, SB_INT64 };
	static const uint64_t v[] = { 1, 2, 3, 4, 5, 6 };

	/* stack words to copy too, so that sb_call moves rsp */
	ck_fill(&f, &plan, (void *)sum6, SB_INT64, t, v, N(t));
	ck_win64_saving(&f, out);
	ck_assert_int_eq((int64_t)f.ret_gpr[0], 91);
	for (int i = 0; i < 7; i++)
		ck_assert_uint_eq(out[i], 0x1111111111111111u * (uint64_t)(i + 1));
	ck_assert_ptr_eq((void *)(uintptr_t)out[7], &f);
	ck_assert_uint_eq(out[8], 0x8888888888888888u);
	ck_assert_uint_eq(out[9], 0x9999999999999999u);
}
END_TEST


/* --- Callback trampolines (asm/win64.asm, sb_tramp_common) --- */

/* What the handler saw of the last call, and what it returns. */
static struct {
	int calls;
	uint32_t index;
	int aligned;
	uint64_t gpr[4], vec[4], stack[6];
	uint64_t ret_gpr, ret_vec;
	void *trace[64];
	int depth;
} seen;

static void record(uint32_t index, struct sb_frame *f)
{
	seen.calls++;
	seen.index = index;
	seen.aligned = ALIGNED();	/* System V: rsp % 16 == 0 at the call */
	memcpy(seen.gpr, f->gpr, sizeof seen.gpr);
	memcpy(seen.vec, f->vec, sizeof seen.vec);
	memcpy(seen.stack, f->argp, sizeof seen.stack);
	f->ret_gpr[0] = seen.ret_gpr;
	memcpy(&f->ret_vec[0], &seen.ret_vec, 8);
}

static void *tramp(uint32_t index, uint64_t ret_gpr, uint64_t ret_vec)
{
	memset(&seen, 0, sizeof seen);
	seen.ret_gpr = ret_gpr;
	seen.ret_vec = ret_vec;
	sb_callback_set_handler(record);
	return sb_trampoline_address(index);
}

/* "Parameter passing": the first four arguments by position, each in rcx,
 * rdx, r8, r9 or xmm0-3 by its kind, so (int, double, int, double) takes
 * rcx, xmm1, r8, xmm3; the rest go to 8-byte stack slots above the
 * caller's 32-byte home area, a narrow one in its slot's low bytes. */
typedef int64_t (SB_TEST_CALL *fn_idid)(int64_t, double, int64_t, double, int64_t, double,
					int32_t, float, uint8_t, double);
typedef double (SB_TEST_CALL *fn_didi)(double, int64_t, double, int64_t, int64_t, double,
				       int32_t, float, uint8_t, double);
typedef float (SB_TEST_CALL *fn_f)(void);

static void check_stack_args(void)
{
	ck_assert_uint_eq(seen.stack[0], 0x5555555555555555u);
	ck_assert_uint_eq(seen.stack[1], dbits(-6.5));
	ck_assert_uint_eq((uint32_t)seen.stack[2], (uint32_t)-7);
	ck_assert_uint_eq((uint32_t)seen.stack[3], fbits(8.25f));
	ck_assert_uint_eq((uint8_t)seen.stack[4], 9);
	ck_assert_uint_eq(seen.stack[5], dbits(1e10));
}

START_TEST(test_callback_positional)
{
	fn_idid idid = (fn_idid)tramp(3, 0x0123456789abcdefu, dbits(2.5));

	ck_assert_uint_eq((uint64_t)idid(-1, 2.5, 0x3333333333333333, -4.75,
					 0x5555555555555555, -6.5, -7, 8.25f, 9, 1e10),
			  0x0123456789abcdefu);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_uint_eq(seen.index, 3);
	ck_assert(seen.aligned);
	ck_assert_uint_eq(seen.gpr[0], (uint64_t)-1);			/* rcx */
	ck_assert_uint_eq(seen.vec[1], dbits(2.5));			/* xmm1 */
	ck_assert_uint_eq(seen.gpr[2], 0x3333333333333333u);		/* r8 */
	ck_assert_uint_eq(seen.vec[3], dbits(-4.75));			/* xmm3 */
	check_stack_args();

	fn_didi didi = (fn_didi)tramp(SB_TRAMPOLINE_COUNT - 1, 0, dbits(-0.125));

	ck_assert_double_eq(didi(1.5, -2, 3.5, 0x4444444444444444,
				 0x5555555555555555, -6.5, -7, 8.25f, 9, 1e10), -0.125);
	ck_assert_uint_eq(seen.index, SB_TRAMPOLINE_COUNT - 1);
	ck_assert(seen.aligned);
	ck_assert_uint_eq(seen.vec[0], dbits(1.5));			/* xmm0 */
	ck_assert_uint_eq(seen.gpr[1], (uint64_t)-2);			/* rdx */
	ck_assert_uint_eq(seen.vec[2], dbits(3.5));			/* xmm2 */
	ck_assert_uint_eq(seen.gpr[3], 0x4444444444444444u);		/* r9 */
	check_stack_args();

	/* "Return values": a float in xmm0's low 4 bytes */
	ck_assert_float_eq(((fn_f)tramp(0, 0, fbits(-3.75f)))(), -3.75f);
	sb_callback_set_handler(NULL);
}
END_TEST

/* uint64_t ck_tramp_saving(void *tramp, uint64_t out[28]): calls tramp
 * with the Win64 convention (home area, rsp % 16 == 0) as ms_abi code
 * does, with known values in the registers a Win64 callee must keep
 * ("Callee/caller saved registers"): rbx, rbp, rdi, rsi, r12-r15, and
 * xmm6-15 (both halves). Stores them afterwards in out, in that order,
 * each xmm as two words; returns rax. The handler is System V C, free to
 * clobber rdi, rsi and xmm6-15, so the trampoline must keep them itself. */
uint64_t ck_tramp_saving(void *tramp, uint64_t *out);
__asm__(".text\n"
	".globl ck_tramp_saving\n"
	".hidden ck_tramp_saving\n"
	".type ck_tramp_saving, @function\n"
	"ck_tramp_saving:\n"
	"	.cfi_startproc\n"
	CK_X64_PUSH_SAVED
	"	push %rsi\n	.cfi_adjust_cfa_offset 8\n"	/* out; also realigns rsp */
	"	sub $32, %rsp\n	.cfi_adjust_cfa_offset 32\n"	/* the home area */
	"	mov %rdi, %r11\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %rdi\n"
	"	movabs $0x4444444444444444, %rsi\n"
	"	movabs $0x5555555555555555, %r12\n"
	"	movabs $0x6666666666666666, %r13\n"
	"	movabs $0x7777777777777777, %r14\n"
	"	movabs $0x8888888888888888, %r15\n"
	"	.irp n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
	"	movabs $0x0101010101010101 * \\n, %rax\n"
	"	movq %rax, %xmm\\n\n"
	"	punpcklqdq %xmm\\n, %xmm\\n\n"
	"	.endr\n"
	"	call *%r11\n"
	"	mov 32(%rsp), %rcx\n"
	"	mov %rbx, 0(%rcx)\n"
	"	mov %rbp, 8(%rcx)\n"
	"	mov %rdi, 16(%rcx)\n"
	"	mov %rsi, 24(%rcx)\n"
	"	mov %r12, 32(%rcx)\n"
	"	mov %r13, 40(%rcx)\n"
	"	mov %r14, 48(%rcx)\n"
	"	mov %r15, 56(%rcx)\n"
	"	.irp n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
	"	movdqu %xmm\\n, 64 + 16 * (\\n - 6)(%rcx)\n"
	"	.endr\n"
	"	add $32, %rsp\n	.cfi_adjust_cfa_offset -32\n"
	"	pop %rsi\n	.cfi_adjust_cfa_offset -8\n"
	CK_X64_POP_SAVED
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_tramp_saving, .-ck_tramp_saving\n");

/* A System V handler that does clobber what it may: rdi, rsi, xmm6-15;
 * and rbx, r12-r15, which the compiler then saves for it. */
static void clobber(uint32_t index, struct sb_frame *f)
{
	__asm__ volatile("xor %%edi, %%edi\n\txor %%esi, %%esi\n\txor %%ebx, %%ebx\n\t"
			 "xor %%r12d, %%r12d\n\txor %%r13d, %%r13d\n\t"
			 "xor %%r14d, %%r14d\n\txor %%r15d, %%r15d\n\t"
			 ".irp n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n\t"
			 "pcmpeqd %%xmm\\n, %%xmm\\n\n\t"
			 ".endr"
			 ::: "rdi", "rsi", "rbx", "r12", "r13", "r14", "r15", "xmm6",
			 "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			 "xmm14", "xmm15");
	f->ret_gpr[0] = 0x600d000000000000u | index;
}

START_TEST(test_callback_callee_saved)
{
	uint64_t out[28];

	sb_callback_set_handler(clobber);
	ck_assert_uint_eq(ck_tramp_saving(sb_trampoline_address(5), out), 0x600d000000000005u);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(out[i], 0x1111111111111111u * (uint64_t)(i + 1));
	for (int i = 0; i < 20; i++)
		ck_assert_uint_eq(out[8 + i], 0x0101010101010101u * (uint64_t)(6 + i / 2));
	sb_callback_set_handler(NULL);
}
END_TEST

/* The .eh_frame of sb_tramp_common: a backtrace from the handler goes on
 * through it to the test and its callers, as test_unwind does for sb_call. */
static void trace(uint32_t index, struct sb_frame *f)
{
	seen.depth = backtrace(seen.trace, 64);
	f->ret_gpr[0] = index;
}

typedef int64_t (SB_TEST_CALL *fn_l)(int64_t, int64_t, int64_t, int64_t, int64_t);

START_TEST(test_callback_unwind)
{
	memset(&seen, 0, sizeof seen);
	sb_callback_set_handler(trace);
	ck_assert_int_eq(((fn_l)sb_trampoline_address(9))(1, 2, 3, 4, 5), 9);
	sb_callback_set_handler(NULL);
	/* the handler and sb_tramp_common, with sb_callback_dispatch between
	 * unless it tail-calls */
	ck_assert_trace_reaches(seen.trace, seen.depth, 2);
}
END_TEST

void dispatch_abi_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_alignment, 0, 4);
	tcase_add_test(tc, test_shadow_space);
	tcase_add_test(tc, test_callee_saved);
	tcase_add_test(tc, test_callback_positional);
	tcase_add_test(tc, test_callback_callee_saved);
	tcase_add_test(tc, test_callback_unwind);
}
