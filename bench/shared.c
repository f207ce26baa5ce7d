/* shared.node: the shared-frame technique written by hand, no FFI.
 * JS allocates one ArrayBuffer and passes it to init(), which pins it with a
 * reference and reads its address once. Every other function takes no
 * arguments: it reads its arguments from that memory, calls the C function
 * and writes the result back for the JS wrapper to read. A hand-specialized
 * lower bound for what sbffi does generically.
 *
 * Layout (8-byte slots): arguments in slots 0..7, result in slot 8, a
 * NUL-terminated string from byte STR_OFF. A struct argument is its C bytes
 * at the start of its slot (Vec2 and Color fit in one), and so is a struct
 * result. Must match shared() in impls.js. */
#include <string.h>
#include <node_api.h>
#include "bench.h"

#define RES_SLOT 8
#define STR_OFF 128
#define MIN_BYTES 4096

static unsigned char *mem;       /* the pinned buffer; main thread only */
static napi_ref mem_ref;

#define U32(i) (((uint32_t *)mem)[(i) * 2])
#define F64(i) (((double *)mem)[i])
#define I64(i) (((int64_t *)mem)[i])

static napi_value sh_add_u32(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	U32(RES_SLOT) = add_u32(U32(0), U32(1));
	return NULL;
}

static napi_value sh_add_f64(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	F64(RES_SLOT) = add_f64(F64(0), F64(1));
	return NULL;
}

static napi_value sh_sink(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	sink(U32(0), U32(1));
	return NULL;
}

static napi_value sh_noop(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	noop();
	return NULL;
}

static napi_value sh_sum6_f64(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	F64(RES_SLOT) = sum6_f64(F64(0), F64(1), F64(2), F64(3), F64(4), F64(5));
	return NULL;
}

static napi_value sh_sum8_i64(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	I64(RES_SLOT) = sum8_i64(I64(0), I64(1), I64(2), I64(3),
				 I64(4), I64(5), I64(6), I64(7));
	return NULL;
}

static napi_value sh_strlen(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	((uint64_t *)mem)[RES_SLOT] = strlen((const char *)mem + STR_OFF);
	return NULL;
}

/* structs: the JS wrapper writes the fields where C has them, and builds
 * the result object from the fields it reads back */
static napi_value sh_vadd(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	Vec2 a, b, r;
	memcpy(&a, mem, sizeof a);
	memcpy(&b, mem + 8, sizeof b);
	r = vadd(a, b);
	memcpy(mem + RES_SLOT * 8, &r, sizeof r);
	return NULL;
}

static napi_value sh_cmix(napi_env env, napi_callback_info info)
{
	(void)env; (void)info;
	Color a, b, r;
	memcpy(&a, mem, sizeof a);
	memcpy(&b, mem + 8, sizeof b);
	r = cmix(a, b);
	memcpy(mem + RES_SLOT * 8, &r, sizeof r);
	return NULL;
}

/* init(arrayBuffer): pin the buffer and remember its address */
static napi_value sh_init(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value ab;
	void *data;
	size_t len;
	bool is_ab = false;

	if (napi_get_cb_info(env, info, &argc, &ab, NULL, NULL) != napi_ok ||
	    argc < 1 || napi_is_arraybuffer(env, ab, &is_ab) != napi_ok ||
	    !is_ab) {
		napi_throw_type_error(env, NULL, "init: expected an ArrayBuffer");
		return NULL;
	}
	if (napi_get_arraybuffer_info(env, ab, &data, &len) != napi_ok ||
	    len < MIN_BYTES) {
		napi_throw_range_error(env, NULL, "init: buffer too small");
		return NULL;
	}
	if (mem_ref != NULL)
		napi_delete_reference(env, mem_ref);
	if (napi_create_reference(env, ab, 1, &mem_ref) != napi_ok) {
		napi_throw_error(env, NULL, "init: cannot pin the buffer");
		return NULL;
	}
	mem = data;
	return NULL;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "init", NULL, sh_init, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "add_u32", NULL, sh_add_u32, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "add_f64", NULL, sh_add_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "noop", NULL, sh_noop, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sink", NULL, sh_sink, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum6_f64", NULL, sh_sum6_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum8_i64", NULL, sh_sum8_i64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "strlen", NULL, sh_strlen, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "vadd", NULL, sh_vadd, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "cmix", NULL, sh_cmix, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	if (napi_define_properties(env, exports, sizeof props / sizeof props[0],
				   props) != napi_ok)
		return NULL;
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
