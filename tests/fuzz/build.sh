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
CFLAGS="-g -O1 -std=gnu11 -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer,address,undefined"
SRCS="core/yaml.c core/yaml_pos.c core/interp.c core/netcfg.c core/netcfg_load.c
      core/netcfg_validate.c core/netcfg_enrich.c core/err.c core/xwrap.c core/log.c
      core/strlist.c"
# xwrap.c refers to applet_name, which main.c defines: give the fuzzer its own.
echo 'const char *applet_name = "fuzz";' >"$out/applet_name.c"
clang $CFLAGS $(pkg-config --cflags jansson yaml-0.1) -o "$out/fuzz_netcfg" \
	tests/fuzz/fuzz_netcfg.c $SRCS "$out/applet_name.c" \
	$(pkg-config --libs jansson yaml-0.1)
echo "built $out/fuzz_netcfg"
