#!/usr/bin/env bash
# kernel_lab_images.sh TAR: the images engine tests in kernel-lab use that
# the VM cannot build in time (its Docker starts with none, and compiling
# the project's Dockerfile under emulation takes many minutes): the
# project's image (examples.bash's $EX_IMAGE, by image_build_local) built
# here on Docker and saved to TAR. tests/run's kernel-lab level calls it;
# a test there loads TAR when KERNEL_LAB_IMAGES names it. The test images
# (conlink-test-busybox) are imported in the VM as on any engine start.
set -euo pipefail
tar=$1
BATS_TEST_TMPDIR=$(mktemp -d /tmp/conlink-kl-images.XXXXXX)
# shellcheck source=engine.bash
source "$(dirname "$0")/engine.bash"
# shellcheck source=examples.bash
EX_IMAGE=$(sed -n 's/^EX_IMAGE=//p' "$(dirname "$0")/examples.bash")
ENGINE_NAME=docker ENGINE_SOCK=$(engine_sock_of docker)
export DOCKER_HOST=unix://$ENGINE_SOCK
trap 'engine_release docker; rm -rf "$BATS_TEST_TMPDIR"' EXIT
engine_acquire docker >&2
image_build_local "$EX_IMAGE"
ecli save -o "$tar" "$EX_IMAGE"
