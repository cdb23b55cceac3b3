# conlink - one multi-call binary.
#
#   make            build/conlink (warnings are errors)
#   make san        build-san/conlink with AddressSanitizer + UBSan
#   make static     build/conlink-static: wait, copy, echo, ns-exec with no libc deps
#   make CROSS=aarch64-linux-gnu BUILD=build-arm64 all static   (cross build)
#   make test       install deps, build all, run every suite (see tests/run)
#   make check T=... [F=REGEX]  build, then tests/run T (levels and/or bats
#                   files; default every level) with -f F: e.g.
#                   make check T=tests/netns/link-veth.bats F=IPv6
#   make demo       the network demo (scripts/demo.sh)
#   make bench      the benchmarks (scripts/bench-*.sh)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libmnl libnftnl yaml-0.1 libcurl jansson
PREFIX ?= /usr/local
BUILD ?= build

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -Iinclude -D_GNU_SOURCE -MMD -MP
# libmicrohttpd serves --metrics (core/daemon/metrics.c); a build without
# it (an image whose build stage lacks libmicrohttpd-dev) still works, its
# --metrics says so. The static build links core/lib only: never needs it.
# Only its header is used at build time: metrics.c loads the library when
# --metrics is given (its GnuTLS tree would cost every process otherwise).
MHD := $(shell $(PKG_CONFIG) --exists libmicrohttpd 2>/dev/null && echo libmicrohttpd)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(MHD) 2>/dev/null)$(if $(MHD), -DHAVE_MICROHTTPD)
# libcurl likewise: its header only, loaded when an engine is used
# (core/engine/curl_load.c): not on the link line.
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)

ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

SRCS := $(sort $(wildcard core/*.c core/*/*.c applets/*.c))
OBJS := $(SRCS:%.c=$(BUILD)/%.o)

# The static binary: the applets that run inside arbitrary containers,
# linked against core/lib only (libc and kernel UAPI: Debian ships no static
# libmnl). The linker takes from the archive just the objects they use.
# applets.def marks them IN_STATIC; NAME_main lives in applets/NAME.c (one
# file may serve two names: wait and wait.sh).
STATIC_MAINS := $(shell sed -n 's/^APPLET."[^"]*", *\([a-z_]*\)_main,.*IN_STATIC.*/\1/p' applets/applets.def)
STATIC_APPLETS := applets/main.c $(patsubst %,applets/%.c,$(sort $(STATIC_MAINS)))
STATIC_OBJS := $(STATIC_APPLETS:%.c=$(BUILD)/static/%.o)
LIB_SRCS := $(sort $(wildcard core/lib/*.c))
STATIC_LIB := $(BUILD)/static/core-lib.a

# musl makes the static binary ~8x smaller than glibc (no NSS, no locale
# tables). musl-gcc does not see the kernel's UAPI headers on its own, so
# give it just those three directories. Without musl-gcc: glibc -static.
MUSL_GCC := $(shell command -v musl-gcc 2>/dev/null)
MUSL_INC := $(BUILD)/musl-include
STATIC_CC := $(if $(MUSL_GCC),musl-gcc -idirafter $(MUSL_INC),$(CC))
MULTIARCH := $(shell $(CC) -dumpmachine)
KERNEL_ASM := /usr/include/$(MULTIARCH)/asm
STRIP := strip

# Cross builds, e.g. make CROSS=aarch64-linux-gnu BUILD=build-arm64 all static:
# Debian's cross gcc, the -dev packages of that architecture (multiarch:
# libmnl-dev:arm64 ...) through pkg-config's LIBDIR, and musl-dev of that
# architecture through its gcc specs file (musl-gcc wraps the native gcc only).
ifdef CROSS
CC := $(CROSS)-gcc
STRIP := $(CROSS)-strip
MULTIARCH := $(CROSS)
KERNEL_ASM := $(firstword $(wildcard /usr/include/$(CROSS)/asm /usr/$(CROSS)/include/asm))
MHD := $(shell PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig:/usr/share/pkgconfig $(PKG_CONFIG) --exists libmicrohttpd 2>/dev/null && echo libmicrohttpd)
PKG_CFLAGS := $(shell PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig:/usr/share/pkgconfig $(PKG_CONFIG) --cflags $(PKGS) $(MHD) 2>/dev/null)$(if $(MHD), -DHAVE_MICROHTTPD)
PKG_LIBS := $(shell PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig:/usr/share/pkgconfig $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)
MUSL_SPECS := /usr/lib/$(subst -gnu,-musl,$(CROSS))/musl-gcc.specs
MUSL_GCC := $(wildcard $(MUSL_SPECS))
STATIC_CC := $(if $(MUSL_GCC),$(CC) -specs $(MUSL_SPECS) -idirafter $(MUSL_INC),$(CC))
endif

.PHONY: all san static layers test check demo bench install clean
all: $(BUILD)/conlink

$(BUILD)/conlink: $(OBJS) | layers
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# What may include what (docs/architecture.md): fails the build on a
# header from a folder below, or a library header in core/lib.
layers:
	@scripts/check-layers.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

san:
	$(MAKE) BUILD=build-san SAN=1

static: $(BUILD)/conlink-static

$(BUILD)/conlink-static: $(STATIC_OBJS) $(STATIC_LIB) | layers
	$(STATIC_CC) -static -o $@ $^
	$(STRIP) $@

$(STATIC_LIB): $(LIB_SRCS:%.c=$(BUILD)/static/%.o)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/static/%.o: %.c | $(if $(MUSL_GCC),$(MUSL_INC))
	@mkdir -p $(dir $@)
	$(STATIC_CC) $(CFLAGS) -DSTATIC_BUILD -Os -c -o $@ $<

$(MUSL_INC):
	mkdir -p $@
	ln -sfn /usr/include/linux $@/linux
	ln -sfn /usr/include/asm-generic $@/asm-generic
	ln -sfn $(KERNEL_ASM) $@/asm

test:
	scripts/install-deps.sh
	$(MAKE) all static san
	tests/run

# No dependency install; the san build only when T asks for the san level.
check: all static $(if $(or $(filter san,$(T)),$(if $(T),,all)),san)
	tests/run $(T) $(if $(F),-f '$(subst ','\'',$(F))')

demo:
	scripts/demo.sh

bench: all
	for b in scripts/bench-*.sh; do $$b || exit 1; done

install: $(BUILD)/conlink
	install -D -s -m 0755 $(BUILD)/conlink $(DESTDIR)$(PREFIX)/bin/conlink
	# relative links, so DESTDIR does not end up inside them
	for a in $$($(BUILD)/conlink --list); do \
		[ $$a = conlink ] || ln -sfn conlink $(DESTDIR)$(PREFIX)/bin/$$a; done

clean:
	rm -rf build build-san

-include $(OBJS:.o=.d) $(STATIC_OBJS:.o=.d) $(LIB_SRCS:%.c=$(BUILD)/static/%.d)
