/* Libraries and symbols for JavaScript, through the system loader of
 * src/dl.h. */
#include <stdio.h>
#include <stdlib.h>

#include "binding.h"
#include "dl.h"

struct sb_lib {
	void *handle;		/* NULL once closed */
	struct sb_dl_interposed found;	/* what dlinterposed() says */
};

static void free_lib(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	free(data);	/* a library stays loaded unless closed: code may still point into it */
}

static struct sb_lib *get_lib(napi_env env, napi_value v)
{
	struct sb_lib *lib = NULL;

	if (napi_get_value_external(env, v, (void **)&lib) != napi_ok || !lib) {
		sb_throw(env, NULL, "sbffi: not a library handle");
		return NULL;
	}
	if (!lib->handle) {
		sb_throw(env, "ERR_SBFFI_CLOSED", "sbffi: library is closed");
		return NULL;
	}
	return lib;
}

/* "sbffi: <what, naming name>: <the loader's words>" */
static napi_value throw_loader(napi_env env, const char *what, const char *name,
			       const char *why)
{
	char msg[SB_DL_WHY + 600];
	int n = snprintf(msg, sizeof msg, what, name);

	if (n >= 0 && (size_t)n < sizeof msg)
		snprintf(msg + n, sizeof msg - (size_t)n, ": %s", why);
	return sb_throw(env, "ERR_SBFFI_DLOPEN", msg);
}

/* dlopen(path | null[, flags[, look]]) -> handle; null opens the running
 * process; flags: the values of dlFlags, or'ed; look false: nothing is
 * looked for that dlinterposed() would tell (deepbind: false, given) */
static napi_value js_dlopen(napi_env env, napi_callback_info info)
{
	napi_value argv[3], out;
	napi_valuetype t;
	struct sb_lib *lib;
	char *path = NULL, why[SB_DL_WHY];
	struct sb_dl_interposed found;
	size_t len = 0;
	int32_t flags = 0;
	bool look = true;
	void *h;

	if (sb_args(env, info, 3, argv))
		return NULL;
	SB_TRY(env, napi_typeof(env, argv[1], &t));
	if (t != napi_undefined && napi_get_value_int32(env, argv[1], &flags) != napi_ok)
		return sb_throw(env, NULL, "sbffi: dlopen flags must be a number");
	flags &= SB_DL_LAZY | SB_DL_GLOBAL | SB_DL_DEEPBIND;
	SB_TRY(env, napi_typeof(env, argv[2], &t));
	if (t != napi_undefined && napi_get_value_bool(env, argv[2], &look) != napi_ok)
		return sb_throw(env, NULL, "sbffi: dlopen's look must be a boolean");
	if (!look)
		flags |= SB_DL_QUIET;
	SB_TRY(env, napi_typeof(env, argv[0], &t));
	if (t == napi_string) {
		SB_TRY(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
		if (!(path = malloc(len + 1)))
			return sb_throw(env, NULL, "sbffi: out of memory");
		napi_get_value_string_utf8(env, argv[0], path, len + 1, &len);
	} else if (t != napi_null && t != napi_undefined) {
		return sb_throw(env, NULL, "sbffi: dlopen takes a path or null");
	}
	h = sb_dl_open(path, flags, &found, why);
	if (!h) {
		throw_loader(env, "sbffi: cannot open library '%s'", path ? path : "(null)", why);
		free(path);
		return NULL;
	}
	free(path);
	if (!(lib = malloc(sizeof *lib))) {
		sb_dl_close(h, why);
		return sb_throw(env, NULL, "sbffi: out of memory");
	}
	lib->handle = h;
	lib->found = found;
	if (napi_create_external(env, lib, free_lib, NULL, &out) != napi_ok) {
		sb_dl_close(h, why);
		free(lib);
		sb_throw_last(env, "napi_create_external");
		return NULL;
	}
	return out;
}

/* dlsym(handle, name) -> BigInt address */
static napi_value js_dlsym(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	struct sb_lib *lib;
	char name[512], why[SB_DL_WHY];
	void *p;

	if (sb_args(env, info, 2, argv) || !(lib = get_lib(env, argv[0])))
		return NULL;
	if (sb_get_string(env, argv[1], name, sizeof name))
		return sb_throw(env, NULL, "sbffi: symbol name must be a string");
	p = sb_dl_sym(lib->handle, name, why);
	if (!p)
		return throw_loader(env, "sbffi: symbol '%s' not found", name, why);
	return sb_make_pointer(env, p);
}

/* dlinterposed(handle) -> { count, names } of the symbols its open found
 * the executable exports too (src/dl.h), or null: none */
static napi_value js_dlinterposed(napi_env env, napi_callback_info info)
{
	napi_value argv[1], out, names, v;
	struct sb_lib *lib;

	if (sb_args(env, info, 1, argv) || !(lib = get_lib(env, argv[0])))
		return NULL;
	if (lib->found.count == 0) {
		SB_TRY(env, napi_get_null(env, &out));
		return out;
	}
	SB_TRY(env, napi_create_object(env, &out));
	SB_TRY(env, napi_create_uint32(env, lib->found.count, &v));
	SB_TRY(env, napi_set_named_property(env, out, "count", v));
	SB_TRY(env, napi_create_array(env, &names));
	for (unsigned i = 0; i < lib->found.count && i < SB_DL_SHOWN; i++) {
		SB_TRY(env, napi_create_string_utf8(env, lib->found.names[i], NAPI_AUTO_LENGTH, &v));
		SB_TRY(env, napi_set_element(env, names, i, v));
	}
	SB_TRY(env, napi_set_named_property(env, out, "names", names));
	return out;
}

static napi_value js_dlclose(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	struct sb_lib *lib;
	char why[SB_DL_WHY];

	if (sb_args(env, info, 1, argv) || !(lib = get_lib(env, argv[0])))
		return NULL;
	if (sb_dl_close(lib->handle, why) != 0)
		return throw_loader(env, "sbffi: cannot close library%s", "", why);
	lib->handle = NULL;
	return NULL;
}

napi_status sb_init_dl(napi_env env, napi_value exports)
{
	static const struct sb_export fns[] = {
		{ "dlopen", js_dlopen },
		{ "dlsym", js_dlsym },
		{ "dlinterposed", js_dlinterposed },
		{ "dlclose", js_dlclose },
	};
	/* dlopen's options by name, the flags they set */
	static const struct { const char *name; int32_t flag; } options[] = {
		{ "lazy", SB_DL_LAZY },
		{ "global", SB_DL_GLOBAL },
		{ "deepbind", SB_DL_DEEPBIND },
	};
	napi_value obj, v;
	napi_status s = sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);

	if (s == napi_ok)
		s = napi_create_object(env, &obj);
	for (size_t i = 0; s == napi_ok && i < sizeof options / sizeof options[0]; i++) {
		s = napi_create_int32(env, options[i].flag, &v);
		if (s == napi_ok)
			s = napi_set_named_property(env, obj, options[i].name, v);
	}
	if (s == napi_ok)
		s = napi_set_named_property(env, exports, "dlFlags", obj);
	return s;
}
