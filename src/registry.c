/* The registry: C types per data model, the one classification walker
 * that drives each ABI's hooks, and the store of classified signatures. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "frame.h"

#define SB_AT(field, off) _Static_assert(offsetof(struct sb_frame, field) == (off), #field)
SB_AT(fn, SB_OFF_FN);
SB_AT(nstack, SB_OFF_NSTACK);
SB_AT(nvec, SB_OFF_NVEC);
SB_AT(argp, SB_OFF_ARGP);
SB_AT(ret_gpr, SB_OFF_RET_GPR);
SB_AT(ret_vec, SB_OFF_RET_VEC);
SB_AT(gpr, SB_OFF_GPR);
SB_AT(vec, SB_OFF_VEC);
SB_AT(stack, SB_OFF_STACK);
_Static_assert(sizeof(struct sb_frame) == SB_FRAME_SIZE, "frame size");
_Static_assert(sizeof(((struct sb_frame *)0)->gpr) == SB_GPR_COUNT * SB_WORD, "gpr count");
_Static_assert(sizeof(((struct sb_frame *)0)->vec) == SB_VEC_COUNT * SB_WORD, "vec count");
_Static_assert(sizeof(((struct sb_frame *)0)->stack) == SB_STACK_MAX * SB_WORD, "stack size");

static const struct sb_abi *const abis[] = { &sb_abi_sysv_x64, &sb_abi_win64,
	&sb_abi_aapcs64, &sb_abi_apple_arm64 };

const struct sb_abi *sb_abi_at(size_t i)
{
	return i < sizeof abis / sizeof abis[0] ? abis[i] : NULL;
}

const struct sb_abi *sb_abi_find(const char *name)
{
	const struct sb_abi *abi;

	for (size_t i = 0; (abi = sb_abi_at(i)); i++)
		if (strcmp(abi->name, name) == 0)
			return abi;
	return NULL;
}

/* The Makefile names the host's classifier, the one its dispatcher obeys. */
const struct sb_abi *sb_abi_host(void)
{
	return &SB_HOST_ABI;
}

const char *sb_abi_name(const struct sb_abi *abi)
{
	return abi->name;
}

const char *sb_abi_reg_name(const struct sb_abi *abi, const struct sb_place *p,
			    int is_ret)
{
	if (is_ret) {
		if (p->index >= 2)
			return NULL;
		return p->where == SB_IN_GPR ? abi->ret_gpr_name[p->index]
		     : p->where == SB_IN_VEC ? abi->ret_vec_name[p->index] : NULL;
	}
	if (p->where == SB_IN_GPR && p->index < abi->gpr_count)
		return abi->gpr_name[p->index];
	if (p->where == SB_IN_VEC && p->index < abi->vec_count)
		return abi->vec_name[p->index];
	return NULL;
}

enum sb_kind sb_kind_of(const struct sb_abi *abi, enum sb_type t)
{
	static const uint8_t fixed[SB_TYPE_COUNT] = {
		[SB_VOID] = SB_K_VOID, [SB_BOOL] = SB_K_BOOL,
		[SB_SCHAR] = SB_K_I8, [SB_UCHAR] = SB_K_U8,
		[SB_SHORT] = SB_K_I16, [SB_USHORT] = SB_K_U16,
		[SB_INT] = SB_K_I32, [SB_UINT] = SB_K_U32,
		[SB_LLONG] = SB_K_I64, [SB_ULLONG] = SB_K_U64,
		[SB_INT8] = SB_K_I8, [SB_UINT8] = SB_K_U8,
		[SB_INT16] = SB_K_I16, [SB_UINT16] = SB_K_U16,
		[SB_INT32] = SB_K_I32, [SB_UINT32] = SB_K_U32,
		[SB_INT64] = SB_K_I64, [SB_UINT64] = SB_K_U64,
		/* every ABI here is 64-bit: size_t and pointers are 8 bytes */
		[SB_SIZE] = SB_K_U64, [SB_SSIZE] = SB_K_I64,
		[SB_INTPTR] = SB_K_I64, [SB_UINTPTR] = SB_K_U64,
		[SB_FLOAT] = SB_K_F32, [SB_DOUBLE] = SB_K_F64,
		[SB_POINTER] = SB_K_PTR,
	};

	switch (t) {
	case SB_CHAR:
		return abi->char_signed ? SB_K_I8 : SB_K_U8;
	case SB_LONG:
		return abi->long_size == 8 ? SB_K_I64 : SB_K_I32;
	case SB_ULONG:
		return abi->long_size == 8 ? SB_K_U64 : SB_K_U32;
	case SB_WCHAR:
		return abi->wchar_kind ? (enum sb_kind)abi->wchar_kind : SB_K_I32;
	default:
		return (enum sb_kind)fixed[t];
	}
}

size_t sb_kind_size(enum sb_kind k)
{
	static const uint8_t size[SB_KIND_COUNT] = {
		[SB_K_VOID] = 0, [SB_K_BOOL] = 1, [SB_K_I8] = 1, [SB_K_U8] = 1,
		[SB_K_I16] = 2, [SB_K_U16] = 2, [SB_K_I32] = 4, [SB_K_U32] = 4,
		[SB_K_I64] = 8, [SB_K_U64] = 8, [SB_K_F32] = 4, [SB_K_F64] = 8,
		[SB_K_PTR] = 8,
	};
	return size[k];
}

size_t sb_type_size(const struct sb_abi *abi, enum sb_type t)
{
	return sb_kind_size(sb_kind_of(abi, t));
}

int sb_kind_is_float(enum sb_kind k)
{
	return k == SB_K_F32 || k == SB_K_F64;
}

void sb_put_gpr(struct sb_cstate *st, struct sb_place *p)
{
	p->where = SB_IN_GPR;
	p->index = (uint16_t)st->ngpr;
	p->offset = (uint16_t)(SB_OFF_GPR + st->ngpr++ * SB_WORD);
}

void sb_put_vec(struct sb_cstate *st, struct sb_place *p)
{
	p->where = SB_IN_VEC;
	p->index = (uint16_t)st->nvec;
	p->offset = (uint16_t)(SB_OFF_VEC + st->nvec++ * SB_WORD);
}

/* A stack argument of `size` bytes at the next multiple of `align`. */
void sb_put_stack(struct sb_cstate *st, struct sb_place *p, unsigned size,
		  unsigned align)
{
	unsigned at = (st->nstack + align - 1) & ~(align - 1);

	p->where = SB_IN_STACK;
	p->index = (uint16_t)at;
	/* saturate: the walker rejects a plan whose stack overflows the frame */
	p->offset = at < SB_STACK_MAX * SB_WORD ? (uint16_t)(SB_OFF_STACK + at) : 0;
	st->nstack = at + size;
}

static int valid_type(int t)
{
	return t >= 0 && t < SB_TYPE_COUNT;
}

int sb_classify(const struct sb_abi *abi, int ret, const int *args, int nargs,
		struct sb_plan *out, const char **err)
{
	return sb_classify_variadic(abi, ret, args, nargs, nargs, out, err);
}

int sb_classify_variadic(const struct sb_abi *abi, int ret, const int *args,
			 int nargs, int nfixed, struct sb_plan *out,
			 const char **err)
{
	struct sb_cstate st = { 0 };

	if (nargs < 0 || nargs > SB_MAX_ARGS) {
		*err = nargs < 0 ? "negative argument count"
				 : "too many arguments (at most 64)";
		return -1;
	}
	if (nfixed < 0 || nfixed > nargs) {
		*err = "fixed argument count out of range";
		return -1;
	}
	if (!valid_type(ret)) {
		*err = "unknown return type";
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->abi = abi;
	out->ret_type = (uint8_t)ret;
	out->nargs = (uint8_t)nargs;
	out->ret.kind = (uint8_t)sb_kind_of(abi, ret);
	if (out->ret.kind != SB_K_VOID) {
		abi->ret(&out->ret);
		out->ret.offset = out->ret.where == SB_IN_VEC ? SB_OFF_RET_VEC
							       : SB_OFF_RET_GPR;
	}
	for (int i = 0; i < nargs; i++) {
		struct sb_place *p = &out->args[i];

		if (!valid_type(args[i]) || args[i] == SB_VOID) {
			*err = args[i] == SB_VOID ? "void is not an argument type"
						  : "unknown argument type";
			return -1;
		}
		out->arg_type[i] = (uint8_t)args[i];
		p->kind = (uint8_t)sb_kind_of(abi, args[i]);
		st.argno = (unsigned)i;
		st.variadic = i >= nfixed;
		abi->arg(&st, p);
	}
	out->nstack = (st.nstack + SB_WORD - 1) / SB_WORD;
	out->nvec = st.nvec;
	if (out->nstack > SB_STACK_MAX) {
		*err = "arguments need more stack than the frame holds";
		return -1;
	}
	return 0;
}

static int same_signature(const struct sb_plan *p, const struct sb_abi *abi,
			  int ret, const int *args, int nargs)
{
	if (p->abi != abi || p->ret_type != ret || p->nargs != nargs)
		return 0;
	for (int i = 0; i < nargs; i++)
		if (p->arg_type[i] != args[i])
			return 0;
	return 1;
}

const struct sb_plan *sb_registry_define(struct sb_registry *reg,
		const struct sb_abi *abi, int ret, const int *args, int nargs,
		const char **err)
{
	struct sb_plan plan, *stored;

	for (size_t i = 0; nargs >= 0 && nargs <= SB_MAX_ARGS && i < reg->len; i++)
		if (same_signature(reg->plans[i], abi, ret, args, nargs))
			return reg->plans[i];
	if (sb_classify(abi, ret, args, nargs, &plan, err) != 0)
		return NULL;
	if (reg->len == reg->cap) {
		size_t cap = reg->cap ? reg->cap * 2 : 16;
		struct sb_plan **grown = realloc(reg->plans, cap * sizeof *grown);

		if (!grown)
			goto oom;
		reg->plans = grown;
		reg->cap = cap;
	}
	stored = malloc(sizeof *stored);
	if (!stored)
		goto oom;
	*stored = plan;
	reg->plans[reg->len++] = stored;
	return stored;
oom:
	*err = "out of memory";
	return NULL;
}

void sb_registry_free(struct sb_registry *reg)
{
	for (size_t i = 0; i < reg->len; i++)
		free(reg->plans[i]);
	free(reg->plans);
	memset(reg, 0, sizeof *reg);
}
