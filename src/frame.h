/* The call frame: the one memory layout that JavaScript, C and every
 * dispatcher share. Byte offsets from the frame's start.
 * Plain #define lines and one-line comments only: make turns this file
 * into build/frame.inc for nasm with sed, and the binding exports the
 * values to JavaScript, so no offset is written down twice. */
#ifndef SB_FRAME_H
#define SB_FRAME_H

#define SB_WORD 8
/* register counts: the largest of any ABI, so one layout serves all */
/* AAPCS64 x0-x7 plus x8, the indirect result register */
#define SB_GPR_COUNT 9
/* SysV xmm0-7, AAPCS64 v0-7; Win64 uses the first four */
#define SB_VEC_COUNT 8
/* SysV returns in rax:rdx and xmm0:xmm1 */
#define SB_RET_GPR_COUNT 2
/* AAPCS64 returns a homogeneous aggregate in d0-d3 */
#define SB_RET_VEC_COUNT 4
/* stack argument words the frame can hold */
#define SB_STACK_MAX 128

/* target function pointer */
#define SB_OFF_FN 0
/* 32-bit count of stack words to copy */
#define SB_OFF_NSTACK 8
/* 32-bit count of vector registers used: SysV wants it in al */
#define SB_OFF_NVEC 12
/* in a callback's frame: the caller's first stack argument */
#define SB_OFF_ARGP 16
#define SB_OFF_RET_GPR 24
#define SB_OFF_RET_VEC (SB_OFF_RET_GPR + SB_RET_GPR_COUNT * SB_WORD)
#define SB_OFF_GPR (SB_OFF_RET_VEC + SB_RET_VEC_COUNT * SB_WORD)
#define SB_OFF_VEC (SB_OFF_GPR + SB_GPR_COUNT * SB_WORD)
#define SB_OFF_STACK (SB_OFF_VEC + SB_VEC_COUNT * SB_WORD)
/* 32-bit errno, and Windows' 32-bit GetLastError(), of a call declared
 * { errno: true }: set from here before its target runs, stored back the
 * moment it returns (src/oserror.h) */
#define SB_OFF_ERRNO (SB_OFF_STACK + SB_STACK_MAX * SB_WORD)
#define SB_OFF_LAST_ERROR (SB_OFF_ERRNO + 4)
/* a multiple of 16 bytes: the scratch area after the frame, and the
 * save area after a Win64 trampoline's frame, stay 16-byte aligned */
#define SB_FRAME_SIZE (SB_OFF_ERRNO + 2 * SB_WORD)

/* after the frame, per-thread room where JavaScript encodes string arguments */
#define SB_SCRATCH_SIZE 16384

/* after the scratch area, this thread's batch queue (lib/batch.js): calls
 * recorded one after another, each a frame of its own as far as its plan
 * reads one (SB_OFF_STACK and its stack words, 16-byte aligned; up to
 * SB_OFF_VEC for the lean dispatcher; a whole frame for { errno: true }) */
#define SB_OFF_QUEUE (SB_FRAME_SIZE + SB_SCRATCH_SIZE)
#define SB_QUEUE_SIZE 65536
/* in a record, where a callback's frame keeps SB_OFF_ARGP: its length in
 * bytes, a multiple of 16, with its dispatcher in the low bits */
#define SB_OFF_RECORD SB_OFF_ARGP
#define SB_RECORD_FULL 0
#define SB_RECORD_GPR 1
#define SB_RECORD_ERRNO 2
#define SB_RECORD_KIND_MASK 15
/* in this thread's frame, never a callback's, the same word: the records
 * to run, as byte offsets from SB_OFF_QUEUE, from FROM up to TO; TO is
 * read again after each (a callback that threw sets it to 0: the rest do
 * not run); FROM says, once they have run, how many did */
#define SB_OFF_BATCH_FROM SB_OFF_ARGP
#define SB_OFF_BATCH_TO (SB_OFF_ARGP + 4)

/* callback trampolines: how many (set at build time), and the bytes of
 * each; trampoline i is at sb_trampolines + i * SB_TRAMPOLINE_SIZE */
#ifndef SB_TRAMPOLINE_COUNT
#define SB_TRAMPOLINE_COUNT 1024
#endif
#define SB_TRAMPOLINE_SIZE 16
/* slot <-> byte offset from sb_trampolines, checked by round trip */
#define SB_TRAMPOLINE_OFFSET(i) ((i) * SB_TRAMPOLINE_SIZE)
#define SB_TRAMPOLINE_INDEX(off) ((off) / SB_TRAMPOLINE_SIZE)

#endif
