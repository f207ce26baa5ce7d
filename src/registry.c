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
SB_AT(err, SB_OFF_ERRNO);
SB_AT(last_error, SB_OFF_LAST_ERROR);
_Static_assert(sizeof(struct sb_frame) == SB_FRAME_SIZE, "frame size");
_Static_assert(SB_FRAME_SIZE % 16 == 0, "frame size a multiple of 16");
_Static_assert(sizeof(((struct sb_frame *)0)->gpr) == SB_GPR_COUNT * SB_WORD, "gpr count");
_Static_assert(sizeof(((struct sb_frame *)0)->vec) == SB_VEC_COUNT * SB_WORD, "vec count");
_Static_assert(sizeof(((struct sb_frame *)0)->stack) == SB_STACK_MAX * SB_WORD, "stack size");

static const struct sb_abi *const abis[] = { &sb_abi_sysv_x64, &sb_abi_win64,
	&sb_abi_aapcs64, &sb_abi_apple_arm64 };

#define ABI_COUNT (sizeof abis / sizeof abis[0])

const struct sb_abi *sb_abi_at(size_t i)
{
	return i < ABI_COUNT ? abis[i] : NULL;
}

static size_t abi_index(const struct sb_abi *abi)
{
	size_t i = 0;

	while (i < ABI_COUNT - 1 && abis[i] != abi)
		i++;
	return i;
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

const char *sb_abi_ret_ptr_name(const struct sb_abi *abi)
{
	return abi->ret_ptr_name;
}

const char *sb_abi_reg_name(const struct sb_abi *abi, const struct sb_place *p,
			    int is_ret)
{
	if (is_ret) {
		if (p->where == SB_IN_GPR && p->index < SB_RET_GPR_COUNT)
			return abi->ret_gpr_name[p->index];
		if (p->where == SB_IN_VEC && p->index < SB_RET_VEC_COUNT)
			return abi->ret_vec_name[p->index];
		return NULL;
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
		[SB_K_PTR] = 8, [SB_K_AGG] = 0,
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
	/* and saturate the count, which a few large aggregates could wrap */
	st->nstack = at + (uint64_t)size < SB_MAX_SIZE ? at + size : SB_MAX_SIZE;
}

static void put_part(struct sb_place *p, enum sb_where where, unsigned index,
		     unsigned offset, uint32_t from, unsigned size, enum sb_class cls)
{
	struct sb_part *q = &p->part[p->nparts++];

	if (p->nparts == 1) {	/* the place names the first part */
		p->where = (uint8_t)where;
		p->index = (uint16_t)index;
		p->offset = (uint16_t)offset;
	}
	q->from = from;
	q->size = (uint8_t)size;
	q->cls = (uint8_t)cls;
	q->where = (uint8_t)where;
	q->index = (uint16_t)index;
	q->offset = (uint16_t)offset;
	p->pass = SB_PASS_PARTS;
}

void sb_part_gpr(struct sb_cstate *st, struct sb_place *p, uint32_t from,
		 unsigned size, enum sb_class cls)
{
	put_part(p, SB_IN_GPR, st->ngpr, SB_OFF_GPR + st->ngpr * SB_WORD, from, size, cls);
	st->ngpr++;
}

void sb_part_vec(struct sb_cstate *st, struct sb_place *p, uint32_t from,
		 unsigned size, enum sb_class cls)
{
	put_part(p, SB_IN_VEC, st->nvec, SB_OFF_VEC + st->nvec * SB_WORD, from, size, cls);
	st->nvec++;
}

void sb_part_ret(struct sb_place *p, enum sb_where where, unsigned n,
		 uint32_t from, unsigned size, enum sb_class cls)
{
	put_part(p, where, n, (where == SB_IN_VEC ? SB_OFF_RET_VEC : SB_OFF_RET_GPR) + n * SB_WORD,
		 from, size, cls);
}

/* --- aggregates: descriptions, layouts per ABI, leaves --- */

/* Each aggregate keeps its layout under every ABI, computed when it is
 * defined from its members' (defined before it), so nothing is ever
 * computed twice and nesting costs no recursion. */
struct sb_agg_store {
	struct sb_agg agg;
	struct sb_layout layout[ABI_COUNT];
};

static struct sb_agg_store *store_of(const struct sb_registry *reg, int type)
{
	size_t i = (size_t)type - SB_TYPE_COUNT;

	if (!reg || type < SB_TYPE_COUNT || i >= reg->naggs)
		return NULL;
	return &reg->aggs[i];
}

const struct sb_agg *sb_aggregate(const struct sb_registry *reg, int type)
{
	struct sb_agg_store *a = store_of(reg, type);

	return a ? &a->agg : NULL;
}

static int scalar_layout(const struct sb_abi *abi, int type, struct sb_layout *out)
{
	enum sb_kind k;

	if (type < 0 || type >= SB_TYPE_COUNT || (k = sb_kind_of(abi, type)) == SB_K_VOID)
		return -1;
	/* every scalar here is aligned to its size, on all three ABIs
	 * (psABI figure 3.1, Microsoft "Types and storage", AAPCS64 §5.1) */
	out->size = out->align = out->member_align = (uint32_t)sb_kind_size(k);
	return 0;
}

static int any_layout(const struct sb_registry *reg, size_t abi_i, int type,
		      struct sb_layout *out)
{
	struct sb_agg_store *a = store_of(reg, type);

	if (a) {
		*out = a->layout[abi_i];
		return 0;
	}
	return scalar_layout(abis[abi_i], type, out);
}

/* Member offsets, as C compilers lay out a struct (psABI 3.1.2
 * "Aggregates and Unions", Microsoft "Structure alignment", AAPCS64 §5.7):
 * each member at the next multiple of its alignment, capped by
 * #pragma pack(n); the aggregate aligned to its most aligned member (or
 * more, aligned(n)) and its size rounded up to that; a union's members all
 * at 0. GCC's C size 0 for an empty struct. Returns -1 past SB_MAX_SIZE. */
/* The offset of the next member of g, whose own layout is *m (its
 * alignment capped by the pack here); *end moves past its elements. */
static uint64_t next_member(const struct sb_agg *g, struct sb_layout *m, uint32_t count,
			    uint64_t *end)
{
	uint64_t at = 0;

	if (g->pack && m->align > g->pack)
		m->align = g->pack;
	if (!g->is_union)
		at = (*end + m->align - 1) & ~(uint64_t)(m->align - 1);
	*end = at + (uint64_t)m->size * count;
	return at;
}

static int lay_out(const struct sb_registry *reg, size_t abi_i, const struct sb_agg *g,
		   struct sb_layout *out, uint32_t *offsets)
{
	uint64_t end = 0, size = 0;
	uint32_t align = 1;

	for (uint32_t i = 0; i < g->nmembers; i++) {
		struct sb_layout m;
		uint64_t at;

		if (any_layout(reg, abi_i, g->members[i].type, &m))
			return -1;
		at = next_member(g, &m, g->members[i].count, &end);
		if (end > SB_MAX_SIZE)
			return -1;
		if (end > size)
			size = end;
		if (m.align > align)
			align = m.align;
		if (offsets)
			offsets[i] = (uint32_t)at;
	}
	out->member_align = align;
	if (g->align > align)
		align = g->align;
	size = (size + align - 1) & ~(uint64_t)(align - 1);
	if (size > SB_MAX_SIZE)
		return -1;
	out->size = (uint32_t)size;
	out->align = align;
	return 0;
}

static int fail(const char **err, const char *msg)
{
	*err = msg;
	return -1;
}

int sb_define_aggregate(struct sb_registry *reg, int is_union, unsigned pack,
			unsigned align, const struct sb_member *m, uint32_t n,
			const char **err)
{
	struct sb_agg_store a = { .agg = { .is_union = is_union != 0, .depth = 1 } };

	if (n > SB_MAX_MEMBERS)
		return fail(err, "too many members (at most 4096)");
	if (pack > 16 || (pack & (pack - 1)))
		return fail(err, "pack must be 1, 2, 4, 8 or 16");
	if (align > 4096 || (align & (align - 1)))
		return fail(err, "align must be a power of two up to 4096");
	if (reg->naggs >= (size_t)INT32_MAX - SB_TYPE_COUNT)
		return fail(err, "too many aggregate types");
	for (uint32_t i = 0; i < n; i++) {
		const struct sb_agg_store *sub = store_of(reg, m[i].type);

		if (m[i].count == 0)
			return fail(err, "an array member needs at least one element");
		if (!sub && (m[i].type < 0 || m[i].type >= SB_TYPE_COUNT || m[i].type == SB_VOID))
			return fail(err, m[i].type == SB_VOID ? "void is not a member type"
							       : "unknown member type");
		if (sub && sub->agg.depth + 1u > a.agg.depth)
			a.agg.depth = (uint16_t)(sub->agg.depth + 1);
	}
	if (a.agg.depth > SB_MAX_DEPTH)
		return fail(err, "aggregates nested too deep (at most 32 levels)");
	a.agg.pack = (uint8_t)pack;
	a.agg.align = (uint16_t)align;
	a.agg.nmembers = n;
	if (reg->naggs == reg->aggcap) {
		size_t cap = reg->aggcap ? reg->aggcap * 2 : 16;
		struct sb_agg_store *grown = realloc(reg->aggs, cap * sizeof *grown);

		if (!grown)
			return fail(err, "out of memory");
		reg->aggs = grown;
		reg->aggcap = cap;
	}
	if (!(a.agg.members = malloc((n ? n : 1) * sizeof *m)))
		return fail(err, "out of memory");
	memcpy(a.agg.members, m, n * sizeof *m);
	for (size_t i = 0; i < ABI_COUNT; i++) {
		if (lay_out(reg, i, &a.agg, &a.layout[i], NULL)) {
			free(a.agg.members);
			return fail(err, "aggregate too large (at most 1 GiB)");
		}
	}
	reg->aggs[reg->naggs] = a;
	return (int)(SB_TYPE_COUNT + reg->naggs++);
}

int sb_type_layout(const struct sb_registry *reg, const struct sb_abi *abi,
		   int type, struct sb_layout *out, uint32_t *offsets,
		   const char **err)
{
	struct sb_agg_store *a = store_of(reg, type);

	if (!a) {
		if (scalar_layout(abi, type, out))
			return fail(err, type == SB_VOID ? "void has no size" : "unknown type");
		return 0;
	}
	*out = a->layout[abi_index(abi)];
	if (offsets)
		lay_out(reg, abi_index(abi), &a->agg, out, offsets);
	return 0;
}

static int walk(const struct sb_registry *reg, size_t abi_i, int type, uint32_t base,
		sb_leaf_fn fn, void *ctx)
{
	struct sb_agg_store *a = store_of(reg, type);
	uint64_t end = 0;

	if (!a)
		return fn(ctx, base, sb_kind_of(abis[abi_i], type));
	for (uint32_t i = 0; i < a->agg.nmembers; i++) {
		const struct sb_member *m = &a->agg.members[i];
		struct sb_layout ml = { .size = 0, .align = 1 };
		uint32_t at;
		int r;

		any_layout(reg, abi_i, m->type, &ml);
		at = (uint32_t)next_member(&a->agg, &ml, m->count, &end);
		/* a zero-size element holds no leaf, however many there are */
		for (uint32_t e = 0; ml.size && e < m->count; e++)
			if ((r = walk(reg, abi_i, m->type, base + at + e * ml.size, fn, ctx)))
				return r;
	}
	return 0;
}

int sb_agg_leaves(const struct sb_agginfo *a, sb_leaf_fn fn, void *ctx)
{
	return walk(a->reg, abi_index(a->abi), a->type, 0, fn, ctx);
}

struct hfa {
	enum sb_kind kind;
	unsigned n;
	uint32_t at[4];
};

static int hfa_leaf(void *ctx, uint32_t offset, enum sb_kind kind)
{
	struct hfa *h = ctx;

	if (!sb_kind_is_float(kind) || (h->n && kind != h->kind))
		return 1;
	h->kind = kind;
	for (unsigned i = 0; i < h->n; i++)
		if (h->at[i] == offset)
			return 0;	/* a union's members share addresses */
	if (h->n == 4)
		return 1;
	h->at[h->n++] = offset;
	return 0;
}

/* AAPCS64 §5.9.5 "Homogeneous Aggregates": every fundamental member of
 * one floating-point type, 1 to 4 uniquely addressable members; and, as
 * GCC and clang check, members that fill the size (no padding). */
unsigned sb_agg_hfa(const struct sb_agginfo *a, enum sb_kind *kind)
{
	struct hfa h = { .n = 0 };

	if (a->size == 0 || a->size > 32 || sb_agg_leaves(a, hfa_leaf, &h) || h.n == 0 ||
	    a->size != h.n * sb_kind_size(h.kind))
		return 0;
	*kind = h.kind;
	return h.n;
}

/* --- the walker --- */

static int valid_type(const struct sb_registry *reg, int t)
{
	return (t >= 0 && t < SB_TYPE_COUNT) || store_of(reg, t) != NULL;
}

int sb_classify(const struct sb_abi *abi, int ret, const int *args, int nargs,
		struct sb_plan *out, const char **err)
{
	return sb_classify_in(NULL, abi, ret, args, nargs, nargs, out, err);
}

int sb_classify_variadic(const struct sb_abi *abi, int ret, const int *args,
			 int nargs, int nfixed, struct sb_plan *out,
			 const char **err)
{
	return sb_classify_in(NULL, abi, ret, args, nargs, nfixed, out, err);
}

/* An aggregate's place: its kind and size set, the ABI's hook decides. */
static void agg_info(const struct sb_registry *reg, const struct sb_abi *abi, int type,
		     struct sb_place *p, struct sb_agginfo *a)
{
	struct sb_agg_store *s = store_of(reg, type);
	size_t i = abi_index(abi);

	a->reg = reg;
	a->abi = abi;
	a->type = type;
	a->size = s->layout[i].size;
	a->align = s->layout[i].align;
	a->member_align = s->layout[i].member_align;
	p->kind = SB_K_AGG;
	p->size = a->size;
}

/* a result that comes back in a vector register, whole or in part */
static int in_vec(const struct sb_place *p)
{
	if (p->pass != SB_PASS_PARTS)
		return p->where == SB_IN_VEC;
	for (unsigned i = 0; i < p->nparts; i++)
		if (p->part[i].where == SB_IN_VEC)
			return 1;
	return 0;
}

sb_dispatcher sb_dispatcher_of(const struct sb_plan *plan)
{
	return plan->dispatch == SB_DISPATCH_GPR ? sb_call_gpr : sb_call;
}

int sb_classify_in(const struct sb_registry *reg, const struct sb_abi *abi,
		   int ret, const int *args, int nargs, int nfixed,
		   struct sb_plan *out, const char **err)
{
	struct sb_cstate st = { .ret_ptr = -1 };
	struct sb_agginfo a;

	if (nargs < 0 || nargs > SB_MAX_ARGS) {
		*err = nargs < 0 ? "negative argument count"
				 : "too many arguments (at most 64)";
		return -1;
	}
	if (nfixed < 0 || nfixed > nargs) {
		*err = "fixed argument count out of range";
		return -1;
	}
	if (!valid_type(reg, ret)) {
		*err = "unknown return type";
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->abi = abi;
	out->ret_type = ret;
	out->nargs = nargs;
	out->nfixed = nfixed;
	if (ret >= SB_TYPE_COUNT) {
		/* first: a hidden result pointer takes an argument register */
		agg_info(reg, abi, ret, &out->ret, &a);
		abi->agg_ret(&st, &out->ret, &a);
	} else {
		out->ret.kind = (uint8_t)sb_kind_of(abi, ret);
		if (out->ret.kind != SB_K_VOID) {
			abi->ret(&out->ret);
			out->ret.offset = out->ret.where == SB_IN_VEC ? SB_OFF_RET_VEC
								       : SB_OFF_RET_GPR;
		}
	}
	out->ret_ptr = st.ret_ptr;
	for (int i = 0; i < nargs; i++) {
		struct sb_place *p = &out->args[i];

		if (!valid_type(reg, args[i]) || args[i] == SB_VOID) {
			*err = args[i] == SB_VOID ? "void is not an argument type"
						  : "unknown argument type";
			return -1;
		}
		out->arg_type[i] = args[i];
		st.argno = (unsigned)i;
		st.variadic = i >= nfixed;
		if (args[i] >= SB_TYPE_COUNT) {
			agg_info(reg, abi, args[i], p, &a);
			abi->agg_arg(&st, p, &a);
		} else {
			p->kind = (uint8_t)sb_kind_of(abi, args[i]);
			abi->arg(&st, p);
		}
	}
	out->nstack = (st.nstack + SB_WORD - 1) / SB_WORD;
	out->nvec = st.nvec;
	out->dispatch = out->nstack == 0 && out->nvec == 0 && !in_vec(&out->ret)
		      ? SB_DISPATCH_GPR : SB_DISPATCH_ALL;
	if (st.nstack > SB_STACK_MAX * SB_WORD) {
		*err = "arguments need more stack than the frame holds (1024 bytes)";
		return -1;
	}
	return 0;
}

static int same_signature(const struct sb_plan *p, const struct sb_abi *abi,
			  int ret, const int *args, int nargs, int nfixed)
{
	if (p->abi != abi || p->ret_type != ret || p->nargs != nargs || p->nfixed != nfixed)
		return 0;
	for (int i = 0; i < nargs; i++)
		if (p->arg_type[i] != args[i])
			return 0;
	return 1;
}

const struct sb_plan *sb_registry_define(struct sb_registry *reg,
		const struct sb_abi *abi, int ret, const int *args, int nargs,
		int nfixed, const char **err)
{
	struct sb_plan plan, *stored;

	for (size_t i = 0; nargs >= 0 && nargs <= SB_MAX_ARGS && i < reg->len; i++)
		if (same_signature(reg->plans[i], abi, ret, args, nargs, nfixed))
			return reg->plans[i];
	if (sb_classify_in(reg, abi, ret, args, nargs, nfixed, &plan, err) != 0)
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
	for (size_t i = 0; i < reg->naggs; i++)
		free(reg->aggs[i].agg.members);
	free(reg->aggs);
	memset(reg, 0, sizeof *reg);
}
