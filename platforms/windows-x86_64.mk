# Windows on x86-64: Microsoft x64 convention, PE objects, cross-built with
# mingw-w64 (CC = x86_64-w64-mingw32-gcc) and nasm -f win64.
SO = .dll
# the loader is LoadLibraryW and GetProcAddress, not dlfcn
DL_SRC = src/windows/dl_win32.c
TOOL_PREFIX = $(patsubst %gcc,%,$(firstword $(CC)))
AR = $(TOOL_PREFIX)ar
NM = $(TOOL_PREFIX)nm
DLLTOOL = $(TOOL_PREFIX)dlltool
# no libgcc DLL to ship next to the addon
LIB_LDFLAGS = -shared -static-libgcc
ADDON_LDFLAGS = -shared -static-libgcc
# PE code is position independent without -fPIC; gcc there emulates TLS
CFLAGS_ALL := $(filter-out -fPIC,$(CFLAGS_ALL)) -DSB_TLS=__thread


$(O)/%.o: asm/%.asm asm/eh_frame.inc $(B)/frame.inc
	@mkdir -p $(@D)
	$(NASM) -f win64 -I$(B)/ -Iasm/ -o $@ $<

# Node-API comes from node.exe itself: an import library for node.exe of
# the napi_* functions the binding's objects use, listed from their
# undefined symbols, so the list is never stale. Nothing is downloaded.
# (js_native_api.h says so: NAPI_EXTERN is dllimport for an addon.)
NODE_IMPLIB = $(B)/libnode.a
$(BINDING_OBJ): CFLAGS_ALL += '-DNAPI_EXTERN=__declspec(dllimport)'

$(B)/node.def: $(BINDING_OBJ)
	{ echo 'LIBRARY node.exe'; echo 'EXPORTS'; \
	  $(NM) -u $(BINDING_OBJ) | sed -n 's/^ *U __imp_\(napi_[A-Za-z0-9_]*\)$$/\1/p' | sort -u; } > $@

$(NODE_IMPLIB): $(B)/node.def
	$(DLLTOOL) -d $< -l $@

$(ADDON): $(NODE_IMPLIB)
$(ADDON): LDFLAGS_ALL += $(NODE_IMPLIB)
