; System V AMD64 dispatchers and callback trampolines (psABI 1.0, 3.2).
;
; void sb_call(void *frame)
;   on entry:  rdi = frame, laid out as in src/frame.h (build/frame.inc)
;   in the body: rbx = frame (callee-saved, so it survives the call)
;
; Copies the frame's stack words to the bottom of a 16-byte aligned area,
; loads all six integer and eight vector argument registers whether the
; signature uses them or not (cheaper than deciding), calls the target and
; stores rax, rdx, xmm0 and xmm1 back: the plan says which ones matter.
;
; void sb_call_gpr(void *frame)
;   on entry and in the body: as sb_call
;
; The lean variant the plan picks (plan.dispatch) for a signature whose
; arguments all travel in integer registers and whose result, if any, in
; rax:rdx: no stack words, no vector register either way. Both are put
; together from the same pieces below.

%include "frame.inc"
%include "eh_frame.inc"

default rel
section .text

; rdi, rsi, rdx, rcx, r8, r9 from the frame at rbx
%macro LOAD_GPRS 0
	mov	rdi, [rbx + SB_OFF_GPR + 0 * SB_WORD]
	mov	rsi, [rbx + SB_OFF_GPR + 1 * SB_WORD]
	mov	rdx, [rbx + SB_OFF_GPR + 2 * SB_WORD]
	mov	rcx, [rbx + SB_OFF_GPR + 3 * SB_WORD]
	mov	r8,  [rbx + SB_OFF_GPR + 4 * SB_WORD]
	mov	r9,  [rbx + SB_OFF_GPR + 5 * SB_WORD]
%endmacro

%macro LOAD_VECS 0
	movsd	xmm0, [rbx + SB_OFF_VEC + 0 * SB_WORD]
	movsd	xmm1, [rbx + SB_OFF_VEC + 1 * SB_WORD]
	movsd	xmm2, [rbx + SB_OFF_VEC + 2 * SB_WORD]
	movsd	xmm3, [rbx + SB_OFF_VEC + 3 * SB_WORD]
	movsd	xmm4, [rbx + SB_OFF_VEC + 4 * SB_WORD]
	movsd	xmm5, [rbx + SB_OFF_VEC + 5 * SB_WORD]
	movsd	xmm6, [rbx + SB_OFF_VEC + 6 * SB_WORD]
	movsd	xmm7, [rbx + SB_OFF_VEC + 7 * SB_WORD]
%endmacro

; the target, then rax:rdx into the frame (3.2.3: INTEGER results)
%macro CALL_STORE_GPRS 0
	call	[rbx + SB_OFF_FN]
	mov	[rbx + SB_OFF_RET_GPR + 0 * SB_WORD], rax
	mov	[rbx + SB_OFF_RET_GPR + 1 * SB_WORD], rdx
%endmacro

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
	LOAD_VECS
	LOAD_GPRS
	mov	eax, [rbx + SB_OFF_NVEC]	; 3.5.7: al bounds the vector registers a variadic callee saves
	CALL_STORE_GPRS
	movsd	[rbx + SB_OFF_RET_VEC + 0 * SB_WORD], xmm0
	movsd	[rbx + SB_OFF_RET_VEC + 1 * SB_WORD], xmm1
	mov	rbx, [rbp - SB_WORD]
	leave
.left:
	ret
.end:

; No frame pointer: nothing moves rsp but the push, which also aligns it
; (rsp % 16 == 8 on entry, 0 after it, as 3.2.2 wants at the call).
global sb_call_gpr:function hidden
sb_call_gpr:
	push	rbx
.pushed_rbx:
	mov	rbx, rdi
	LOAD_GPRS
	xor	eax, eax			; 3.5.7: no vector register carries an argument
	CALL_STORE_GPRS
	pop	rbx
.popped_rbx:
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

; Unwind tables for the dispatchers, sb_tramp_common and the trampoline pool, written by hand because nasm has no CFI
; directives. One CIE (the x86-64 entry state) and one FDE per routine
; whose instructions follow its prologue and epilogue, label by label.
section .eh_frame progbits alloc noexec nowrite align=8
	EH_CIE

	EH_FDE sb_call
	EH_RBP_RBX_FRAME sb_call
	EH_FDE_END

	EH_FDE sb_call_gpr
	EH_RBX_FRAME sb_call_gpr
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
