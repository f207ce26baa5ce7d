/* The system loader on Windows (src/dl.h): the platform file
 * (platforms/windows-x86_64.mk) names this file as DL_SRC.
 * Paths are UTF-8 from JavaScript, UTF-16 for LoadLibraryExW; a bare name
 * such as "msvcrt.dll" goes through the normal DLL search. The handle of
 * dlopen(null) is the process: its symbols are looked up in node.exe, then
 * in the C runtime node.exe uses, then in every other module loaded, in
 * load order, so strlen and GetCurrentProcessId are found as on POSIX
 * dlsym(RTLD_DEFAULT). Errors carry the FormatMessage text.
 * The dlopen options change nothing here: each import of a DLL names the
 * DLL it comes from and is bound when the DLL loads, so no DLL's symbols
 * are ever taken for another's (lazy, global and deepbind have nothing to
 * do), nor any found. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"

/* the handle of dlopen(null): no module, the whole process */
static char process;

/* "<FormatMessage text> (error <n>)", in UTF-8 */
static void say_why(char why[SB_DL_WHY], DWORD code)
{
	wchar_t *wmsg = NULL;
	char text[SB_DL_WHY - 32] = "";
	size_t n;

	if (FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
			   FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0,
			   (LPWSTR)&wmsg, 0, NULL) && wmsg) {
		WideCharToMultiByte(CP_UTF8, 0, wmsg, -1, text, sizeof text, NULL, NULL);
		LocalFree(wmsg);
	}
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	snprintf(why, SB_DL_WHY, "%s (error %lu)", text, (unsigned long)code);
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

void *sb_dl_open(const char *path, int options, struct sb_dl_interposed *found,
		 char why[SB_DL_WHY])
{
	wchar_t *wpath;
	DWORD flags = 0;
	HMODULE h;

	(void)options;
	found->count = 0;
	if (!path)
		return &process;
	if (!(wpath = widen_path(path))) {
		say_why(why, ERROR_NO_UNICODE_TRANSLATION);
		return NULL;
	}
	/* a path with a directory: its DLL's own dependencies are searched
	 * beside it, as a user of dlopen expects */
	if (wcschr(wpath, L'\\'))
		flags = LOAD_WITH_ALTERED_SEARCH_PATH;
	h = LoadLibraryExW(wpath, NULL, flags);
	free(wpath);
	if (!h)
		say_why(why, GetLastError());
	return h;
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

void *sb_dl_sym(void *lib, const char *name, char why[SB_DL_WHY])
{
	void *p = lib == &process ? process_symbol(name)
				  : (void *)GetProcAddress(lib, name);

	if (!p)
		say_why(why, GetLastError());
	return p;
}

int sb_dl_close(void *lib, char why[SB_DL_WHY])
{
	if (lib == &process || FreeLibrary(lib))
		return 0;
	say_why(why, GetLastError());
	return -1;
}
