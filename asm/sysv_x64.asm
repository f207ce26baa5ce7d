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
cie:
	dd	.end - .id			; length
.id:	dd	0				; CIE id
	db	1				; version
	db	"zR", 0				; augmentation: FDEs carry an encoding byte
	db	1				; code alignment factor
	db	0x78				; data alignment factor: -8 (sleb128)
	db	16				; return address column: rip
	db	1				; augmentation data length
	db	0x1b				; FDE addresses: DW_EH_PE_pcrel | sdata4
	db	0x0c, 7, 8			; DW_CFA_def_cfa: rsp + 8
	db	0x90, 1				; DW_CFA_offset: rip at cfa - 8
	align	8, db 0				; DW_CFA_nop
.end:

fde:
	dd	.end - .cie			; length
.cie:	dd	.cie - cie			; back to the CIE
	dd	sb_call - $			; start, pc-relative
	dd	sb_call.end - sb_call		; size
	db	0				; augmentation data length
	db	0x40 + (sb_call.pushed_rbp - sb_call)		; DW_CFA_advance_loc
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x86, 2				; DW_CFA_offset: rbp at cfa - 16
	db	0x40 + (sb_call.framed - sb_call.pushed_rbp)
	db	0x0d, 6				; DW_CFA_def_cfa_register: rbp
	db	0x40 + (sb_call.pushed_rbx - sb_call.framed)
	db	0x83, 3				; DW_CFA_offset: rbx at cfa - 24
	db	0x02, sb_call.left - sb_call.pushed_rbx	; DW_CFA_advance_loc1
	db	0x0c, 7, 8			; DW_CFA_def_cfa: rsp + 8 after leave
	align	8, db 0
.end:

; the same prologue and epilogue as sb_call's
fde_common:
	dd	.end - .cie			; length
.cie:	dd	.cie - cie			; back to the CIE
	dd	sb_tramp_common - $		; start, pc-relative
	dd	sb_tramp_common.end - sb_tramp_common	; size
	db	0				; augmentation data length
	db	0x40 + (sb_tramp_common.pushed_rbp - sb_tramp_common)
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x86, 2				; DW_CFA_offset: rbp at cfa - 16
	db	0x40 + (sb_tramp_common.framed - sb_tramp_common.pushed_rbp)
	db	0x0d, 6				; DW_CFA_def_cfa_register: rbp
	db	0x40 + (sb_tramp_common.pushed_rbx - sb_tramp_common.framed)
	db	0x83, 3				; DW_CFA_offset: rbx at cfa - 24
	db	0x02, sb_tramp_common.left - sb_tramp_common.pushed_rbx
	db	0x0c, 7, 8			; DW_CFA_def_cfa: rsp + 8 after leave
	align	8, db 0
.end:

; the pool: each slot only moves an immediate and jumps, so the CIE's
; entry state (CFA = rsp + 8, rip at cfa - 8) holds throughout
fde_pool:
	dd	.end - .cie			; length
.cie:	dd	.cie - cie			; back to the CIE
	dd	sb_trampolines - $		; start, pc-relative
	dd	sb_trampolines.end - sb_trampolines	; size
	db	0				; augmentation data length
	align	8, db 0
.end:

section .note.GNU-stack noalloc noexec nowrite progbits
