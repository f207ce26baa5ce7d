# Linux on arm64: AAPCS64, ELF objects. The dispatcher is GNU as through
# the C compiler, which runs the preprocessor on .S for src/frame.h.
SO = .so
# the loader, and what it finds of node's symbols in an ELF library
DL_SRC = src/dl_posix.c src/elf_symbols.c
# a cross compiler's own strip (aarch64-linux-gnu-strip)
STRIP = $(if $(filter %gcc,$(CC)),$(CC:%gcc=%strip),strip) --strip-debug
# glibc's first version on aarch64, dlinfo's too: src/dl_posix.c
$(O)/dl_posix.o: CFLAGS_ALL += -DSB_GLIBC_BASE='"GLIBC_2.17"' -DSB_GLIBC_DLINFO='"GLIBC_2.17"'
LIB_LDFLAGS = -shared -fPIC
# Node-API symbols come from the node binary when the addon loads.
ADDON_LDFLAGS = -shared -Wl,-z,noexecstack -Wl,-z,relro,-z,now
# BTI landing pads and return address signing in hint space, as asm/aapcs64.S
CFLAGS_ALL += -mbranch-protection=standard

$(O)/aapcs64.o: asm/aapcs64.S src/frame.h
	@mkdir -p $(@D)
	$(CC) -Isrc -c -o $@ $<
