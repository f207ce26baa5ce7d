# Linux on x86-64: System V AMD64 ABI, ELF objects.
SO = .so
LIB_LDFLAGS = -shared -fPIC
# Node-API symbols come from the node binary when the addon loads.
ADDON_LDFLAGS = -shared -Wl,-z,noexecstack -Wl,-z,relro,-z,now

$(O)/sysv_x64.o: asm/sysv_x64.asm $(B)/frame.inc
	@mkdir -p $(@D)
	$(NASM) -f elf64 -I$(B)/ -o $@ $<
