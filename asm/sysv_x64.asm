; System V AMD64 dispatcher and callback trampolines (psABI 1.0, 3.2).
;
; void sb_call(void *frame)
;   on entry:  rdi = frame, laid out as in src/frame.h (build/frame.inc)
;   in the body: rbx = frame (callee-saved, so it survives the call)
;
; Copies the frame's stack words to the bottom of a 16-byte aligned area,
; loads all six integer and eight vector argument registers whether the
; signature uses them or not (cheaper than deciding), calls the target and
; stores rax, rdx, xmm0 and xmm1 back: the plan says which ones matter.

%include "frame.inc"
%include "eh_frame.inc"

default rel
section .text

global sb_call:function hidden
sb_call:
	push	rbp
.pushed_rbp:
	mov	rbp, rsp
.framed:
	push	rbx
.pushed_rbx:
	sub	rsp, 8				; back to 16-byte alignment
	mov	rbx, rdi

	mov	ecx, [rbx + SB_OFF_NSTACK]	; stack words
	test	ecx, ecx
	jz	.load				; rsp is aligned already
	lea	rax, [rcx * SB_WORD + 15]
	and	rax, -16			; 3.2.2: rsp % 16 == 0 at the call
	sub	rsp, rax
.copy:
	mov	rax, [rbx + SB_OFF_STACK + rcx * SB_WORD - SB_WORD]
	mov	[rsp + rcx * SB_WORD - SB_WORD], rax
	dec	ecx
	jnz	.copy

.load:
	movsd	xmm0, [rbx + SB_OFF_VEC + 0 * SB_WORD]
	movsd	xmm1, [rbx + SB_OFF_VEC + 1 * SB_WORD]
	movsd	xmm2, [rbx + SB_OFF_VEC + 2 * SB_WORD]
	movsd	xmm3, [rbx + SB_OFF_VEC + 3 * SB_WORD]
	movsd	xmm4, [rbx + SB_OFF_VEC + 4 * SB_WORD]
	movsd	xmm5, [rbx + SB_OFF_VEC + 5 * SB_WORD]
	movsd	xmm6, [rbx + SB_OFF_VEC + 6 * SB_WORD]
	movsd	xmm7, [rbx + SB_OFF_VEC + 7 * SB_WORD]
	mov	rdi, [rbx + SB_OFF_GPR + 0 * SB_WORD]
	mov	rsi, [rbx + SB_OFF_GPR + 1 * SB_WORD]
	mov	rdx, [rbx + SB_OFF_GPR + 2 * SB_WORD]
	mov	rcx, [rbx + SB_OFF_GPR + 3 * SB_WORD]
	mov	r8,  [rbx + SB_OFF_GPR + 4 * SB_WORD]
	mov	r9,  [rbx + SB_OFF_GPR + 5 * SB_WORD]
	mov	eax, [rbx + SB_OFF_NVEC]	; 3.5.7: al bounds the vector registers a variadic callee saves
	call	[rbx + SB_OFF_FN]

	mov	[rbx + SB_OFF_RET_GPR + 0 * SB_WORD], rax
	mov	[rbx + SB_OFF_RET_GPR + 1 * SB_WORD], rdx
	movsd	[rbx + SB_OFF_RET_VEC + 0 * SB_WORD], xmm0
	movsd	[rbx + SB_OFF_RET_VEC + 1 * SB_WORD], xmm1
	mov	rbx, [rbp - SB_WORD]
	leave
.left:
	ret
.end:

; Callback trampolines (LuaJIT lj_ccallback.c's scheme): SB_TRAMPOLINE_COUNT
; slots of SB_TRAMPOLINE_SIZE bytes; slot i loads i into eax and jumps to
; sb_tramp_common. Pre-assembled here: nothing is written at run time.
;   slot i:  mov eax, i (5 bytes); jmp near sb_tramp_common (5 bytes); pad
global sb_trampolines:function hidden
	align	SB_TRAMPOLINE_SIZE
sb_trampolines:
%assign i 0
%rep SB_TRAMPOLINE_COUNT
	mov	eax, i
	jmp	near sb_tramp_common
	times	SB_TRAMPOLINE_SIZE - 10 int3
%assign i i + 1
%endrep
sb_trampolines.end:

; void sb_tramp_common(void)  -- reached only from a trampoline slot
;   on entry:  eax = slot index; rdi, rsi, rdx, rcx, r8, r9 and xmm0-7 =
;              the callback's arguments; [rsp] = return address into the
;              C caller, [rsp + 8] its first stack argument (3.2.3)
;   in the body: rbx = the frame (callee-saved, so it survives the call)
;
; Builds a struct sb_frame on the stack, spills every argument register
; into it whether the signature uses it or not, calls
; sb_callback_dispatch(index, frame), and returns the frame's rax, rdx,
; xmm0 and xmm1: the plan says which ones matter to the caller.
TRAMP_FRAME equ (SB_FRAME_SIZE + 15) & -16

extern sb_callback_dispatch
sb_tramp_common:
	push	rbp
.pushed_rbp:
	mov	rbp, rsp
.framed:
	push	rbx
.pushed_rbx:
	sub	rsp, TRAMP_FRAME + 8		; 16-byte aligned again after 3 pushes
	mov	rbx, rsp
	mov	[rbx + SB_OFF_GPR + 0 * SB_WORD], rdi
	mov	[rbx + SB_OFF_GPR + 1 * SB_WORD], rsi
	mov	[rbx + SB_OFF_GPR + 2 * SB_WORD], rdx
	mov	[rbx + SB_OFF_GPR + 3 * SB_WORD], rcx
	mov	[rbx + SB_OFF_GPR + 4 * SB_WORD], r8
	mov	[rbx + SB_OFF_GPR + 5 * SB_WORD], r9
	movsd	[rbx + SB_OFF_VEC + 0 * SB_WORD], xmm0
	movsd	[rbx + SB_OFF_VEC + 1 * SB_WORD], xmm1
	movsd	[rbx + SB_OFF_VEC + 2 * SB_WORD], xmm2
	movsd	[rbx + SB_OFF_VEC + 3 * SB_WORD], xmm3
	movsd	[rbx + SB_OFF_VEC + 4 * SB_WORD], xmm4
	movsd	[rbx + SB_OFF_VEC + 5 * SB_WORD], xmm5
	movsd	[rbx + SB_OFF_VEC + 6 * SB_WORD], xmm6
	movsd	[rbx + SB_OFF_VEC + 7 * SB_WORD], xmm7
	lea	rcx, [rbp + 16]			; past saved rbp and return address
	mov	[rbx + SB_OFF_ARGP], rcx
	mov	edi, eax			; index
	mov	rsi, rbx			; frame
	call	sb_callback_dispatch wrt ..plt

	mov	rax, [rbx + SB_OFF_RET_GPR + 0 * SB_WORD]
	mov	rdx, [rbx + SB_OFF_RET_GPR + 1 * SB_WORD]
	movsd	xmm0, [rbx + SB_OFF_RET_VEC + 0 * SB_WORD]
	movsd	xmm1, [rbx + SB_OFF_RET_VEC + 1 * SB_WORD]
	mov	rbx, [rbp - SB_WORD]
	leave
.left:
	ret
.end:

; Unwind tables for sb_call, sb_tramp_common and the trampoline pool, written by hand because nasm has no CFI
; directives. One CIE (the x86-64 entry state) and one FDE per routine
; whose instructions follow its prologue and epilogue, label by label.
section .eh_frame progbits alloc noexec nowrite align=8
	EH_CIE

	EH_FDE sb_call
	EH_RBP_RBX_FRAME sb_call
	EH_FDE_END

	; the same prologue and epilogue as sb_call's
	EH_FDE sb_tramp_common
	EH_RBP_RBX_FRAME sb_tramp_common
	EH_FDE_END

	; the pool: each slot only moves an immediate and jumps, so the
	; CIE's entry state (CFA = rsp + 8, rip at cfa - 8) holds throughout
	EH_FDE sb_trampolines
	EH_FDE_END

section .note.GNU-stack noalloc noexec nowrite progbits
