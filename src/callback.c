/* Callback trampolines: the pool's addresses and the one C entry the
 * common routine of each ABI's asm calls. The pool itself is in
 * asm/<abi>: pre-assembled, nothing is written or made executable at
 * run time. Nothing of Node here: the binding sets the handler. */
#include <stdint.h>
#include <string.h>

#include "sbffi.h"
#include "frame.h"

/* asm/<abi>: slot i at sb_trampolines + SB_TRAMPOLINE_OFFSET(i) */
extern const unsigned char sb_trampolines[];

static sb_callback_handler handler;

void sb_callback_set_handler(sb_callback_handler h)
{
	__atomic_store_n(&handler, h, __ATOMIC_RELEASE);
}

void *sb_trampoline_address(uint32_t index)
{
	if (index >= SB_TRAMPOLINE_COUNT)
		return NULL;
	return (void *)(sb_trampolines + SB_TRAMPOLINE_OFFSET((uintptr_t)index));
}

long sb_trampoline_index(const void *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)sb_trampolines;

	/* below the pool, off wraps to a huge value */
	if (off >= SB_TRAMPOLINE_OFFSET((uintptr_t)SB_TRAMPOLINE_COUNT) ||
	    off % SB_TRAMPOLINE_SIZE != 0)
		return -1;
	return (long)SB_TRAMPOLINE_INDEX(off);
}

void sb_callback_dispatch(uint32_t index, struct sb_frame *frame)
{
	sb_callback_handler h = __atomic_load_n(&handler, __ATOMIC_ACQUIRE);

	if (h) {
		h(index, frame);
		return;
	}
	memset(frame->ret_gpr, 0, sizeof frame->ret_gpr);
	memset(frame->ret_vec, 0, sizeof frame->ret_vec);
}
