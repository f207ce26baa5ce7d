/* The dispatch suite's AAPCS64 part (§6 "The base procedure call
 * standard"): sp alignment at the call, variadic callees, callee-saved
 * registers; and the callback trampolines' common routine, called by C:
 * x0-x8 and d0-d7 spilled, argp, the return registers, what it keeps, and
 * unwinding through it. */
#include <execinfo.h>
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

	ck_assert_aligned_call(fn[_i], (unsigned)_i);
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


/* --- Callback trampolines (asm/aapcs64.S, sb_tramp_common) --- */

/* What the handler saw of the last call, and what it returns. */
static struct {
	int calls;
	int big;		/* whether x8 points at a struct big */
	uint32_t index;
	int aligned;
	uint64_t gpr[9], vec[8], stack[4];
	void *trace[64];
	int depth;
} seen;

/* §6.9: a composite over 16 bytes is returned in memory at x8; one of
 * up to 16 bytes in x0-x1; an HFA of up to 4 members in d0-d3. */
struct big { uint64_t a, b, c; };
struct pair { uint64_t a, b; };
struct hfa4 { double a, b, c, d; };

static void record(uint32_t index, struct sb_frame *f)
{
	seen.calls++;
	seen.index = index;
	seen.aligned = ALIGNED();
	memcpy(seen.gpr, f->gpr, sizeof seen.gpr);
	memcpy(seen.vec, f->vec, sizeof seen.vec);
	memcpy(seen.stack, f->argp, sizeof seen.stack);
	if (seen.big)			/* the callee writes a large result at x8 */
		*(struct big *)f->gpr[8] = (struct big){ 0xb1, 0xb2, 0xb3 };
	f->ret_gpr[0] = 0x1111111111111111u;
	f->ret_gpr[1] = 0x2222222222222222u;
	for (int i = 0; i < 4; i++)
		f->ret_vec[i] = i + 0.5;
}

/* §6.8.2: eight integers in x0-x7 and eight doubles in d0-d7 (NGRN and
 * NSRN reach 8), then stage C: the rest in 8-byte stack slots from NSAA
 * (a narrow one in its slot's low bytes on little-endian GNU/Linux). */
typedef struct big (*fn_big)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
			     uint64_t, uint64_t, double, double, double, double, double,
			     double, double, double, int64_t, double, int32_t, float);
typedef struct pair (*fn_pair)(void);
typedef struct hfa4 (*fn_hfa4)(void);

START_TEST(test_callback_registers)
{
	struct big r;

	memset(&seen, 0, sizeof seen);
	seen.big = 1;
	sb_callback_set_handler(record);
	r = ((fn_big)sb_trampoline_address(3))(0x1000, 0x1001, 0x1002, 0x1003, 0x1004,
		0x1005, 0x1006, 0x1007, 0.25, 1.25, 2.25, 3.25, 4.25, 5.25, 6.25, 7.25,
		-9, -10.5, -11, 12.75f);
	ck_assert_int_eq(seen.calls, 1);
	ck_assert_uint_eq(seen.index, 3);
	ck_assert(seen.aligned);
	for (int i = 0; i < 8; i++) {
		ck_assert_uint_eq(seen.gpr[i], 0x1000u + (unsigned)i);
		ck_assert_uint_eq(seen.vec[i], dbits(i + 0.25));
	}
	ck_assert_uint_ne(seen.gpr[8], 0);	/* x8 came through: r was written there */
	ck_assert_uint_eq(r.a, 0xb1);
	ck_assert_uint_eq(r.b, 0xb2);
	ck_assert_uint_eq(r.c, 0xb3);
	ck_assert_uint_eq(seen.stack[0], (uint64_t)-9);
	ck_assert_uint_eq(seen.stack[1], dbits(-10.5));
	ck_assert_uint_eq((uint32_t)seen.stack[2], (uint32_t)-11);
	ck_assert_uint_eq((uint32_t)seen.stack[3], fbits(12.75f));
	sb_callback_set_handler(NULL);
}
END_TEST

START_TEST(test_callback_returns)
{
	struct pair p;
	struct hfa4 h;

	memset(&seen, 0, sizeof seen);
	sb_callback_set_handler(record);
	p = ((fn_pair)sb_trampoline_address(SB_TRAMPOLINE_COUNT - 1))();
	ck_assert_uint_eq(p.a, 0x1111111111111111u);	/* x0 */
	ck_assert_uint_eq(p.b, 0x2222222222222222u);	/* x1 */
	h = ((fn_hfa4)sb_trampoline_address(0))();
	ck_assert_double_eq(h.a, 0.5);			/* d0-d3 */
	ck_assert_double_eq(h.b, 1.5);
	ck_assert_double_eq(h.c, 2.5);
	ck_assert_double_eq(h.d, 3.5);
	sb_callback_set_handler(NULL);
}
END_TEST

/* uint64_t ck_tramp_saving(void *tramp, uint64_t out[20]): calls tramp
 * (blr, so through its bti c) with known values in x19-x28 and d8-d15
 * (§6.1.1, §6.1.2: callee-saved), stores what they hold afterwards in
 * out, as ck_call_saving does, then sp and x29 less their values before;
 * returns x0. */
uint64_t ck_tramp_saving(void *tramp, uint64_t *out);
__asm__(".text\n"
	".globl ck_tramp_saving\n"
	".hidden ck_tramp_saving\n"
	".type ck_tramp_saving, %function\n"
	"ck_tramp_saving:\n"
	"	.cfi_startproc\n"
	"	hint 34\n"
	"	stp x29, x30, [sp, #-192]!\n"
	"	.cfi_def_cfa_offset 192\n"
	"	.cfi_offset x29, -192\n	.cfi_offset x30, -184\n"
	"	mov x29, sp\n"
	"	stp x19, x20, [sp, #16]\n	.cfi_offset x19, -176\n	.cfi_offset x20, -168\n"
	"	stp x21, x22, [sp, #32]\n	.cfi_offset x21, -160\n	.cfi_offset x22, -152\n"
	"	stp x23, x24, [sp, #48]\n	.cfi_offset x23, -144\n	.cfi_offset x24, -136\n"
	"	stp x25, x26, [sp, #64]\n	.cfi_offset x25, -128\n	.cfi_offset x26, -120\n"
	"	stp x27, x28, [sp, #80]\n	.cfi_offset x27, -112\n	.cfi_offset x28, -104\n"
	"	stp d8, d9, [sp, #96]\n	.cfi_offset d8, -96\n	.cfi_offset d9, -88\n"
	"	stp d10, d11, [sp, #112]\n	.cfi_offset d10, -80\n	.cfi_offset d11, -72\n"
	"	stp d12, d13, [sp, #128]\n	.cfi_offset d12, -64\n	.cfi_offset d13, -56\n"
	"	stp d14, d15, [sp, #144]\n	.cfi_offset d14, -48\n	.cfi_offset d15, -40\n"
	"	str x1, [sp, #160]\n"
	"	mov x16, x0\n"
	"	mov x9, #0x0101010101010101\n"
	"	mov x19, x9\n"
	"	add x20, x19, x9\n	add x21, x20, x9\n	add x22, x21, x9\n"
	"	add x23, x22, x9\n	add x24, x23, x9\n	add x25, x24, x9\n"
	"	add x26, x25, x9\n	add x27, x26, x9\n	add x28, x27, x9\n"
	"	add x10, x28, x9\n	fmov d8, x10\n	add x10, x10, x9\n	fmov d9, x10\n"
	"	add x10, x10, x9\n	fmov d10, x10\n	add x10, x10, x9\n	fmov d11, x10\n"
	"	add x10, x10, x9\n	fmov d12, x10\n	add x10, x10, x9\n	fmov d13, x10\n"
	"	add x10, x10, x9\n	fmov d14, x10\n	add x10, x10, x9\n	fmov d15, x10\n"
	"	mov x10, sp\n"
	"	str x10, [sp, #168]\n"
	"	blr x16\n"
	"	ldr x1, [sp, #160]\n"
	"	stp x19, x20, [x1, #0]\n	stp x21, x22, [x1, #16]\n"
	"	stp x23, x24, [x1, #32]\n	stp x25, x26, [x1, #48]\n"
	"	stp x27, x28, [x1, #64]\n	stp d8, d9, [x1, #80]\n"
	"	stp d10, d11, [x1, #96]\n	stp d12, d13, [x1, #112]\n"
	"	stp d14, d15, [x1, #128]\n"
	"	ldr x10, [sp, #168]\n"
	"	mov x11, sp\n	sub x11, x11, x10\n	str x11, [x1, #144]\n"
	"	sub x11, x29, x10\n	str x11, [x1, #152]\n"
	"	ldp x19, x20, [sp, #16]\n	ldp x21, x22, [sp, #32]\n"
	"	ldp x23, x24, [sp, #48]\n	ldp x25, x26, [sp, #64]\n"
	"	ldp x27, x28, [sp, #80]\n	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	ldp x29, x30, [sp], #192\n"
	"	.cfi_def_cfa_offset 0\n"
	"	.cfi_restore x29\n	.cfi_restore x30\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size ck_tramp_saving, .-ck_tramp_saving\n");

/* A handler that does write x19-x28 and d8-d15: the compiler saves them
 * for it, and the trampoline must not lose them either side of it. */
static void clobber(uint32_t index, struct sb_frame *f)
{
	__asm__ volatile(".irp n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28\n\t"
			 "mov x\\n, xzr\n\t"
			 ".endr\n\t"
			 ".irp n, 8, 9, 10, 11, 12, 13, 14, 15\n\t"
			 "movi d\\n, #0\n\t"
			 ".endr"
			 ::: "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
			 "x28", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15");
	f->ret_gpr[0] = 0x600d000000000000u | index;
}

START_TEST(test_callback_callee_saved)
{
	uint64_t out[20];

	sb_callback_set_handler(clobber);
	ck_assert_uint_eq(ck_tramp_saving(sb_trampoline_address(5), out), 0x600d000000000005u);
	for (int i = 0; i < 18; i++)
		ck_assert_uint_eq(out[i], 0x0101010101010101u * (uint64_t)(i + 1));
	ck_assert_uint_eq(out[18], 0);		/* sp */
	ck_assert_uint_eq(out[19], 0);		/* x29 */
	sb_callback_set_handler(NULL);
}
END_TEST

/* The CFI of sb_tramp_common: a backtrace from the handler goes on
 * through it to the test and its callers, as test_unwind does for sb_call. */
static void trace(uint32_t index, struct sb_frame *f)
{
	seen.depth = backtrace(seen.trace, 64);
	f->ret_gpr[0] = index;
}

typedef long (*fn_l)(long, long, long, long, long, long, long, long, long, long);

START_TEST(test_callback_unwind)
{
	memset(&seen, 0, sizeof seen);
	sb_callback_set_handler(trace);
	ck_assert_int_eq(((fn_l)sb_trampoline_address(9))(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 9);
	sb_callback_set_handler(NULL);
	/* the handler and sb_tramp_common, with sb_callback_dispatch between
	 * unless it tail-calls */
	ck_assert_trace_reaches(seen.trace, seen.depth, 2);
}
END_TEST

void dispatch_abi_tests(TCase *tc)
{
	tcase_add_loop_test(tc, test_alignment, 0, 4);
	tcase_add_test(tc, test_variadic);
	tcase_add_test(tc, test_callee_saved);
	tcase_add_test(tc, test_callback_registers);
	tcase_add_test(tc, test_callback_returns);
	tcase_add_test(tc, test_callback_callee_saved);
	tcase_add_test(tc, test_callback_unwind);
}
