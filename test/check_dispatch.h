/* What the dispatch suite (check_dispatch.c) shares with its per-ABI part
 * (check_dispatch_<abi>.c, the one the Makefile picks for the build's ABI):
 * frame helpers, and the tests only that ABI can express. */
#ifndef CHECK_DISPATCH_H
#define CHECK_DISPATCH_H

#include <string.h>

#include "check_suites.h"
#include "frame.h"

static inline uint64_t dbits(double d)
{
	uint64_t b;

	memcpy(&b, &d, 8);
	return b;
}

static inline uint64_t fbits(float v)
{
	uint32_t b;

	memcpy(&b, &v, 4);
	return b;
}

static inline double as_double(uint64_t b)
{
	double d;

	memcpy(&d, &b, 8);
	return d;
}

static inline float as_float(uint64_t b)
{
	float v;
	uint32_t w = (uint32_t)b;

	memcpy(&v, &w, 4);
	return v;
}

/* Stale bytes every slot starts with, as a reused frame would hold. */
#define STALE 0xa5

/* Classify and fill a stale frame to call fn. */
void ck_fill(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
	     const int *types, const uint64_t *vals, int n);

/* ck_fill, sb_call; returns the return value's bits. The call must leave
 * all but the return slots as it found them: the JS layer reuses the frame. */
uint64_t ck_call(struct sb_frame *f, struct sb_plan *plan, void *fn, int ret,
		 const int *types, const uint64_t *vals, int n);

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))
#define CALL(fn, ret, types, vals) ck_call(&f, &plan, (void *)(fn), ret, types, vals, N(types))

/* Per ABI: integer and floating-point argument registers, and the tests
 * of that ABI's own rules (alignment, variadic calls, callee-saved
 * registers), added to the dispatch suite's test case. */
extern const unsigned ck_arg_gprs, ck_arg_vecs;
void dispatch_abi_tests(TCase *tc);

/* Call fn, an int function of ck_arg_gprs + words 64-bit integers 1, 2, ...
 * (so `words` of them on the stack), which returns 1 if it found the stack
 * aligned as its ABI says and every argument right. */
void ck_assert_aligned_call(void *fn, unsigned words);

/* A backtrace taken in a callee at least `below` frames under the calling
 * test must go on through them into the test's callers: the unwind data
 * of sb_call and of the trampolines. */
void ck_assert_trace_reaches(void *const *trace, int trace_depth, int below);

/* x86-64 asm helpers: save and restore the registers both x86-64
 * conventions keep (rbx, rbp, r12-r15), with their CFI, as strings for
 * a top-level __asm__ */
#define CK_X64_PUSH_SAVED \
	"	push %rbx\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %rbx, 0\n" \
	"	push %rbp\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %rbp, 0\n" \
	"	push %r12\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r12, 0\n" \
	"	push %r13\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r13, 0\n" \
	"	push %r14\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r14, 0\n" \
	"	push %r15\n	.cfi_adjust_cfa_offset 8\n	.cfi_rel_offset %r15, 0\n"
#define CK_X64_POP_SAVED \
	"	pop %r15\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r15\n" \
	"	pop %r14\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r14\n" \
	"	pop %r13\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r13\n" \
	"	pop %r12\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %r12\n" \
	"	pop %rbp\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %rbp\n" \
	"	pop %rbx\n	.cfi_adjust_cfa_offset -8\n	.cfi_restore %rbx\n"

#endif
