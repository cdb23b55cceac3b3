# fuzz.mk - the libFuzzer targets (run by tests/fuzz/build.sh, from the top
# directory): every tests/fuzz/fuzz_NAME.c becomes build-fuzz/fuzz_NAME,
# linked against one archive of the parsers' layers built with ASan+UBSan.
# Incremental: only what changed is rebuilt.
OUT := build-fuzz
CC := clang
PKGS := jansson yaml-0.1 libmnl libnftnl libcurl
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-gnu-variable-sized-type-not-at-end
CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -Iinclude -Icore/config -Icore/engine \
	-Icore/mdc -Icore/daemon -Icore/lib $(WARN) $(SAN) -MMD -MP $(shell pkg-config --cflags $(PKGS))
LIBS := $(shell pkg-config --libs $(PKGS))

LIB_SRCS := $(sort $(wildcard core/lib/*.c core/nl/*.c core/config/*.c \
	core/engine/*.c core/mdc/*.c)) core/daemon/instance.c \
	core/daemon/cni_result.c
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/obj/%.o)
TARGETS := $(patsubst tests/fuzz/%.c,$(OUT)/%,$(wildcard tests/fuzz/fuzz_*.c))

all: $(TARGETS)

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(OUT)/libcore.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OUT)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OUT)/libcore.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(OUT)/libcore.a $(LIBS)

-include $(LIB_OBJS:.o=.d) $(TARGETS:=.d)
