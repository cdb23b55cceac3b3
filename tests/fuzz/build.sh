#!/bin/sh
# build.sh - build every libFuzzer target, tests/fuzz/fuzz_NAME.c ->
# build-fuzz/fuzz_NAME (clang, ASan + UBSan; see tests/fuzz/README.md).
#
#   tests/fuzz/build.sh            all targets (incremental, make -j)
#   tests/fuzz/run.sh [SECONDS]    build, then run each for a bounded time
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
exec make --no-print-directory -s -f tests/fuzz/fuzz.mk -j"$(nproc)" all
