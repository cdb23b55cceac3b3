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
# the loader uses core/nl's parsers and link kinds (layers: config may use
# nl and lib): link them all, the linker keeps what it needs
SRCS="core/config/*.c core/nl/*.c core/lib/*.c"
PKGS="jansson yaml-0.1 libmnl libnftnl"
clang $CFLAGS $(pkg-config --cflags $PKGS) -o "$out/fuzz_netcfg" \
	tests/fuzz/fuzz_netcfg.c $SRCS \
	$(pkg-config --libs $PKGS)
echo "built $out/fuzz_netcfg"
