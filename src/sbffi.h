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
	SB_K_AGG,	/* a struct or union by value: see its parts */
	SB_KIND_COUNT
};

enum sb_where { SB_IN_NONE, SB_IN_GPR, SB_IN_VEC, SB_IN_STACK };

/* How a value travels. */
enum sb_pass {
	SB_PASS_SCALAR,	/* one scalar at the place */
	SB_PASS_PARTS,	/* an aggregate in pieces, parts[]: registers or slots */
	SB_PASS_STACK,	/* an aggregate whole, its C layout at the stack place */
	SB_PASS_REF,	/* a pointer to a caller-made copy at the place; a
			 * result: its address at the plan's ret_ptr */
	SB_PASS_EMPTY,	/* an aggregate of size 0: nothing travels */
};

/* Why a part went where it did, for explain(). */
enum sb_class {
	SB_CLS_NONE,
	SB_CLS_INTEGER,	/* System V INTEGER eightbyte; Win64 "as an integer" */
	SB_CLS_SSE,	/* System V SSE eightbyte */
	SB_CLS_HFA,	/* AAPCS64 member of a homogeneous aggregate */
	SB_CLS_GPR,	/* AAPCS64 double-word of a composite in x registers */
};

#define SB_MAX_ARGS 64
#define SB_MAX_PARTS 4

/* One piece of an aggregate: `size` bytes from byte `from` of its C
 * layout go to the frame at `offset` (a register slot, or a stack slot). */
struct sb_part {
	uint32_t from;
	uint16_t offset;
	uint8_t size;
	uint8_t cls;
	uint8_t where;
	uint16_t index;		/* a stack part's byte index reaches past 255 */
};

/* Where one value goes: a byte offset into the frame (src/frame.h), plus
 * the register number or stack byte offset, for explain(). For an
 * aggregate by value the parts say where each piece goes (PARTS), or the
 * place is where its whole copy (STACK) or a pointer to it (REF) goes. */
struct sb_place {
	uint16_t offset;
	/* a second frame offset that gets the same value (Win64: an anonymous
	 * float in its integer register too); 0, the function pointer's
	 * offset, never an argument's: none */
	uint16_t also;
	uint8_t kind;
	uint8_t where;
	uint16_t index;
	uint8_t pass;
	uint8_t nparts;
	uint32_t size;		/* an aggregate's size in bytes */
	struct sb_part part[SB_MAX_PARTS];
};

/* A classified signature: everything the JS caller and the dispatcher need. */
struct sb_plan {
	const struct sb_abi *abi;
	int ret_type;
	int nargs;
	int nfixed;		/* arguments before a `...`; nargs: not variadic */
	int arg_type[SB_MAX_ARGS];
	uint32_t nstack;	/* stack words the dispatcher copies */
	uint32_t nvec;		/* vector registers that carry arguments */
	uint8_t dispatch;	/* enum sb_dispatch: the dispatcher its shape allows */
	int ret_ptr;		/* frame offset of the hidden result pointer; -1: none */
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
/* the register of a hidden result pointer: "rdi", "rcx", "x8" */
const char *sb_abi_ret_ptr_name(const struct sb_abi *abi);

enum sb_kind sb_kind_of(const struct sb_abi *abi, enum sb_type t);
size_t sb_kind_size(enum sb_kind k);
size_t sb_type_size(const struct sb_abi *abi, enum sb_type t);

/* Aggregates (structs, unions), defined in a registry: a type id from
 * SB_TYPE_COUNT on names one. Members are type ids defined before it
 * (so there are no cycles), each with an element count (a fixed array,
 * multi-dimensional ones flattened; 1 for a plain member). The
 * description holds for every ABI; the layout is computed per ABI. */
struct sb_member {
	int type;
	uint32_t count;
};

#define SB_MAX_MEMBERS 4096
#define SB_MAX_DEPTH 32
#define SB_MAX_SIZE (1u << 30)	/* bytes of one aggregate */

struct sb_agg {
	uint8_t is_union;
	uint8_t pack;		/* 0: natural; 1, 2, 4, 8, 16: #pragma pack(n) */
	uint16_t align;		/* 0: natural; else at least (aligned(n)) */
	uint16_t depth;		/* 1: only scalar members */
	uint32_t nmembers;
	struct sb_member *members;
};

struct sb_layout {
	uint32_t size;
	uint32_t align;
	/* an aggregate's largest member alignment, before aligned(n) raised
	 * it: what AAPCS64 §5.7 calls the natural alignment of a composite */
	uint32_t member_align;
};

struct sb_registry;

/* A new aggregate type id, or -1 with *err set (bad member, pack, align,
 * count, size, nesting). */
int sb_define_aggregate(struct sb_registry *reg, int is_union, unsigned pack,
			unsigned align, const struct sb_member *m, uint32_t n,
			const char **err);
/* Size and alignment of any type under an ABI, as its C compiler lays it
 * out; an aggregate's member offsets into offsets[] (its nmembers) when
 * not NULL. -1 with *err set for an unknown type or void. reg may be NULL
 * for scalars. */
int sb_type_layout(const struct sb_registry *reg, const struct sb_abi *abi,
		   int type, struct sb_layout *out, uint32_t *offsets,
		   const char **err);
const struct sb_agg *sb_aggregate(const struct sb_registry *reg, int type);

/* Classify a signature. Type ids and counts are checked: on bad input
 * returns -1 and sets *err to a message, and writes nothing out of bounds.
 * Without a registry only scalar types are known. */
int sb_classify_in(const struct sb_registry *reg, const struct sb_abi *abi,
		   int ret, const int *args, int nargs, int nfixed,
		   struct sb_plan *out, const char **err);
int sb_classify(const struct sb_abi *abi, int ret, const int *args, int nargs,
		struct sb_plan *out, const char **err);
/* The same for a variadic call: args[nfixed..nargs-1] are the anonymous
 * arguments after the `...` (0 <= nfixed <= nargs; nfixed == nargs is
 * sb_classify), their types already promoted as C's default argument
 * promotions say (the caller's job: the ABIs only see the result). */
int sb_classify_variadic(const struct sb_abi *abi, int ret, const int *args,
			 int nargs, int nfixed, struct sb_plan *out,
			 const char **err);

/* The registry stores each distinct (ABI, signature, nfixed) once, and
 * the aggregates its signatures use. nfixed as for sb_classify_variadic. */
struct sb_registry {
	struct sb_plan **plans;
	size_t len, cap;
	struct sb_agg_store *aggs;	/* private to registry.c */
	size_t naggs, aggcap;
};
const struct sb_plan *sb_registry_define(struct sb_registry *reg,
		const struct sb_abi *abi, int ret, const int *args, int nargs,
		int nfixed, const char **err);
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
	int32_t err;
	uint32_t last_error;
	uint64_t pad;		/* to SB_FRAME_SIZE, a multiple of 16 */
};

/* The host dispatcher (asm/<abi>): loads the argument registers and stack
 * words from the frame, calls frame[SB_OFF_FN], stores the return registers. */
void sb_call(void *frame);
/* The same for a plan whose arguments and result all travel in general
 * registers (no stack word, no vector register): loads and stores only
 * those. */
void sb_call_gpr(void *frame);
/* The batch in the queue after this thread's frame (src/frame.h,
 * SB_OFF_BATCH_FROM), its records each given to its dispatcher, in order;
 * stops at a record that is not whole. */
void sb_run_batch(void *frame);

/* Which of them a plan can use, the leanest its shape allows; chosen when
 * it is classified. */
enum sb_dispatch { SB_DISPATCH_ALL, SB_DISPATCH_GPR };
typedef void (*sb_dispatcher)(void *frame);
sb_dispatcher sb_dispatcher_of(const struct sb_plan *plan);

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
