/* Dynamic symbol tables of loaded ELF objects (src/elf_symbols.c), for the
 * loader of ELF systems (src/dl_posix.c): the platform file adds it to
 * DL_SRC. */
#ifndef SB_ELF_SYMBOLS_H
#define SB_ELF_SYMBOLS_H

#include <link.h>

#include "dl.h"

/* *found for the library lib, against the exports of program (the running
 * executable), both as the loader has them; count 0 where the executable
 * has no .gnu.hash to look names up in (every linker of this century
 * writes one). */
void sb_elf_interposed(const struct link_map *program, const struct link_map *lib,
		       struct sb_dl_interposed *found);

#endif
