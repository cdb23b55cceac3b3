#!/bin/sh
# build.sh - build the libFuzzer target for the config loader.
#
#   tests/fuzz/build.sh            -> build-fuzz/fuzz_netcfg
#   build-fuzz/fuzz_netcfg -close_fd_mask=2 -max_total_time=600 \
#       build-fuzz/corpus tests/fuzz/seeds
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=build-fuzz
mkdir -p "$out/corpus"
CFLAGS="-g -O1 -std=gnu11 -D_GNU_SOURCE -Iinclude -Icore/config -fsanitize=fuzzer,address,undefined"
# the link kinds (core/nl/link*.c) and the forward grammar are the loader's too
SRCS="core/config/*.c core/nl/link*.c core/nl/forward.c core/nl/nl.c core/nl/netns.c core/lib/err.c core/lib/xwrap.c core/lib/log.c core/lib/strlist.c"
clang $CFLAGS $(pkg-config --cflags jansson yaml-0.1 libmnl) -o "$out/fuzz_netcfg" \
	tests/fuzz/fuzz_netcfg.c $SRCS \
	$(pkg-config --libs jansson yaml-0.1 libmnl)
echo "built $out/fuzz_netcfg"
