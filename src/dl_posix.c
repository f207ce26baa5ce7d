/* The system loader on POSIX: dlfcn, errors from dlerror(). */
#define _GNU_SOURCE		/* dlinfo, dl_iterate_phdr and RTLD_DEEPBIND */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>

#include "dl.h"
#include "elf_symbols.h"

/* glibc 2.34 moved dlfcn from libdl into libc under new symbol versions.
 * Bound to the first versions instead, the addon loads on every glibc
 * since (x86-64: GLIBC_2.2.5, aarch64: GLIBC_2.17, set by the platform
 * file as SB_GLIBC_BASE; dlinfo came later on x86-64, SB_GLIBC_DLINFO):
 * there the functions are in libdl, which node itself links, with the
 * same versions. */
#ifdef SB_GLIBC_BASE
__asm__(".symver dlopen, dlopen@" SB_GLIBC_BASE);
__asm__(".symver dlsym, dlsym@" SB_GLIBC_BASE);
__asm__(".symver dlclose, dlclose@" SB_GLIBC_BASE);
__asm__(".symver dlerror, dlerror@" SB_GLIBC_BASE);
__asm__(".symver dlinfo, dlinfo@" SB_GLIBC_DLINFO);
#endif

static void say_why(char why[SB_DL_WHY])
{
	const char *e = dlerror();

	snprintf(why, SB_DL_WHY, "%s", e ? e : "unknown error");
}

/* The loader appends each object it loads to its list, which
 * dl_iterate_phdr walks: an object that comes after the list's last one
 * of before the open is new, one before it was in the process already
 * (and kept the binding of its first load). Objects are told apart by
 * where they are mapped. */
static int last_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(ElfW(Addr) *)data = info->dlpi_addr;
	return 0;
}

struct after {
	ElfW(Addr) last, base;
	int past_last, found;
};

static int find_after(struct dl_phdr_info *info, size_t size, void *data)
{
	struct after *a = data;

	(void)size;
	if (a->past_last && info->dlpi_addr == a->base)
		return a->found = 1;
	if (info->dlpi_addr == a->last)
		a->past_last = 1;
	return 0;
}

/* what the running program, as the loader has it, exports of lib's */
static void interposed(const struct link_map *lib, struct sb_dl_interposed *found)
{
	void *self = dlopen(NULL, RTLD_LAZY);
	struct link_map *program;

	if (!self)
		return;
	if (dlinfo(self, RTLD_DI_LINKMAP, &program) == 0)
		sb_elf_interposed(program, lib, found);
	dlclose(self);
}

void *sb_dl_open(const char *path, int flags, struct sb_dl_interposed *found,
		 char why[SB_DL_WHY])
{
	int mode = (flags & SB_DL_LAZY ? RTLD_LAZY : RTLD_NOW) |
		   (flags & SB_DL_GLOBAL ? RTLD_GLOBAL : RTLD_LOCAL);
	/* look only at a library this open loads where the program's symbols
	 * come first, unless told not to */
	int look = path && !(flags & (SB_DL_DEEPBIND | SB_DL_QUIET));
	struct after after = { 0 };
	struct link_map *map;
	void *h;

	found->count = 0;
	if (look)
		dl_iterate_phdr(last_object, &after.last);
	if (flags & SB_DL_DEEPBIND) {
#ifdef RTLD_DEEPBIND
		mode |= RTLD_DEEPBIND;
#else
		/* musl: the program's symbols would still come first for a
		 * library (for the process itself, path NULL, there is nothing
		 * to bind otherwise) */
		if (path) {
			snprintf(why, SB_DL_WHY, "option deepbind: this C library has no RTLD_DEEPBIND");
			return NULL;
		}
#endif
	}
	h = dlopen(path, mode);
	if (!h)
		say_why(why);
	else if (look && dlinfo(h, RTLD_DI_LINKMAP, &map) == 0) {
		after.base = map->l_addr;
		dl_iterate_phdr(find_after, &after);
		if (after.found)
			interposed(map, found);
	}
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
