/* conventional.node: the usual hand-written Node-API addon. Each function
 * converts its arguments one by one with napi_get_value_* and returns a
 * napi value. 64-bit results come back as BigInt, as sbffi returns them.
 * Struct arguments are plain objects read with napi_get_named_property, and
 * a struct result is a new object built with napi_set_named_property. */
#include <string.h>
#include <node_api.h>
#include "bench.h"

#define CHECK(env, call)                                                \
	do {                                                            \
		if ((call) != napi_ok) {                                \
			napi_throw_type_error((env), NULL, #call);      \
			return NULL;                                    \
		}                                                       \
	} while (0)

#define ARGS(env, info, n)                                              \
	size_t argc = (n);                                              \
	napi_value argv[(n) > 0 ? (n) : 1];                             \
	CHECK(env, napi_get_cb_info((env), (info), &argc, argv, NULL, NULL)); \
	if (argc < (n)) {                                               \
		napi_throw_type_error((env), NULL, "too few arguments"); \
		return NULL;                                            \
	}

static napi_value js_add_u32(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	uint32_t a, b;
	CHECK(env, napi_get_value_uint32(env, argv[0], &a));
	CHECK(env, napi_get_value_uint32(env, argv[1], &b));
	napi_value r;
	CHECK(env, napi_create_uint32(env, add_u32(a, b), &r));
	return r;
}

static napi_value js_add_f64(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	double a, b;
	CHECK(env, napi_get_value_double(env, argv[0], &a));
	CHECK(env, napi_get_value_double(env, argv[1], &b));
	napi_value r;
	CHECK(env, napi_create_double(env, add_f64(a, b), &r));
	return r;
}

static napi_value js_sink(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	uint32_t a, b;
	CHECK(env, napi_get_value_uint32(env, argv[0], &a));
	CHECK(env, napi_get_value_uint32(env, argv[1], &b));
	sink(a, b);
	return NULL;
}

static napi_value js_noop(napi_env env, napi_callback_info info)
{
	(void)env;
	(void)info;
	noop();
	return NULL;
}

static napi_value js_sum6_f64(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 6);
	double d[6];
	for (int i = 0; i < 6; i++)
		CHECK(env, napi_get_value_double(env, argv[i], &d[i]));
	napi_value r;
	CHECK(env, napi_create_double(env,
		sum6_f64(d[0], d[1], d[2], d[3], d[4], d[5]), &r));
	return r;
}

/* int64 arguments take Number or BigInt, like sbffi's */
static napi_status get_i64(napi_env env, napi_value v, int64_t *out)
{
	napi_status s = napi_get_value_int64(env, v, out);
	if (s == napi_number_expected) {
		bool lossless;
		s = napi_get_value_bigint_int64(env, v, out, &lossless);
	}
	return s;
}

static napi_value js_sum8_i64(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 8);
	int64_t v[8];
	for (int i = 0; i < 8; i++)
		CHECK(env, get_i64(env, argv[i], &v[i]));
	napi_value r;
	CHECK(env, napi_create_bigint_int64(env,
		sum8_i64(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]), &r));
	return r;
}

static napi_value js_strlen(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 1);
	char buf[256];
	size_t copied;
	CHECK(env, napi_get_value_string_utf8(env, argv[0], buf, sizeof buf,
					      &copied));
	napi_value r;
	CHECK(env, napi_create_bigint_uint64(env, strlen(buf), &r));
	return r;
}

/* callback(fn, x): libbench's call_int_cb calls a C function that calls
 * fn through Node-API, as a hand-written addon would (one thread). */
static napi_env cb_env;
static napi_value cb_fn;

static int conv_cb(int y)
{
	napi_value arg, recv, r;
	int32_t out = 0;

	if (napi_create_int32(cb_env, y, &arg) != napi_ok ||
	    napi_get_undefined(cb_env, &recv) != napi_ok ||
	    napi_call_function(cb_env, recv, cb_fn, 1, &arg, &r) != napi_ok ||
	    napi_get_value_int32(cb_env, r, &out) != napi_ok)
		return 0;
	return out;
}

static napi_value js_callback(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	int32_t x;
	CHECK(env, napi_get_value_int32(env, argv[1], &x));
	cb_env = env;
	cb_fn = argv[0];
	napi_value r;
	CHECK(env, napi_create_int32(env, call_int_cb(conv_cb, x), &r));
	return r;
}

/* Structs by value: each argument is a plain object, read field by field
 * with napi_get_named_property; the result is a new object. */
static napi_status get_f32_field(napi_env env, napi_value obj,
				 const char *name, float *out)
{
	napi_value v;
	double d;
	napi_status s = napi_get_named_property(env, obj, name, &v);
	if (s == napi_ok)
		s = napi_get_value_double(env, v, &d);
	if (s == napi_ok)
		*out = (float)d;
	return s;
}

static napi_status get_u8_field(napi_env env, napi_value obj,
				const char *name, uint8_t *out)
{
	napi_value v;
	uint32_t u;
	napi_status s = napi_get_named_property(env, obj, name, &v);
	if (s == napi_ok)
		s = napi_get_value_uint32(env, v, &u);
	if (s == napi_ok)
		*out = (uint8_t)u;
	return s;
}

static napi_status get_vec2(napi_env env, napi_value obj, Vec2 *out)
{
	napi_status s = get_f32_field(env, obj, "x", &out->x);
	if (s == napi_ok)
		s = get_f32_field(env, obj, "y", &out->y);
	return s;
}

static napi_status get_color(napi_env env, napi_value obj, Color *out)
{
	napi_status s = get_u8_field(env, obj, "r", &out->r);
	if (s == napi_ok)
		s = get_u8_field(env, obj, "g", &out->g);
	if (s == napi_ok)
		s = get_u8_field(env, obj, "b", &out->b);
	if (s == napi_ok)
		s = get_u8_field(env, obj, "a", &out->a);
	return s;
}

static napi_value js_vadd(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	Vec2 a, b;
	CHECK(env, get_vec2(env, argv[0], &a));
	CHECK(env, get_vec2(env, argv[1], &b));
	Vec2 r = vadd(a, b);
	napi_value obj, x, y;
	CHECK(env, napi_create_object(env, &obj));
	CHECK(env, napi_create_double(env, r.x, &x));
	CHECK(env, napi_set_named_property(env, obj, "x", x));
	CHECK(env, napi_create_double(env, r.y, &y));
	CHECK(env, napi_set_named_property(env, obj, "y", y));
	return obj;
}

static napi_value js_cmix(napi_env env, napi_callback_info info)
{
	ARGS(env, info, 2);
	Color a, b;
	CHECK(env, get_color(env, argv[0], &a));
	CHECK(env, get_color(env, argv[1], &b));
	Color c = cmix(a, b);
	const char *names[4] = { "r", "g", "b", "a" };
	const uint8_t vals[4] = { c.r, c.g, c.b, c.a };
	napi_value obj;
	CHECK(env, napi_create_object(env, &obj));
	for (int i = 0; i < 4; i++) {
		napi_value v;
		CHECK(env, napi_create_uint32(env, vals[i], &v));
		CHECK(env, napi_set_named_property(env, obj, names[i], v));
	}
	return obj;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "add_u32", NULL, js_add_u32, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "add_f64", NULL, js_add_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "noop", NULL, js_noop, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sink", NULL, js_sink, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum6_f64", NULL, js_sum6_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum8_i64", NULL, js_sum8_i64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "strlen", NULL, js_strlen, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "callback", NULL, js_callback, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "vadd", NULL, js_vadd, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "cmix", NULL, js_cmix, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	CHECK(env, napi_define_properties(env, exports,
					  sizeof props / sizeof props[0], props));
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
