/* The error codes a C function leaves its thread, per OS: errno, and on
 * Windows GetLastError() too. Both are thread-local, and anything that
 * runs on the thread may change them (Node, V8, the C runtime), so a call
 * declared { errno: true } sets them from its frame just before the
 * target and saves them just after it. */
#ifndef SB_OSERROR_H
#define SB_OSERROR_H

#include <errno.h>

#include "sbffi.h"

#ifdef _WIN32
#include <windows.h>

/* errno is the C runtime's the addon links, msvcrt, which mingw-built
 * DLLs use too. Its _errno() may go through TlsGetValue, which sets the
 * last error: errno is set first and read last. */
static inline void sb_error_load(const struct sb_frame *f)
{
	errno = f->err;
	SetLastError(f->last_error);
}

static inline void sb_error_store(struct sb_frame *f)
{
	f->last_error = GetLastError();
	f->err = errno;
}
#else
static inline void sb_error_load(const struct sb_frame *f) { errno = f->err; }
static inline void sb_error_store(struct sb_frame *f) { f->err = errno; }
#endif

#endif
