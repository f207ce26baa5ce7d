/* Libraries and symbols for JavaScript, through the system loader of
 * src/dl.h. */
#include <stdio.h>
#include <stdlib.h>

#include "binding.h"
#include "dl.h"

struct sb_lib {
	void *handle;		/* NULL once closed */
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

/* dlopen(path | null) -> handle; null opens the running process */
static napi_value js_dlopen(napi_env env, napi_callback_info info)
{
	napi_value argv[1], out;
	napi_valuetype t;
	struct sb_lib *lib;
	char *path = NULL, why[SB_DL_WHY];
	size_t len = 0;
	void *h;

	if (sb_args(env, info, 1, argv))
		return NULL;
	SB_TRY(env, napi_typeof(env, argv[0], &t));
	if (t == napi_string) {
		SB_TRY(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
		if (!(path = malloc(len + 1)))
			return sb_throw(env, NULL, "sbffi: out of memory");
		napi_get_value_string_utf8(env, argv[0], path, len + 1, &len);
	} else if (t != napi_null && t != napi_undefined) {
		return sb_throw(env, NULL, "sbffi: dlopen takes a path or null");
	}
	h = sb_dl_open(path, why);
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
		{ "dlclose", js_dlclose },
	};
	return sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);
}
