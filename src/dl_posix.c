/* The system loader on POSIX: dlfcn, errors from dlerror(). */
#include <dlfcn.h>
#include <stdio.h>

#include "dl.h"

/* glibc 2.34 moved dlfcn from libdl into libc under new symbol versions.
 * Bound to the first versions instead, the addon loads on every glibc
 * since (x86-64: GLIBC_2.2.5, aarch64: GLIBC_2.17, set by the platform
 * file as SB_GLIBC_BASE): there the functions are in libdl, which node
 * itself links, with the same versions. */
#ifdef SB_GLIBC_BASE
__asm__(".symver dlopen, dlopen@" SB_GLIBC_BASE);
__asm__(".symver dlsym, dlsym@" SB_GLIBC_BASE);
__asm__(".symver dlclose, dlclose@" SB_GLIBC_BASE);
__asm__(".symver dlerror, dlerror@" SB_GLIBC_BASE);
#endif

static void say_why(char why[SB_DL_WHY])
{
	const char *e = dlerror();

	snprintf(why, SB_DL_WHY, "%s", e ? e : "unknown error");
}

void *sb_dl_open(const char *path, char why[SB_DL_WHY])
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		say_why(why);
	return h;
}

void *sb_dl_sym(void *lib, const char *name, char why[SB_DL_WHY])
{
	void *p;

	dlerror();
	p = dlsym(lib, name);
	if (!p)
		say_why(why);
	return p;
}

int sb_dl_close(void *lib, char why[SB_DL_WHY])
{
	if (dlclose(lib) == 0)
		return 0;
	say_why(why);
	return -1;
}
