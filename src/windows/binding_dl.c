/* Libraries and symbols through the Windows loader: the platform file
 * (platforms/windows-x86_64.mk) puts this file in place of src/binding_dl.c.
 * Paths are UTF-8 from JavaScript, UTF-16 for LoadLibraryExW; a bare name
 * such as "msvcrt.dll" goes through the normal DLL search. The handle of
 * dlopen(null) is the process: its symbols are looked up in node.exe, then
 * in the C runtime node.exe uses, then in every other module loaded, in
 * load order, so strlen and GetCurrentProcessId are found as on POSIX
 * dlsym(RTLD_DEFAULT). Errors carry the FormatMessage text. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

struct sb_lib {
	HMODULE handle;		/* NULL once closed */
	int process;		/* dlopen(null): the whole process */
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

/* "sbffi: <what>: <FormatMessage text> (error <n>)", in UTF-8 */
static napi_value throw_win32(napi_env env, const char *fmt, const char *name,
			      DWORD code)
{
	wchar_t *wmsg = NULL;
	char why[512] = "", msg[1200];
	size_t n;

	if (FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
			   FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0,
			   (LPWSTR)&wmsg, 0, NULL) && wmsg) {
		WideCharToMultiByte(CP_UTF8, 0, wmsg, -1, why, sizeof why, NULL, NULL);
		LocalFree(wmsg);
	}
	n = strlen(why);
	while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == '\r' || why[n - 1] == ' '))
		why[--n] = '\0';
	snprintf(msg, sizeof msg, fmt, name);
	n = strlen(msg);
	snprintf(msg + n, sizeof msg - n, ": %s (error %lu)", why,
		 (unsigned long)code);
	sb_throw(env, "ERR_SBFFI_DLOPEN", msg);
	return NULL;
}

/* UTF-8 -> UTF-16, with '/' as '\\' (LoadLibrary wants backslashes);
 * NULL on bad input */
static wchar_t *widen_path(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0 || !(w = malloc((size_t)n * sizeof *w)))
		return NULL;
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
	for (wchar_t *p = w; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	return w;
}

/* dlopen(path | null) -> handle; null opens the running process */
static napi_value js_dlopen(napi_env env, napi_callback_info info)
{
	napi_value argv[1], out;
	napi_valuetype t;
	struct sb_lib *lib;
	char *path = NULL;
	size_t len = 0;
	HMODULE h;

	if (sb_args(env, info, 1, argv))
		return NULL;
	SB_TRY(env, napi_typeof(env, argv[0], &t));
	if (t == napi_string) {
		wchar_t *wpath;
		DWORD flags = 0;

		SB_TRY(env, napi_get_value_string_utf8(env, argv[0], NULL, 0, &len));
		if (!(path = malloc(len + 1)))
			return sb_throw(env, NULL, "sbffi: out of memory");
		napi_get_value_string_utf8(env, argv[0], path, len + 1, &len);
		if (!(wpath = widen_path(path))) {
			throw_win32(env, "sbffi: cannot open library '%s'", path,
				    ERROR_NO_UNICODE_TRANSLATION);
			free(path);
			return NULL;
		}
		/* a path with a directory: its DLL's own dependencies are
		 * searched beside it, as a user of dlopen expects */
		if (wcschr(wpath, L'\\'))
			flags = LOAD_WITH_ALTERED_SEARCH_PATH;
		h = LoadLibraryExW(wpath, NULL, flags);
		free(wpath);
		if (!h) {
			throw_win32(env, "sbffi: cannot open library '%s'", path, GetLastError());
			free(path);
			return NULL;
		}
		free(path);
	} else if (t == napi_null || t == napi_undefined) {
		h = GetModuleHandleW(NULL);
	} else {
		return sb_throw(env, NULL, "sbffi: dlopen takes a path or null");
	}
	if (!(lib = malloc(sizeof *lib))) {
		if (t == napi_string)
			FreeLibrary(h);
		return sb_throw(env, NULL, "sbffi: out of memory");
	}
	lib->handle = h;
	lib->process = t != napi_string;
	if (napi_create_external(env, lib, free_lib, NULL, &out) != napi_ok) {
		if (!lib->process)
			FreeLibrary(h);
		free(lib);
		sb_throw_last(env, "napi_create_external");
		return NULL;
	}
	return out;
}

/* The process's symbol: node.exe, its C runtime, then every module. */
static void *process_symbol(const char *name)
{
	static const wchar_t *const crt[] = { L"ucrtbase.dll", L"msvcrt.dll" };
	HMODULE mods[1024];
	DWORD bytes = 0;
	FARPROC p;

	if ((p = GetProcAddress(GetModuleHandleW(NULL), name)))
		return (void *)p;
	for (size_t i = 0; i < sizeof crt / sizeof crt[0]; i++) {
		HMODULE m = GetModuleHandleW(crt[i]);

		if (m && (p = GetProcAddress(m, name)))
			return (void *)p;
	}
	if (!K32EnumProcessModules(GetCurrentProcess(), mods, sizeof mods, &bytes))
		return NULL;
	if (bytes > sizeof mods)
		bytes = sizeof mods;
	for (DWORD i = 0; i < bytes / sizeof mods[0]; i++)
		if ((p = GetProcAddress(mods[i], name)))
			return (void *)p;
	SetLastError(ERROR_PROC_NOT_FOUND);
	return NULL;
}

/* dlsym(handle, name) -> BigInt address */
static napi_value js_dlsym(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	struct sb_lib *lib;
	char name[512];
	void *p;

	if (sb_args(env, info, 2, argv) || !(lib = get_lib(env, argv[0])))
		return NULL;
	if (sb_get_string(env, argv[1], name, sizeof name))
		return sb_throw(env, NULL, "sbffi: symbol name must be a string");
	p = lib->process ? process_symbol(name)
			 : (void *)GetProcAddress(lib->handle, name);
	if (!p)
		return throw_win32(env, "sbffi: symbol '%s' not found", name, GetLastError());
	return sb_make_pointer(env, p);
}

static napi_value js_dlclose(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	struct sb_lib *lib;

	if (sb_args(env, info, 1, argv) || !(lib = get_lib(env, argv[0])))
		return NULL;
	if (!lib->process && !FreeLibrary(lib->handle))
		return throw_win32(env, "sbffi: cannot close library%s", "", GetLastError());
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
