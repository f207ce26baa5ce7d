/* The system loader, one file per OS (src/dl_posix.c, src/windows/dl_win32.c,
 * chosen by the platform file as DL_SRC). Each call that fails says why in
 * the loader's own words, in `why`. */
#ifndef SB_DL_H
#define SB_DL_H

#define SB_DL_WHY 512

/* path NULL: the running process, its symbols as the C runtime finds them */
void *sb_dl_open(const char *path, char why[SB_DL_WHY]);
void *sb_dl_sym(void *lib, const char *name, char why[SB_DL_WHY]);
int sb_dl_close(void *lib, char why[SB_DL_WHY]);

#endif
