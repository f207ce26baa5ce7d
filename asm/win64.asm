; Microsoft x64 dispatcher and callback trampolines ("x64 calling
; convention", Microsoft Learn).
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
%include "eh_frame.inc"

%ifidn __OUTPUT_FORMAT__, win64
%define FRAME rcx
%else
%define FRAME rdi
%endif

default rel
section .text

; rcx, rdx, r8, r9 from the frame at rbx, the target, then rax and rdx
; into the frame: what every dispatcher here does
%macro LOAD_GPRS_CALL_STORE 0
	mov	rcx, [rbx + SB_OFF_GPR + 0 * SB_WORD]
	mov	rdx, [rbx + SB_OFF_GPR + 1 * SB_WORD]
	mov	r8,  [rbx + SB_OFF_GPR + 2 * SB_WORD]
	mov	r9,  [rbx + SB_OFF_GPR + 3 * SB_WORD]
	call	[rbx + SB_OFF_FN]
	mov	[rbx + SB_OFF_RET_GPR + 0 * SB_WORD], rax
	mov	[rbx + SB_OFF_RET_GPR + 1 * SB_WORD], rdx
%endmacro

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
	LOAD_GPRS_CALL_STORE
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

; void sb_call_gpr(void *frame)
;   on entry and in the body: as sb_call
;
; The lean variant the plan picks (plan.dispatch) for a signature whose
; arguments all travel in rcx, rdx, r8, r9 and whose result, if any, in
; rax: no stack words, no vector register either way. Pushing rbx aligns
; rsp (8 mod 16 on entry), and the home area keeps it so; no frame
; register: rsp moves only in the prologue and the epilogue.
%ifidn __OUTPUT_FORMAT__, win64
global sb_call_gpr
%else
global sb_call_gpr:function hidden
%endif
sb_call_gpr:
	push	rbx
.pushed_rbx:
	sub	rsp, 32				; home area for the four register arguments
.allocated:
	mov	rbx, FRAME
	LOAD_GPRS_CALL_STORE
	add	rsp, 32
.freed:
	pop	rbx
.popped_rbx:
	ret
.end:

; void sb_tramp_common(void), reached only by a jmp from a slot of the pool
; below, so the stack is as the callback's caller left it:
;   on entry:  eax = slot index; rcx, rdx, r8, r9 and xmm0-3 = the
;              callback's arguments, by position ("Parameter passing");
;              [rsp] = return address, [rsp + 8 .. rsp + 39] the home area
;              the caller reserved, [rsp + 40] its fifth argument
;   in the body: rbp = rsp, the bottom of this layout (16-byte aligned):
;              rbp + 0 .. 31     home area for sb_callback_dispatch's arguments
;              rbp + CB_FRAME    the struct sb_frame (src/frame.h)
;              rbp + CB_SAVE     ELF test mode only: xmm6-15, rdi, rsi
;
; Spills every argument register into the frame whether the signature uses
; it or not (each position has a slot of both kinds, and the callback's plan
; reads the right one), stores argp = the fifth argument's address, calls
; sb_callback_dispatch(index, frame), and returns the frame's rax and xmm0
; ("Return values"): a float is the low half of its slot.
;
; The call is Win64 under -f win64 (ecx, rdx, home area below it), and
; System V under -f elf64 (edi, rsi): the Linux test mode compiles
; sb_callback_dispatch for the host. A System V callee may clobber rdi, rsi
; and xmm6-15, which the Win64 caller of a trampoline expects kept, so
; that mode saves them around the call. Otherwise rbp is the only
; callee-saved register written, and it is pushed.
%ifidn __OUTPUT_FORMAT__, win64
%define ARG0 ecx
%define ARG1 rdx
%assign CB_SAVE_SIZE 0
%else
%define ARG0 edi
%define ARG1 rsi
%assign CB_SAVE_SIZE 10 * 16 + 2 * SB_WORD	; xmm6-15, rdi, rsi
%endif
%assign CB_FRAME 32
%assign CB_SAVE CB_FRAME + SB_FRAME_SIZE
%assign CB_ALLOC (CB_SAVE + CB_SAVE_SIZE + 15) & ~15	; with the push: rsp % 16 == 0 at the call
%assign CB_CFA CB_ALLOC + 16			; entry rsp + 8, from rbp
%if CB_SAVE % 16
%error "the xmm save area must be 16-byte aligned"
%endif
%if CB_ALLOC >= 4096
%error "a page or more would need a stack probe (__chkstk) on Windows"
%endif

extern sb_callback_dispatch
; Prologue in the order the Win64 unwinder requires, as sb_call's.
	align	16, int3
sb_tramp_common:
	push	rbp
.pushed_rbp:
	sub	rsp, CB_ALLOC
.allocated:
	mov	rbp, rsp			; frame register, offset 0
.framed:
%ifnidn __OUTPUT_FORMAT__, win64
	mov	[rbp + CB_SAVE + 160], rdi
	mov	[rbp + CB_SAVE + 168], rsi
%assign r 6
%rep 10
	movaps	[rbp + CB_SAVE + (r - 6) * 16], xmm %+ r
%assign r r + 1
%endrep
.saved:
%endif
	mov	[rbp + CB_FRAME + SB_OFF_GPR + 0 * SB_WORD], rcx
	mov	[rbp + CB_FRAME + SB_OFF_GPR + 1 * SB_WORD], rdx
	mov	[rbp + CB_FRAME + SB_OFF_GPR + 2 * SB_WORD], r8
	mov	[rbp + CB_FRAME + SB_OFF_GPR + 3 * SB_WORD], r9
	movsd	[rbp + CB_FRAME + SB_OFF_VEC + 0 * SB_WORD], xmm0
	movsd	[rbp + CB_FRAME + SB_OFF_VEC + 1 * SB_WORD], xmm1
	movsd	[rbp + CB_FRAME + SB_OFF_VEC + 2 * SB_WORD], xmm2
	movsd	[rbp + CB_FRAME + SB_OFF_VEC + 3 * SB_WORD], xmm3
	lea	rcx, [rbp + CB_CFA + 32]	; argp: above the return address and the home area
	mov	[rbp + CB_FRAME + SB_OFF_ARGP], rcx
	mov	ARG0, eax			; index
	lea	ARG1, [rbp + CB_FRAME]		; frame
%ifidn __OUTPUT_FORMAT__, win64
	call	sb_callback_dispatch
%else
	call	sb_callback_dispatch wrt ..plt
%endif

	mov	rax, [rbp + CB_FRAME + SB_OFF_RET_GPR + 0 * SB_WORD]
	movsd	xmm0, [rbp + CB_FRAME + SB_OFF_RET_VEC + 0 * SB_WORD]
%ifnidn __OUTPUT_FORMAT__, win64
	mov	rdi, [rbp + CB_SAVE + 160]
	mov	rsi, [rbp + CB_SAVE + 168]
%assign r 6
%rep 10
	movaps	xmm %+ r, [rbp + CB_SAVE + (r - 6) * 16]
%assign r r + 1
%endrep
%endif
	lea	rsp, [rbp + CB_ALLOC]		; epilogue in the one form Win64 allows
.freed:
	pop	rbp
.popped_rbp:
	ret
.end:

; The callback trampolines (LuaJIT lj_ccallback.c's scheme), pre-assembled:
; SB_TRAMPOLINE_COUNT slots of SB_TRAMPOLINE_SIZE bytes, slot i at
; sb_trampolines + i * SB_TRAMPOLINE_SIZE. Each is a leaf that loads its
; index into eax (volatile, and no argument register) and jumps to
; sb_tramp_common, touching neither the stack nor an argument register.
;   slot i:  mov eax, i (5 bytes); jmp near sb_tramp_common (5 bytes); int3 pad
%ifidn __OUTPUT_FORMAT__, win64
global sb_trampolines
%else
global sb_trampolines:function hidden
%endif
	align	SB_TRAMPOLINE_SIZE, int3
sb_trampolines:
%assign i 0
%rep SB_TRAMPOLINE_COUNT
	mov	eax, i
	jmp	near sb_tramp_common
	times	SB_TRAMPOLINE_SIZE - ($ - sb_trampolines - i * SB_TRAMPOLINE_SIZE) int3
%assign i i + 1
%endrep
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
	dd	sb_call_gpr wrt ..imagebase
	dd	sb_call_gpr.end wrt ..imagebase
	dd	xdata_gpr wrt ..imagebase
	dd	sb_tramp_common wrt ..imagebase
	dd	sb_tramp_common.end wrt ..imagebase
	dd	xdata_common wrt ..imagebase
	dd	sb_trampolines wrt ..imagebase
	dd	sb_trampolines.end wrt ..imagebase
	dd	xdata_pool wrt ..imagebase

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

; sb_tramp_common: rsp = rbp, rsp += CB_ALLOC, pop rbp, return address.
; UWOP_ALLOC_LARGE with operation info 0 takes a second slot holding the
; size / 8 (up to 512 KiB - 8).
	align	4, db 0
xdata_gpr:
	db	1				; version 1, no flags
	db	sb_call_gpr.allocated - sb_call_gpr	; size of the prologue
	db	2				; count of unwind code slots
	db	0				; no frame register
	db	sb_call_gpr.allocated - sb_call_gpr, 2 | 3 << 4	; UWOP_ALLOC_SMALL: (3 + 1) * 8 bytes
	db	sb_call_gpr.pushed_rbx - sb_call_gpr, 0 | 3 << 4	; UWOP_PUSH_NONVOL: rbx (3)

	align	4, db 0
xdata_common:
	db	1				; version 1, no flags
	db	sb_tramp_common.framed - sb_tramp_common	; size of the prologue
	db	4				; count of unwind code slots
	db	5 | 0 << 4			; frame register rbp (5), offset 0 * 16
	db	sb_tramp_common.framed - sb_tramp_common, 3 | 0 << 4	; UWOP_SET_FPREG: rbp = rsp + 0
	db	sb_tramp_common.allocated - sb_tramp_common, 1 | 0 << 4	; UWOP_ALLOC_LARGE
	dw	CB_ALLOC / 8			; ... of this many 8-byte words
	db	sb_tramp_common.pushed_rbp - sb_tramp_common, 0 | 5 << 4	; UWOP_PUSH_NONVOL: rbp (5)

; The pool: leaves without a prologue, so no codes; the return address is
; at [rsp] throughout, which is all the unwinder needs.
	align	4, db 0
xdata_pool:
	db	1				; version 1, no flags
	db	0				; no prologue
	db	0				; no unwind codes
	db	0				; no frame register

%else

; The Linux test mode: an .eh_frame for the same prologue and epilogue,
; as in asm/sysv_x64.asm, so glibc's unwinder walks through sb_call too.
section .eh_frame progbits alloc noexec nowrite align=8
	EH_CIE

	EH_FDE sb_call
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
	EH_FDE_END

	EH_FDE sb_call_gpr
	db	0x40 + (sb_call_gpr.pushed_rbx - sb_call_gpr)	; DW_CFA_advance_loc
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x83, 2				; DW_CFA_offset: rbx at cfa - 16
	db	0x40 + (sb_call_gpr.allocated - sb_call_gpr.pushed_rbx)
	db	0x0e, 48			; DW_CFA_def_cfa_offset: 48
	db	0x40 + (sb_call_gpr.freed - sb_call_gpr.allocated)
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x40 + (sb_call_gpr.popped_rbx - sb_call_gpr.freed)
	db	0x0e, 8				; DW_CFA_def_cfa_offset: 8
	EH_FDE_END

; uleb128 of a preprocessor constant below 2^14
%macro uleb 1
%if (%1) < 0x80
	db	%1
%elif (%1) < 0x4000
	db	((%1) & 0x7f) | 0x80, (%1) >> 7
%else
%error "uleb128 too large"
%endif
%endmacro

; sb_tramp_common: CFA = rbp + CB_CFA once framed. rdi, rsi and xmm6-15
; (DWARF 5, 4 and 23-32) are recorded where they are saved: callee-saved
; for the Win64 callers of the trampolines, though not for System V.
	EH_FDE sb_tramp_common
	db	0x40 + (sb_tramp_common.pushed_rbp - sb_tramp_common)
	db	0x0e, 16			; DW_CFA_def_cfa_offset: 16
	db	0x86, 2				; DW_CFA_offset: rbp at cfa - 16
	db	0x40 + (sb_tramp_common.allocated - sb_tramp_common.pushed_rbp)
	db	0x0e				; DW_CFA_def_cfa_offset: CB_CFA
	uleb	CB_CFA
	db	0x40 + (sb_tramp_common.framed - sb_tramp_common.allocated)
	db	0x0d, 6				; DW_CFA_def_cfa_register: rbp
	db	0x02, sb_tramp_common.saved - sb_tramp_common.framed	; DW_CFA_advance_loc1
	db	0x80 | 5			; DW_CFA_offset: rdi
	uleb	(CB_CFA - CB_SAVE - 160) / 8
	db	0x80 | 4			; DW_CFA_offset: rsi
	uleb	(CB_CFA - CB_SAVE - 168) / 8
%assign r 6
%rep 10
	db	0x80 | (17 + r)			; DW_CFA_offset: xmm<r>
	uleb	(CB_CFA - CB_SAVE - (r - 6) * 16) / 8
%assign r r + 1
%endrep
	db	0x03				; DW_CFA_advance_loc2
	dw	sb_tramp_common.freed - sb_tramp_common.saved
	db	0x0c, 7, 16			; DW_CFA_def_cfa: rsp + 16
	db	0x40 + (sb_tramp_common.popped_rbp - sb_tramp_common.freed)
	db	0x0e, 8				; DW_CFA_def_cfa_offset: 8
	EH_FDE_END

; the pool: each slot only moves an immediate and jumps, so the CIE's
; entry state (CFA = rsp + 8, rip at cfa - 8) holds throughout
	EH_FDE sb_trampolines
	EH_FDE_END

section .note.GNU-stack noalloc noexec nowrite progbits

%endif
