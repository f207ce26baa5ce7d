/* conventional.node: the usual hand-written Node-API addon. Each function
 * converts its arguments one by one with napi_get_value_* and returns a
 * napi value. 64-bit results come back as BigInt, as sbffi returns them. */
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

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "add_u32", NULL, js_add_u32, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "add_f64", NULL, js_add_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "noop", NULL, js_noop, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum6_f64", NULL, js_sum6_f64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "sum8_i64", NULL, js_sum8_i64, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "strlen", NULL, js_strlen, NULL, NULL, NULL, napi_enumerable, NULL },
		{ "callback", NULL, js_callback, NULL, NULL, NULL, napi_enumerable, NULL },
	};
	CHECK(env, napi_define_properties(env, exports,
					  sizeof props / sizeof props[0], props));
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
