/* Native memory seen from JavaScript: addresses, C strings, views. */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "frame.h"

/* addressOf(ArrayBuffer | TypedArray | DataView | Buffer) -> Number:
 * the data address, exact because user-space addresses are below 2^53 */
static napi_value address_of(napi_env env, napi_callback_info info)
{
	napi_value argv[1], out;
	bool yes = false;
	void *data = NULL;
	size_t len;

	if (sb_args(env, info, 1, argv))
		return NULL;
	if (napi_is_arraybuffer(env, argv[0], &yes) == napi_ok && yes) {
		SB_TRY(env, napi_get_arraybuffer_info(env, argv[0], &data, &len));
	} else if (napi_is_typedarray(env, argv[0], &yes) == napi_ok && yes) {
		napi_typedarray_type type;

		SB_TRY(env, napi_get_typedarray_info(env, argv[0], &type, &len,
						     &data, NULL, NULL));
	} else if (napi_is_dataview(env, argv[0], &yes) == napi_ok && yes) {
		SB_TRY(env, napi_get_dataview_info(env, argv[0], &len, &data,
						   NULL, NULL));
	} else {
		return sb_throw(env, NULL, "sbffi: not a buffer");
	}
	SB_TRY(env, napi_create_double(env, (double)(uintptr_t)data, &out));
	return out;
}

static napi_value cstring(napi_env env, const char *s)
{
	napi_value v;

	if (!s)
		SB_TRY(env, napi_get_null(env, &v));
	else
		SB_TRY(env, napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v));
	return v;
}

/* readCString(BigInt) -> string | null */
static napi_value read_cstring(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	void *p;

	if (sb_args(env, info, 1, argv) || sb_get_pointer(env, argv[0], &p))
		return sb_throw(env, NULL, "sbffi: readCString takes a BigInt pointer");
	return cstring(env, p);
}

/* retCString() -> the string the last call returned: the pointer never
 * leaves the frame */
static napi_value ret_cstring(napi_env env, napi_callback_info info)
{
	struct sb_env *e;
	const char *s;

	(void)info;
	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	memcpy(&s, (char *)e->frame + SB_OFF_RET_GPR, sizeof s);
	return cstring(env, s);
}

static void no_free(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)data;
	(void)hint;
}

/* view(BigInt, length) -> ArrayBuffer over that memory; a copy where the
 * embedder forbids external buffers */
static napi_value view(napi_env env, napi_callback_info info)
{
	napi_value argv[2], out;
	void *p, *copy;
	int64_t len;
	napi_status s;

	if (sb_args(env, info, 2, argv) || sb_get_pointer(env, argv[0], &p) ||
	    napi_get_value_int64(env, argv[1], &len) != napi_ok || len < 0)
		return sb_throw(env, NULL, "sbffi: view takes a BigInt pointer and a length");
	s = napi_create_external_arraybuffer(env, p, (size_t)len, no_free, NULL, &out);
	if (s == napi_ok)
		return out;
	if (s != napi_no_external_buffers_allowed)
		return sb_throw(env, NULL, "sbffi: cannot create a view");
	SB_TRY(env, napi_create_arraybuffer(env, (size_t)len, &copy, &out));
	memcpy(copy, p, (size_t)len);
	return out;
}

/* copy(BigInt, TypedArray): its bytes to that memory, as a view of it
 * may be a copy (embedders that forbid external buffers) */
static napi_value copy_to(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	napi_typedarray_type type;
	bool yes = false;
	void *p, *data;
	size_t len;

	if (sb_args(env, info, 2, argv) || sb_get_pointer(env, argv[0], &p) ||
	    napi_is_typedarray(env, argv[1], &yes) != napi_ok || !yes ||
	    napi_get_typedarray_info(env, argv[1], &type, &len, &data, NULL, NULL) != napi_ok ||
	    type != napi_uint8_array)
		return sb_throw(env, NULL, "sbffi: copy takes a BigInt pointer and a Uint8Array");
	if (len)
		memcpy(p, data, len);
	return NULL;
}

napi_status sb_init_mem(napi_env env, napi_value exports)
{
	static const struct sb_export fns[] = {
		{ "addressOf", address_of },
		{ "copy", copy_to },
		{ "readCString", read_cstring },
		{ "retCString", ret_cstring },
		{ "view", view },
	};
	return sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);
}
