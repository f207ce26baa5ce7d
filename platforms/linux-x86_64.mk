# Linux on x86-64: System V AMD64 ABI, ELF objects.
SO = .so
# the loader, and what it finds of node's symbols in an ELF library
DL_SRC = src/dl_posix.c src/elf_symbols.c
# the oldest symbol version of glibc on x86-64, and dlinfo's: src/dl_posix.c
$(O)/dl_posix.o: CFLAGS_ALL += -DSB_GLIBC_BASE='"GLIBC_2.2.5"' -DSB_GLIBC_DLINFO='"GLIBC_2.3.3"'
LIB_LDFLAGS = -shared -fPIC
# Node-API symbols come from the node binary when the addon loads.
ADDON_LDFLAGS = -shared -Wl,-z,noexecstack -Wl,-z,relro,-z,now

# asm/sysv_x64.asm; asm/win64.asm too, for the Win64 test mode (Makefile.in)
$(O)/%.o: asm/%.asm asm/eh_frame.inc $(B)/frame.inc
	@mkdir -p $(@D)
	$(NASM) -f elf64 -I$(B)/ -Iasm/ -o $@ $<

# make check also tests Win64 from here: on Linux, and under wine
# (Makefile.in, "Win64")
CHECK_WIN64 = $(MAKE) check-win64 SEED=$(SEED)
# and the npm package: the typings, then the three prebuilt binaries packed,
# installed and used as a user would (Makefile.in, "the npm package")
CHECK_DIST = $(MAKE) check-types && $(MAKE) check-dist
