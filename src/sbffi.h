/* libsbffi_core: the registry (types, signatures, classification per ABI)
 * and the host's dispatcher. Plain C, nothing of Node. */
#ifndef SBFFI_H
#define SBFFI_H

#include <stddef.h>
#include <stdint.h>

/* C types as the user names them; what each one is depends on the ABI's
 * data model (long, char), so the registry maps it to a kind per ABI. */
enum sb_type {
	SB_VOID, SB_BOOL, SB_CHAR, SB_SCHAR, SB_UCHAR, SB_SHORT, SB_USHORT,
	SB_INT, SB_UINT, SB_LONG, SB_ULONG, SB_LLONG, SB_ULLONG,
	SB_INT8, SB_UINT8, SB_INT16, SB_UINT16, SB_INT32, SB_UINT32,
	SB_INT64, SB_UINT64, SB_SIZE, SB_SSIZE, SB_INTPTR, SB_UINTPTR,
	SB_FLOAT, SB_DOUBLE, SB_POINTER,
	SB_WCHAR,
	SB_TYPE_COUNT
};

/* What a value is in the frame: its width, signedness or float-ness. */
enum sb_kind {
	SB_K_VOID, SB_K_BOOL, SB_K_I8, SB_K_U8, SB_K_I16, SB_K_U16,
	SB_K_I32, SB_K_U32, SB_K_I64, SB_K_U64, SB_K_F32, SB_K_F64, SB_K_PTR,
	SB_KIND_COUNT
};

enum sb_where { SB_IN_NONE, SB_IN_GPR, SB_IN_VEC, SB_IN_STACK };

#define SB_MAX_ARGS 64

/* Where one value goes: a byte offset into the frame (src/frame.h), plus
 * the register number or stack byte offset, for explain(). */
struct sb_place {
	uint16_t offset;
	uint8_t kind;
	uint8_t where;
	uint16_t index;
};

/* A classified signature: everything the JS caller and the dispatcher need. */
struct sb_plan {
	const struct sb_abi *abi;
	uint8_t ret_type;
	uint8_t nargs;
	uint8_t arg_type[SB_MAX_ARGS];
	uint32_t nstack;	/* stack words the dispatcher copies */
	uint32_t nvec;		/* vector registers that carry arguments */
	struct sb_place ret;
	struct sb_place args[SB_MAX_ARGS];
};

struct sb_abi;

const struct sb_abi *sb_abi_find(const char *name);	/* NULL if unknown */
const struct sb_abi *sb_abi_at(size_t i);	/* every classifier; NULL past the end */
const struct sb_abi *sb_abi_host(void);
const char *sb_abi_name(const struct sb_abi *abi);
/* register name of an argument's or the return value's placement under an
 * ABI, e.g. "rdi" or "rax"; NULL for the stack */
const char *sb_abi_reg_name(const struct sb_abi *abi, const struct sb_place *p,
			    int is_ret);

enum sb_kind sb_kind_of(const struct sb_abi *abi, enum sb_type t);
size_t sb_kind_size(enum sb_kind k);
size_t sb_type_size(const struct sb_abi *abi, enum sb_type t);

/* Classify a signature. Type ids and counts are checked: on bad input
 * returns -1 and sets *err to a message, and writes nothing out of bounds. */
int sb_classify(const struct sb_abi *abi, int ret, const int *args, int nargs,
		struct sb_plan *out, const char **err);
/* The same for a variadic call: args[nfixed..nargs-1] are the anonymous
 * arguments after the `...` (0 <= nfixed <= nargs; nfixed == nargs is
 * sb_classify). The registry does not store these yet. */
int sb_classify_variadic(const struct sb_abi *abi, int ret, const int *args,
			 int nargs, int nfixed, struct sb_plan *out,
			 const char **err);

/* The registry stores each distinct (ABI, signature) once. */
struct sb_registry {
	struct sb_plan **plans;
	size_t len, cap;
};
const struct sb_plan *sb_registry_define(struct sb_registry *reg,
		const struct sb_abi *abi, int ret, const int *args, int nargs,
		const char **err);
void sb_registry_free(struct sb_registry *reg);

/* The frame of src/frame.h as a C struct, for C callers and tests;
 * registry.c asserts that each field sits at its SB_OFF_ offset. */
struct sb_frame {
	void *fn;
	uint32_t nstack;
	uint32_t nvec;
	void *argp;
	uint64_t ret_gpr[2];
	double ret_vec[4];
	uint64_t gpr[9];
	double vec[8];
	uint64_t stack[128];
};

/* The host dispatcher (asm/<abi>): loads the argument registers and stack
 * words from the frame, calls frame[SB_OFF_FN], stores the return registers. */
void sb_call(void *frame);

/* Callbacks (src/callback.c). Trampoline i (0 <= i < SB_TRAMPOLINE_COUNT,
 * src/frame.h) is a C function pointer for any signature: its asm spills
 * the argument registers into a struct sb_frame on the stack (argp: the
 * caller's first stack argument), calls sb_callback_dispatch(i, frame),
 * and returns the frame's return registers. The handler reads the
 * arguments with the callback signature's plan and writes the return
 * slots; without a handler the return slots are zeroed. */
typedef void (*sb_callback_handler)(uint32_t index, struct sb_frame *frame);
void sb_callback_set_handler(sb_callback_handler h);
void *sb_trampoline_address(uint32_t index);	/* NULL when out of range */
long sb_trampoline_index(const void *p);	/* -1: not a trampoline start */
/* called by the trampolines' common routine, with the host C convention */
void sb_callback_dispatch(uint32_t index, struct sb_frame *frame);

#endif
