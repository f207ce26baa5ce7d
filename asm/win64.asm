; Microsoft x64 dispatcher ("x64 calling convention", Microsoft Learn).
;
; void sb_call(void *frame)
;   on entry:  rcx = frame on Windows (nasm -f win64): the caller is Win64;
;              rdi = frame in the Linux test mode (nasm -f elf64): the C
;              code that calls sb_call there is compiled for System V, and
;              only the call this routine makes, to an ms_abi target, is
;              Win64. So the entry register is chosen by output format.
;   in the body: rbx = frame (callee-saved under both conventions)
;
; Reserves room for the frame's stack words, copies them, then reserves
; the 32-byte shadow space (home area) below them, so the fifth argument
; sits at rsp + 32 at the call ("Parameter passing"; rsp 16-byte aligned,
; "Stack allocation"). Loads rcx, rdx, r8, r9 and xmm0-3 whether the
; signature uses them or not: each position has a slot of both kinds in
; the frame and the plan filled the right one. Calls, and stores rax and
; xmm0 ("Return values"), and rdx, xmm1 too, as the frame contract of every
; dispatcher has two return slots of each kind.
;
; Registers: it touches only rbx and rbp of the callee-saved ones, and
; saves both. rdi, rsi and xmm6-15, callee-saved under Win64 but not
; System V, are never written here, and the Win64 target preserves them.

%include "frame.inc"

%ifidn __OUTPUT_FORMAT__, win64
%define FRAME rcx
%else
%define FRAME rdi
%endif

default rel
section .text

%ifidn __OUTPUT_FORMAT__, win64
global sb_call
%else
global sb_call:function hidden
%endif
; Prologue in the order the Win64 unwinder requires ("x64 prolog and
; epilog"): push the non-volatile registers, allocate the fixed stack, set
; the frame pointer last; rsp may then move by a dynamic amount.
sb_call:
	push	rbp
.pushed_rbp:
	push	rbx
.pushed_rbx:
	sub	rsp, 8				; rsp % 16 == 0 from here
.allocated:
	mov	rbp, rsp			; frame register, offset 0
.framed:
	mov	rbx, FRAME

	mov	ecx, [rbx + SB_OFF_NSTACK]	; stack words
	test	ecx, ecx
	jz	.shadow				; rsp is aligned already
	lea	rax, [rcx * SB_WORD + 15]
	and	rax, -16			; rsp % 16 == 0 at the call
	sub	rsp, rax
.copy:
	mov	rax, [rbx + SB_OFF_STACK + rcx * SB_WORD - SB_WORD]
	mov	[rsp + rcx * SB_WORD - SB_WORD], rax
	dec	ecx
	jnz	.copy
.shadow:
	sub	rsp, 32				; home area for the four register arguments

	movsd	xmm0, [rbx + SB_OFF_VEC + 0 * SB_WORD]
	movsd	xmm1, [rbx + SB_OFF_VEC + 1 * SB_WORD]
	movsd	xmm2, [rbx + SB_OFF_VEC + 2 * SB_WORD]
	movsd	xmm3, [rbx + SB_OFF_VEC + 3 * SB_WORD]
	mov	rcx, [rbx + SB_OFF_GPR + 0 * SB_WORD]
	mov	rdx, [rbx + SB_OFF_GPR + 1 * SB_WORD]
	mov	r8,  [rbx + SB_OFF_GPR + 2 * SB_WORD]
	mov	r9,  [rbx + SB_OFF_GPR + 3 * SB_WORD]
	call	[rbx + SB_OFF_FN]

	mov	[rbx + SB_OFF_RET_GPR + 0 * SB_WORD], rax
	mov	[rbx + SB_OFF_RET_GPR + 1 * SB_WORD], rdx
	movsd	[rbx + SB_OFF_RET_VEC + 0 * SB_WORD], xmm0
	movsd	[rbx + SB_OFF_RET_VEC + 1 * SB_WORD], xmm1
	lea	rsp, [rbp + 8]			; epilogue in the one form Win64 allows
.freed:
	pop	rbx
.popped_rbx:
	pop	rbp
.popped_rbp:
	ret
.end:

%ifidn __OUTPUT_FORMAT__, win64

; Windows unwind data, written by hand because nasm has no SEH directives.
; .pdata holds one RUNTIME_FUNCTION per routine: begin, end and UNWIND_INFO
; as image-relative addresses. The UNWIND_INFO in .xdata lists the
; prologue's operations in reverse, each at the offset just past its
; instruction. To unwind from the body, Windows applies them from the top:
; rsp = rbp (UWOP_SET_FPREG, which also undoes the stack words and shadow
; space, whatever their size), rsp += 8, pop rbx, pop rbp, then takes the
; return address: so a trace from inside the target goes on to the caller.
section .pdata rdata align=4
	dd	sb_call wrt ..imagebase		; BeginAddress
	dd	sb_call.end wrt ..imagebase	; EndAddress
	dd	xdata wrt ..imagebase		; UnwindInfoAddress

section .xdata rdata align=8
xdata:
	db	1				; version 1, no flags (no handler)
	db	sb_call.framed - sb_call	; size of the prologue
	db	4				; count of unwind code slots
	db	5 | 0 << 4			; frame register rbp (5), offset 0 * 16
	db	sb_call.framed - sb_call, 3 | 0 << 4	; UWOP_SET_FPREG: rbp = rsp + 0
	db	sb_call.allocated - sb_call, 2 | 0 << 4	; UWOP_ALLOC_SMALL: (0 + 1) * 8 bytes
	db	sb_call.pushed_rbx - sb_call, 0 | 3 << 4	; UWOP_PUSH_NONVOL: rbx (3)
	db	sb_call.pushed_rbp - sb_call, 0 | 5 << 4	; UWOP_PUSH_NONVOL: rbp (5)

%else

; The Linux test mode: an .eh_frame for the same prologue and epilogue,
; as in asm/sysv_x64.asm, so glibc's unwinder walks through sb_call too.
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
	db	0x40 + (sb_call.pushed_rbx - sb_call.pushed_rbp)
	db	0x0e, 24			; DW_CFA_def_cfa_offset: 24
	db	0x83, 3				; DW_CFA_offset: rbx at cfa - 24
	db	0x40 + (sb_call.allocated - sb_call.pushed_rbx)
	db	0x0e, 32			; DW_CFA_def_cfa_offset: 32
	db	0x40 + (sb_call.framed - sb_call.allocated)
	db	0x0c, 6, 32			; DW_CFA_def_cfa: rbp + 32
	db	0x02, sb_call.freed - sb_call.framed	; DW_CFA_advance_loc1
	db	0x0c, 7, 24			; DW_CFA_def_cfa: rsp + 24
	db	0x40 + (sb_call.popped_rbx - sb_call.freed)
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x40 + (sb_call.popped_rbp - sb_call.popped_rbx)
	db	0x0e, 8				; DW_CFA_def_cfa_offset: 8
	align	8, db 0
.end:

section .note.GNU-stack noalloc noexec nowrite progbits

%endif
