/* The system loader, one file per OS (src/dl_posix.c, src/windows/dl_win32.c,
 * chosen by the platform file as DL_SRC). Each call that fails says why in
 * the loader's own words, in `why`. */
#ifndef SB_DL_H
#define SB_DL_H

#define SB_DL_WHY 512

/* What JavaScript's dlopen options ask of the loader (lib/index.js takes
 * their names and values from the binding's dlFlags). */
#define SB_DL_LAZY 1		/* functions bound at their first call */
#define SB_DL_GLOBAL 2		/* its symbols seen by libraries opened later */
#define SB_DL_DEEPBIND 4	/* its own symbols before the program's */
/* not an option: deepbind: false, given, asks for no warning, so nothing
 * is looked for (found->count stays 0) */
#define SB_DL_QUIET 8

/* What sb_dl_open found of a library it loaded where the program's own
 * symbols take precedence over a library's (ELF, without SB_DL_DEEPBIND):
 * how many of the symbols the library defines the executable exports too,
 * and the largest of them (code or data) by name, largest first. count 0:
 * none, or nothing was looked at. */
#define SB_DL_SHOWN 3
#define SB_DL_NAME 128
struct sb_dl_interposed {
	unsigned count;
	char names[SB_DL_SHOWN][SB_DL_NAME];	/* min(count, SB_DL_SHOWN) of them */
};

/* path NULL: the running process, its symbols as the C runtime finds them.
 * flags: SB_DL_*; one that this loader cannot honour where it would matter
 * fails the open, naming the option. *found: of a library this call
 * loaded (one already in the process kept the binding of its first load). */
void *sb_dl_open(const char *path, int flags, struct sb_dl_interposed *found,
		 char why[SB_DL_WHY]);
void *sb_dl_sym(void *lib, const char *name, char why[SB_DL_WHY]);
int sb_dl_close(void *lib, char why[SB_DL_WHY]);

#endif
