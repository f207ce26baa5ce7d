/* AAPCS64 dispatcher and callback trampolines (Procedure Call Standard
 * for the Arm 64-bit Architecture, §6 "The base procedure call
 * standard"), GNU as.
 *
 * void sb_call(void *frame)
 *   on entry:  x0 = frame, laid out as in src/frame.h; x30 = return address
 *   in the body: x19 = frame (callee-saved, §6.1.1, so it survives the call)
 *                x29 = frame record, so sp can move by the stack words
 *
 * Copies the frame's stack words to the bottom of a 16-byte aligned area,
 * loads x0-x8 and d0-d7 whether the signature uses them or not (cheaper
 * than deciding; x8 is the indirect result register, §6.9), calls the
 * target and stores x0, x1 and d0-d3 back: the plan says which ones matter.
 * A float is the low 4 bytes of its slot, and s<n> is the low half of d<n>.
 *
 * Branch protection in hint space, so it runs on cores without it: bti c
 * (hint 34) as the indirect-call landing pad, paciasp/autiasp (hint 25/29)
 * signing the return address while it sits on the stack. */
#include "frame.h"

/* Each routine's frame record, with its return address signed (in hint
 * forms, so cores without PAC run them as nops) and its CFI: enter takes
 * `size` bytes of stack, the record at the bottom; leave gives them back
 * and returns. */
	.macro	frame_enter size
	hint	25				// paciasp: sign x30 with sp
	.cfi_negate_ra_state
	stp	x29, x30, [sp, #-\size]!
	.cfi_def_cfa_offset \size
	.cfi_offset x29, -\size
	.cfi_offset x30, -\size + 8
	mov	x29, sp
	.cfi_def_cfa_register x29
	.endm

	.macro	frame_leave size
	ldp	x29, x30, [sp], #\size
	.cfi_def_cfa_offset 0
	.cfi_restore x29
	.cfi_restore x30
	hint	29				// autiasp: check x30 before using it
	.cfi_negate_ra_state
	ret
	.endm

/* x0-x8 from the frame at x19, the target, then x0:x1 into the frame
 * (§6.9): what every dispatcher here does */
	.macro	load_gprs_call_store
	ldp	x0, x1, [x19, #SB_OFF_GPR + 0 * SB_WORD]
	ldp	x2, x3, [x19, #SB_OFF_GPR + 2 * SB_WORD]
	ldp	x4, x5, [x19, #SB_OFF_GPR + 4 * SB_WORD]
	ldp	x6, x7, [x19, #SB_OFF_GPR + 6 * SB_WORD]
	ldr	x8, [x19, #SB_OFF_GPR + 8 * SB_WORD]
	ldr	x9, [x19, #SB_OFF_FN]
	blr	x9
	stp	x0, x1, [x19, #SB_OFF_RET_GPR + 0 * SB_WORD]
	.endm

	.text
	.p2align 2
	.globl	sb_call
	.hidden	sb_call
	.type	sb_call, %function
sb_call:
	.cfi_startproc
	hint	34				// bti c
	frame_enter 32				// and room for x19
	str	x19, [sp, #16]
	.cfi_offset x19, -16
	mov	x19, x0

	ldr	w9, [x19, #SB_OFF_NSTACK]	// stack words
	cbz	w9, 2f				// sp is aligned already
	add	x10, x9, #1
	and	x10, x10, #~1			// §6.4.5.1: sp % 16 == 0 at the call
	sub	sp, sp, x10, lsl #3
	add	x11, x19, #SB_OFF_STACK
	mov	x12, sp				// A.4: NSAA starts at sp
1:	ldr	x13, [x11], #SB_WORD
	str	x13, [x12], #SB_WORD
	subs	w9, w9, #1
	b.ne	1b

2:	ldp	d0, d1, [x19, #SB_OFF_VEC + 0 * SB_WORD]
	ldp	d2, d3, [x19, #SB_OFF_VEC + 2 * SB_WORD]
	ldp	d4, d5, [x19, #SB_OFF_VEC + 4 * SB_WORD]
	ldp	d6, d7, [x19, #SB_OFF_VEC + 6 * SB_WORD]
	load_gprs_call_store
	stp	d0, d1, [x19, #SB_OFF_RET_VEC + 0 * SB_WORD]
	stp	d2, d3, [x19, #SB_OFF_RET_VEC + 2 * SB_WORD]	// §6.9: an HFA of 4 comes back in d0-d3
	mov	sp, x29				// drop the stack words
	.cfi_def_cfa_register sp
	ldr	x19, [sp, #16]
	.cfi_restore x19
	frame_leave 32
	.cfi_endproc
	.size	sb_call, . - sb_call

/* void sb_call_gpr(void *frame)
 *   on entry and in the body: as sb_call
 *
 * The lean variant the plan picks (plan.dispatch) for a signature whose
 * arguments all travel in x0-x8 and whose result, if any, in x0:x1: no
 * stack words (sp stays where the frame record put it), no vector
 * register either way. */
	.p2align 2
	.globl	sb_call_gpr
	.hidden	sb_call_gpr
	.type	sb_call_gpr, %function
sb_call_gpr:
	.cfi_startproc
	hint	34				// bti c
	frame_enter 32				// and room for x19
	str	x19, [sp, #16]
	.cfi_offset x19, -16
	mov	x19, x0
	load_gprs_call_store
	.cfi_def_cfa_register sp		// sp == x29: nothing moved it
	ldr	x19, [sp, #16]
	.cfi_restore x19
	frame_leave 32
	.cfi_endproc
	.size	sb_call_gpr, . - sb_call_gpr

/* void sb_tramp_common(void), reached only by a b from a slot of the pool
 * below, so sp, x30 and the argument registers are the callback caller's:
 *   on entry:  w9 = slot index; x0-x7 and d0-d7 = the callback's arguments
 *              (§6.8.2), x8 = the indirect result address (§6.9), used or
 *              not; sp = the first stack argument (NSAA, §6.8.2 stage C);
 *              x30 = return address
 *   in the body: x29 = frame record; sp = the struct sb_frame (src/frame.h)
 *
 * Spills x0-x8 and d0-d7 into the frame whether the signature uses them or
 * not (a float is the low 4 bytes of its slot, s<n> the low half of d<n>),
 * stores argp = sp at entry, calls sb_callback_dispatch(index, frame), and
 * returns the frame's x0, x1 and d0-d3: a composite of up to 16 bytes comes
 * back in x0-x1, an HFA of up to 4 members in d0-d3 (§6.9). It writes no
 * callee-saved register but x29 and x30, which it saves; the C callee
 * keeps x19-x28 and d8-d15 (§6.1.1, §6.1.2). No bti: it is reached by a
 * direct branch only. */
#define CB_FRAME ((SB_FRAME_SIZE + 15) & ~15)	/* sp % 16 == 0, §6.4.5.1 */
#if CB_FRAME > 4095
#error "the frame no longer fits a sub's 12-bit immediate"
#endif
	.p2align 4
	.type	sb_tramp_common, %function
sb_tramp_common:
	.cfi_startproc
	frame_enter 16
	sub	sp, sp, #CB_FRAME

	stp	x0, x1, [sp, #SB_OFF_GPR + 0 * SB_WORD]
	stp	x2, x3, [sp, #SB_OFF_GPR + 2 * SB_WORD]
	stp	x4, x5, [sp, #SB_OFF_GPR + 4 * SB_WORD]
	stp	x6, x7, [sp, #SB_OFF_GPR + 6 * SB_WORD]
	str	x8, [sp, #SB_OFF_GPR + 8 * SB_WORD]	// §6.9: where a large result goes
	stp	d0, d1, [sp, #SB_OFF_VEC + 0 * SB_WORD]
	stp	d2, d3, [sp, #SB_OFF_VEC + 2 * SB_WORD]
	stp	d4, d5, [sp, #SB_OFF_VEC + 4 * SB_WORD]
	stp	d6, d7, [sp, #SB_OFF_VEC + 6 * SB_WORD]
	add	x10, x29, #16			// sp at entry, above the frame record
	str	x10, [sp, #SB_OFF_ARGP]
	mov	w0, w9				// index
	mov	x1, sp				// frame
	bl	sb_callback_dispatch

	ldp	x0, x1, [sp, #SB_OFF_RET_GPR + 0 * SB_WORD]
	ldp	d0, d1, [sp, #SB_OFF_RET_VEC + 0 * SB_WORD]
	ldp	d2, d3, [sp, #SB_OFF_RET_VEC + 2 * SB_WORD]
	mov	sp, x29				// drop the frame
	.cfi_def_cfa_register sp
	frame_leave 16
	.cfi_endproc
	.size	sb_tramp_common, . - sb_tramp_common

/* The callback trampolines (LuaJIT lj_ccallback.c's scheme), pre-assembled:
 * SB_TRAMPOLINE_COUNT slots of SB_TRAMPOLINE_SIZE bytes, slot i at
 * sb_trampolines + i * SB_TRAMPOLINE_SIZE. Each is a leaf: a BTI landing
 * pad (C calls it with blr), its index into w9 (a temporary, §6.1.1; not
 * x16/x17, which a linker veneer on the b may use) and a branch to
 * sb_tramp_common, which signs and saves x30 itself.
 *   slot i:  bti c; movz w9, #i; b sb_tramp_common; udf (4 bytes each) */
#if SB_TRAMPOLINE_COUNT > 65536
#error "a slot's movz holds indexes below 65536"
#endif
	.p2align 4
	.globl	sb_trampolines
	.hidden	sb_trampolines
	.type	sb_trampolines, %function
sb_trampolines:
	.cfi_startproc				// the entry state holds throughout
	.set	i, 0
	.rept	SB_TRAMPOLINE_COUNT
	hint	34				// bti c
	movz	w9, #i
	b	sb_tramp_common
	udf	#0
	.if	. - sb_trampolines != (i + 1) * SB_TRAMPOLINE_SIZE
	.error	"a slot is not SB_TRAMPOLINE_SIZE bytes"
	.endif
	.set	i, i + 1
	.endr
	.cfi_endproc
	.size	sb_trampolines, . - sb_trampolines

/* GNU_PROPERTY_AARCH64_FEATURE_1_AND: this object is BTI and PAC ready, so
 * a fully marked program may run with BTI enforced (ELF for the Arm 64-bit
 * Architecture, "Program Property"). */
	.pushsection .note.gnu.property, "a"
	.p2align 3
	.word	4				// name size: "GNU\0"
	.word	16				// descriptor size
	.word	5				// NT_GNU_PROPERTY_TYPE_0
	.asciz	"GNU"
	.word	0xc0000000			// GNU_PROPERTY_AARCH64_FEATURE_1_AND
	.word	4				// property data size
	.word	3				// BTI | PAC
	.word	0				// pad to 8
	.popsection

	.section .note.GNU-stack, "", %progbits
