/* Define time: the frame layout, the type table and classified plans,
 * handed to JavaScript once per signature. */
#include <stdlib.h>

#include "binding.h"
#include "frame.h"

static const char *const type_name[SB_TYPE_COUNT] = {
	[SB_VOID] = "void", [SB_BOOL] = "bool", [SB_CHAR] = "char",
	[SB_SCHAR] = "signed char", [SB_UCHAR] = "unsigned char",
	[SB_SHORT] = "short", [SB_USHORT] = "unsigned short",
	[SB_INT] = "int", [SB_UINT] = "unsigned int",
	[SB_LONG] = "long", [SB_ULONG] = "unsigned long",
	[SB_LLONG] = "long long", [SB_ULLONG] = "unsigned long long",
	[SB_INT8] = "int8_t", [SB_UINT8] = "uint8_t",
	[SB_INT16] = "int16_t", [SB_UINT16] = "uint16_t",
	[SB_INT32] = "int32_t", [SB_UINT32] = "uint32_t",
	[SB_INT64] = "int64_t", [SB_UINT64] = "uint64_t",
	[SB_SIZE] = "size_t", [SB_SSIZE] = "ssize_t",
	[SB_INTPTR] = "intptr_t", [SB_UINTPTR] = "uintptr_t",
	[SB_FLOAT] = "float", [SB_DOUBLE] = "double", [SB_POINTER] = "void *",
	[SB_WCHAR] = "wchar_t",
};

static const char *const kind_name[SB_KIND_COUNT] = {
	"void", "bool", "i8", "u8", "i16", "u16", "i32", "u32",
	"i64", "u64", "f32", "f64", "ptr", "agg",
};

static const char *const where_name[] = { "none", "gpr", "vec", "stack" };
static const char *const pass_name[] = { "scalar", "parts", "stack", "ref", "empty" };
static const char *const class_name[] = { "none", "INTEGER", "SSE", "HFA", "GPR" };

static napi_status set_int(napi_env env, napi_value obj, const char *name,
			   int64_t value)
{
	napi_value v;
	napi_status s = napi_create_int64(env, value, &v);

	return s == napi_ok ? napi_set_named_property(env, obj, name, v) : s;
}

static napi_status set_str(napi_env env, napi_value obj, const char *name,
			   const char *value)
{
	napi_value v;
	napi_status s = value ? napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v)
			      : napi_get_null(env, &v);

	return s == napi_ok ? napi_set_named_property(env, obj, name, v) : s;
}

/* "sysv-x64" or undefined (the host) -> ABI; NULL after throwing */
static const struct sb_abi *get_abi(napi_env env, napi_value v)
{
	napi_valuetype t;
	char name[32];
	const struct sb_abi *abi;

	if (napi_typeof(env, v, &t) != napi_ok)
		return NULL;
	if (t == napi_undefined || t == napi_null)
		return sb_abi_host();
	if (t != napi_string || sb_get_string(env, v, name, sizeof name) ||
	    !(abi = sb_abi_find(name))) {
		sb_throw(env, "ERR_SBFFI_ABI", "sbffi: unknown ABI");
		return NULL;
	}
	return abi;
}

static napi_value make_place(napi_env env, const struct sb_abi *abi,
			     const struct sb_place *p, int is_ret)
{
	napi_value o, list, part;

	SB_TRY(env, napi_create_object(env, &o));
	SB_TRY(env, set_str(env, o, "kind", kind_name[p->kind]));
	SB_TRY(env, set_str(env, o, "where", where_name[p->where]));
	SB_TRY(env, set_int(env, o, "offset", p->offset));
	if (p->also) {
		struct sb_place gpr = { .where = SB_IN_GPR,
					.index = (p->also - SB_OFF_GPR) / SB_WORD };

		SB_TRY(env, set_int(env, o, "also", p->also));
		SB_TRY(env, set_str(env, o, "alsoReg", sb_abi_reg_name(abi, &gpr, 0)));
	}
	SB_TRY(env, set_int(env, o, "index", p->index));
	SB_TRY(env, set_str(env, o, "reg", sb_abi_reg_name(abi, p, is_ret)));
	SB_TRY(env, set_str(env, o, "pass", pass_name[p->pass]));
	if (p->kind != SB_K_AGG)
		return o;
	SB_TRY(env, set_int(env, o, "size", p->size));
	SB_TRY(env, napi_create_array_with_length(env, p->nparts, &list));
	for (uint32_t i = 0; i < p->nparts; i++) {
		const struct sb_part *q = &p->part[i];
		struct sb_place at = { .where = q->where, .index = q->index };

		SB_TRY(env, napi_create_object(env, &part));
		SB_TRY(env, set_int(env, part, "from", q->from));
		SB_TRY(env, set_int(env, part, "size", q->size));
		SB_TRY(env, set_int(env, part, "offset", q->offset));
		SB_TRY(env, set_str(env, part, "where", where_name[q->where]));
		SB_TRY(env, set_int(env, part, "index", q->index));
		SB_TRY(env, set_str(env, part, "reg", sb_abi_reg_name(abi, &at, is_ret)));
		SB_TRY(env, set_str(env, part, "class", class_name[q->cls]));
		SB_TRY(env, napi_set_element(env, list, i, part));
	}
	SB_TRY(env, napi_set_named_property(env, o, "parts", list));
	return o;
}

/* define(abi, retTypeId, [argTypeIds][, nfixed]) -> plan object; nfixed:
 * the arguments before a `...` (default: all) */
static napi_value define(napi_env env, napi_callback_info info)
{
	struct sb_env *e;
	napi_value argv[4], plan, list, v;
	napi_valuetype t;
	const struct sb_abi *abi;
	const struct sb_plan *p;
	const char *err = NULL;
	int ret, args[SB_MAX_ARGS], nfixed;
	uint32_t n;
	bool is_array = false;

	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	if (sb_args(env, info, 4, argv) || !(abi = get_abi(env, argv[0])))
		return NULL;
	if (napi_get_value_int32(env, argv[1], &ret) != napi_ok ||
	    napi_is_array(env, argv[2], &is_array) != napi_ok || !is_array ||
	    napi_get_array_length(env, argv[2], &n) != napi_ok)
		return sb_throw(env, NULL, "sbffi: define(abi, ret, args) takes type ids");
	if (n > SB_MAX_ARGS)
		return sb_throw(env, "ERR_SBFFI_ARGC", "sbffi: too many arguments (at most 64)");
	for (uint32_t i = 0; i < n; i++) {
		SB_TRY(env, napi_get_element(env, argv[2], i, &v));
		if (napi_get_value_int32(env, v, &args[i]) != napi_ok)
			return sb_throw(env, NULL, "sbffi: argument type ids must be integers");
	}
	nfixed = (int)n;
	if (napi_typeof(env, argv[3], &t) != napi_ok ||
	    (t != napi_undefined && napi_get_value_int32(env, argv[3], &nfixed) != napi_ok))
		return sb_throw(env, NULL, "sbffi: define: nfixed must be an integer");
	p = sb_registry_define(&e->reg, abi, ret, args, (int)n, nfixed, &err);
	if (!p)
		return sb_throw(env, "ERR_SBFFI_TYPE", err);

	SB_TRY(env, napi_create_object(env, &plan));
	SB_TRY(env, set_str(env, plan, "abi", sb_abi_name(abi)));
	SB_TRY(env, set_int(env, plan, "nstack", p->nstack));
	SB_TRY(env, set_int(env, plan, "nvec", p->nvec));
	SB_TRY(env, set_str(env, plan, "dispatch", p->dispatch == SB_DISPATCH_GPR ? "gpr" : "all"));
	SB_TRY(env, set_int(env, plan, "retPtr", p->ret_ptr));
	SB_TRY(env, set_str(env, plan, "retPtrReg", p->ret_ptr >= 0 ? sb_abi_ret_ptr_name(abi) : NULL));
	if (!(v = make_place(env, abi, &p->ret, 1)))
		return NULL;
	SB_TRY(env, napi_set_named_property(env, plan, "ret", v));
	SB_TRY(env, napi_create_array_with_length(env, n, &list));
	for (uint32_t i = 0; i < n; i++) {
		if (!(v = make_place(env, abi, &p->args[i], 0)))
			return NULL;
		SB_TRY(env, napi_set_element(env, list, i, v));
	}
	SB_TRY(env, napi_set_named_property(env, plan, "args", list));
	return plan;
}

/* typeInfo(abi) -> [{ name, id, kind, size }] under that ABI's data model */
static napi_value type_info(napi_env env, napi_callback_info info)
{
	napi_value argv[1], list, o;
	const struct sb_abi *abi;

	if (sb_args(env, info, 1, argv) || !(abi = get_abi(env, argv[0])))
		return NULL;
	SB_TRY(env, napi_create_array_with_length(env, SB_TYPE_COUNT, &list));
	for (int t = 0; t < SB_TYPE_COUNT; t++) {
		SB_TRY(env, napi_create_object(env, &o));
		SB_TRY(env, set_str(env, o, "name", type_name[t]));
		SB_TRY(env, set_int(env, o, "id", t));
		SB_TRY(env, set_str(env, o, "kind", kind_name[sb_kind_of(abi, t)]));
		SB_TRY(env, set_int(env, o, "size", (int64_t)sb_type_size(abi, t)));
		SB_TRY(env, napi_set_element(env, list, (uint32_t)t, o));
	}
	return list;
}

/* defineAggregate(isUnion, pack, align, [typeId, count, typeId, count...])
 * -> the new type id */
static napi_value define_aggregate(napi_env env, napi_callback_info info)
{
	struct sb_env *e;
	napi_value argv[4], v;
	struct sb_member *m;
	bool is_union = false, is_array = false;
	uint32_t pack, align, n;
	const char *err = NULL;
	int id;

	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	if (sb_args(env, info, 4, argv) ||
	    napi_get_value_bool(env, argv[0], &is_union) != napi_ok ||
	    napi_get_value_uint32(env, argv[1], &pack) != napi_ok ||
	    napi_get_value_uint32(env, argv[2], &align) != napi_ok ||
	    napi_is_array(env, argv[3], &is_array) != napi_ok || !is_array ||
	    napi_get_array_length(env, argv[3], &n) != napi_ok || n % 2)
		return sb_throw(env, NULL, "sbffi: defineAggregate(isUnion, pack, align, members)");
	n /= 2;
	if (n > SB_MAX_MEMBERS)
		return sb_throw(env, "ERR_SBFFI_TYPE", "too many members (at most 4096)");
	if (!(m = malloc((n ? n : 1) * sizeof *m)))
		return sb_throw(env, NULL, "sbffi: out of memory");
	for (uint32_t i = 0; i < 2 * n; i++) {
		int32_t x = -1;

		if (napi_get_element(env, argv[3], i, &v) != napi_ok ||
		    napi_get_value_int32(env, v, &x) != napi_ok || x < 0) {
			free(m);
			return sb_throw(env, NULL, "sbffi: member type ids and counts must be integers");
		}
		if (i % 2)
			m[i / 2].count = (uint32_t)x;
		else
			m[i / 2].type = x;
	}
	id = sb_define_aggregate(&e->reg, is_union, pack, align, m, n, &err);
	free(m);
	if (id < 0)
		return sb_throw(env, "ERR_SBFFI_TYPE", err);
	SB_TRY(env, napi_create_int32(env, id, &v));
	return v;
}

/* typeLayout(abi, typeId) -> { size, align, offsets: [member offsets] } */
static napi_value layout_of(napi_env env, napi_callback_info info)
{
	struct sb_env *e;
	napi_value argv[2], o, list;
	const struct sb_abi *abi;
	const struct sb_agg *g;
	struct sb_layout l;
	uint32_t *offsets = NULL;
	const char *err = NULL;
	int32_t type;

	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	if (sb_args(env, info, 2, argv) || !(abi = get_abi(env, argv[0])))
		return NULL;
	if (napi_get_value_int32(env, argv[1], &type) != napi_ok)
		return sb_throw(env, NULL, "sbffi: layout(abi, typeId)");
	g = sb_aggregate(&e->reg, type);
	if (g && !(offsets = malloc((g->nmembers ? g->nmembers : 1) * sizeof *offsets)))
		return sb_throw(env, NULL, "sbffi: out of memory");
	if (sb_type_layout(&e->reg, abi, type, &l, offsets, &err)) {
		free(offsets);
		return sb_throw(env, "ERR_SBFFI_TYPE", err);
	}
	if (napi_create_object(env, &o) != napi_ok || set_int(env, o, "size", l.size) != napi_ok ||
	    set_int(env, o, "align", l.align) != napi_ok ||
	    napi_create_array_with_length(env, g ? g->nmembers : 0, &list) != napi_ok) {
		free(offsets);
		sb_throw_last(env, "layout");
		return NULL;
	}
	for (uint32_t i = 0; g && i < g->nmembers; i++) {
		napi_value v;

		if (napi_create_uint32(env, offsets[i], &v) != napi_ok ||
		    napi_set_element(env, list, i, v) != napi_ok) {
			free(offsets);
			sb_throw_last(env, "layout");
			return NULL;
		}
	}
	free(offsets);
	SB_TRY(env, napi_set_named_property(env, o, "offsets", list));
	return o;
}

napi_status sb_init_plan(napi_env env, napi_value exports)
{
	static const struct sb_export fns[] = {
		{ "define", define },
		{ "typeInfo", type_info },
		{ "defineAggregate", define_aggregate },
		{ "typeLayout", layout_of },
	};
	static const struct { const char *name; int value; } layout[] = {
		{ "WORD", SB_WORD },
		{ "OFF_FN", SB_OFF_FN },
		{ "OFF_NSTACK", SB_OFF_NSTACK },
		{ "OFF_NVEC", SB_OFF_NVEC },
		{ "OFF_RET_GPR", SB_OFF_RET_GPR },
		{ "OFF_RET_VEC", SB_OFF_RET_VEC },
		{ "OFF_GPR", SB_OFF_GPR },
		{ "OFF_VEC", SB_OFF_VEC },
		{ "OFF_STACK", SB_OFF_STACK },
		{ "OFF_ERRNO", SB_OFF_ERRNO },
		{ "OFF_LAST_ERROR", SB_OFF_LAST_ERROR },
		{ "FRAME_SIZE", SB_FRAME_SIZE },
		{ "SCRATCH_SIZE", SB_SCRATCH_SIZE },
		{ "OFF_QUEUE", SB_OFF_QUEUE },
		{ "QUEUE_SIZE", SB_QUEUE_SIZE },
		{ "OFF_RECORD", SB_OFF_RECORD },
		{ "RECORD_FULL", SB_RECORD_FULL },
		{ "RECORD_GPR", SB_RECORD_GPR },
		{ "RECORD_ERRNO", SB_RECORD_ERRNO },
		{ "OFF_BATCH_FROM", SB_OFF_BATCH_FROM },
		{ "OFF_BATCH_TO", SB_OFF_BATCH_TO },
		{ "MAX_ARGS", SB_MAX_ARGS },
	};
	napi_value obj;
	napi_status s = sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);

	if (s == napi_ok)
		s = napi_create_object(env, &obj);
	for (size_t i = 0; s == napi_ok && i < sizeof layout / sizeof layout[0]; i++)
		s = set_int(env, obj, layout[i].name, layout[i].value);
	if (s == napi_ok)
		s = napi_set_named_property(env, exports, "layout", obj);
	if (s == napi_ok)
		s = set_str(env, exports, "hostAbi", sb_abi_name(sb_abi_host()));
	if (s == napi_ok)
		s = napi_create_array(env, &obj);
	for (size_t i = 0; s == napi_ok && sb_abi_at(i); i++) {
		napi_value name;

		s = napi_create_string_utf8(env, sb_abi_name(sb_abi_at(i)), NAPI_AUTO_LENGTH, &name);
		if (s == napi_ok)
			s = napi_set_element(env, obj, (uint32_t)i, name);
	}
	if (s == napi_ok)
		s = napi_set_named_property(env, exports, "abis", obj);
	return s;
}
