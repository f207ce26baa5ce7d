/*
 * sbffi_wintest.dll: the Windows-only C side of test/windows.test.js
 * (built for Windows only, beside the shared libsbffi_test.dll).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdint.h>
#include <wchar.h>

#define EXPORT __declspec(dllexport)

/* --- LLP64 and wchar_t --- */
EXPORT long long_neg(long x) { return (long)(0ul - (unsigned long)x); }
EXPORT unsigned long ulong_max(void) { return ~0ul; }
EXPORT size_t wide_len(const wchar_t *s) { return wcslen(s); }
EXPORT wchar_t wide_at(const wchar_t *s, int i) { return s[i]; }
EXPORT int wide_is(wchar_t c, int code) { return c == (wchar_t)code; }

/* --- a crash inside a function called through sbffi ---
 * crash_arm() installs a vectored exception handler; crash_read(NULL)
 * then faults. The handler walks the faulting thread's stack from the
 * exception's context with RtlLookupFunctionEntry and RtlVirtualUnwind,
 * as a debugger or crash reporter does, recording each frame's module:
 * through sb_call only if its .pdata/.xdata are right. It resumes the
 * thread in crash_read's caller as if crash_read had returned 0xdead:
 * the context one unwind step up, so sb_call's own unwind data must be
 * exact for the process to go on. */
#define MAX_FRAMES 32

static volatile LONG armed;
static int nframes;
static char modules[MAX_FRAMES][64];

static void module_of(DWORD64 pc, char *out, size_t len)
{
	HMODULE m;
	wchar_t path[MAX_PATH];
	const wchar_t *base = path;
	DWORD n;

	out[0] = '\0';
	if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
				GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
				(LPCWSTR)(uintptr_t)pc, &m))
		return;
	n = GetModuleFileNameW(m, path, MAX_PATH);
	for (DWORD i = 0; i < n; i++)
		if (path[i] == L'\\' || path[i] == L'/')
			base = path + i + 1;
	WideCharToMultiByte(CP_UTF8, 0, base, -1, out, (int)len, NULL, NULL);
}

static LONG CALLBACK on_crash(EXCEPTION_POINTERS *ep)
{
	CONTEXT c = *ep->ContextRecord, resume = c;

	if (ep->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION ||
	    !InterlockedExchange(&armed, 0))
		return EXCEPTION_CONTINUE_SEARCH;
	for (nframes = 0; nframes < MAX_FRAMES; nframes++) {
		DWORD64 image, establisher;
		PVOID data;
		PRUNTIME_FUNCTION fn;

		module_of(c.Rip, modules[nframes], sizeof modules[0]);
		if (!modules[nframes][0])
			break;			/* not code of any module: the walk ends */
		fn = RtlLookupFunctionEntry(c.Rip, &image, NULL);
		if (fn) {
			RtlVirtualUnwind(UNW_FLAG_NHANDLER, image, c.Rip, fn, &c,
					 &data, &establisher, NULL);
		} else {			/* a leaf: the return address is at rsp */
			c.Rip = *(DWORD64 *)c.Rsp;
			c.Rsp += 8;
		}
		if (nframes == 0)
			resume = c;
		if (!c.Rip)
			break;
	}
	resume.Rax = 0xdead;
	*ep->ContextRecord = resume;
	return EXCEPTION_CONTINUE_EXECUTION;
}

EXPORT int crash_arm(void)
{
	static PVOID handler;

	if (!handler)
		handler = AddVectoredExceptionHandler(1, on_crash);
	nframes = 0;
	armed = 1;
	return handler != NULL;
}

EXPORT int crash_read(volatile int *p) { return *p; }

EXPORT int crash_frames(void) { return nframes; }

EXPORT const char *crash_module(int i)
{
	return i >= 0 && i < nframes ? modules[i] : NULL;
}
