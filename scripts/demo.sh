#!/usr/bin/env bash
# demo.sh - `make demo`: upstream's test1 network (a router and three hosts
# on three bridges) brought up by conlink running as a compose service from
# the project's image; pings cross the router; then everything is removed.
#
# Usage: scripts/demo.sh             (root; Debian bookworm)
# Env:   ENGINE=docker|podman        engine to use [docker]
#        KEEP=1                      leave the demo running (prints how to
#                                    remove it) instead of tearing down
#
# On a fresh machine it installs the packages (scripts/install-deps.sh),
# builds the binary, and uses the engine that answers on its socket or
# starts one (the test harness's start/stop code, tests/lib/engine.bash:
# dockerd on /var/run/docker.sock, or `podman system service` on
# /run/conlink-test/podman.sock). At the end it stops only an engine it
# started itself, and removes the containers and the images it made; images
# that were there before are kept. No registry is needed: the images are
# made from this machine's files (busybox-static, scripts/make-base-image.sh,
# scripts/make-build-image.sh).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ENGINE=${ENGINE:-docker}
PROJECT=conlinkdemo
IMAGE=conlink-demo
case $ENGINE in
docker | podman) ;;
*) echo "demo: ENGINE must be docker or podman, not '$ENGINE'" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it makes network interfaces)" >&2; exit 1; }

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "dependencies"
"$TOP/scripts/install-deps.sh"

say "build"
make -C "$TOP" all static >/dev/null
echo "built $TOP/build/conlink"

# The harness's engine code: start/adopt the engine and build the busybox
# image the example's hosts use. It registers this shell as a holder and
# stops, on release, only what it started.
BATS_TEST_TMPDIR=$(mktemp -d /tmp/conlink-demo.XXXXXX)
# shellcheck source=../tests/lib/engine.bash
source "$TOP/tests/lib/engine.bash"
ENGINE_NAME=$ENGINE
ENGINE_SOCK=$(engine_sock_of "$ENGINE")

# images there before the demo are not ours to remove
images_before=
note_images() {
	local img
	for img in "$@"; do
		ecli image inspect "$img" >/dev/null 2>&1 && images_before+=" $img "
	done
	return 0
}
answered_before=
if engine_answers "$ENGINE"; then
	answered_before=1
	note_images conlink-test-busybox conlink-test-scratch
fi

acquired=
cleanup() {
	local rc=$? img
	set +e
	if [ -n "${KEEP:-}" ] && [ "$rc" = 0 ]; then
		say "left running (KEEP=1); remove with:"
		echo "  DOCKER_HOST=$DOCKER_HOST COMPOSE_PROJECT_NAME=$PROJECT CONLINK_IMAGE=$IMAGE \\"
		echo "    docker-compose -f $TOP/examples/test1-compose.yaml down -t 0"
		return
	fi
	say "tear down"
	if [ -n "$acquired" ]; then
		compose_demo down -v --remove-orphans -t 0 2>&1 | grep -v '^$' || true
		for img in "$IMAGE" conlink-base conlink-build-base conlink-test-busybox conlink-test-scratch; do
			case $images_before in *" $img "*) continue ;; esac
			ecli rmi "$img" >/dev/null 2>&1 && echo "removed image $img"
		done
		engine_release "$ENGINE"
		engine_answers "$ENGINE" || echo "stopped the $ENGINE engine the demo started"
	fi
	rm -rf "$BATS_TEST_TMPDIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "engine: $ENGINE"
if engine_answers "$ENGINE"; then
	echo "using the $ENGINE engine that answers on $ENGINE_SOCK"
else
	echo "starting $ENGINE (its socket $ENGINE_SOCK does not answer)"
fi
acquired=1
engine_acquire "$ENGINE"
export DOCKER_HOST=unix://$ENGINE_SOCK
# the harness's test images are the demo's own only when no one else holds
# the engine (a test run that started meanwhile built them for itself)
if [ -z "$answered_before" ] &&
	grep -qvx "$$" "$ENGINE_STATE/$ENGINE.holders" 2>/dev/null; then
	images_before+=" conlink-test-busybox conlink-test-scratch "
fi
note_images conlink-base conlink-build-base "$IMAGE"

say "images: the hosts' busybox image and conlink's image (Dockerfile)"
image_build_local "$IMAGE" >/dev/null
echo "built image $IMAGE"

compose_demo() {
	COMPOSE_PROJECT_NAME=$PROJECT CONLINK_IMAGE=$IMAGE DOCKER_SOCK=$ENGINE_SOCK \
		docker-compose --ansi never -f "$TOP/examples/test1-compose.yaml" "$@"
}

say "up: examples/test1-compose.yaml (conlink is its 'network' service)"
sed -n '1,12p' "$TOP/examples/test1-compose.yaml"
compose_demo up -d 2>&1
net=$(compose_demo ps -q network)
for ((i = 0; i < 150; i++)); do
	ecli logs "$net" 2>&1 | grep -qE "All links connected|links connected" && break
	sleep 0.2
done
say "conlink's log"
ecli logs "$net" 2>&1
ecli logs "$net" 2>&1 | grep -q "All links connected" ||
	{ echo "demo: conlink did not connect every link" >&2; exit 1; }

demo_exec() {
	echo "\$ docker-compose exec $*"
	compose_demo exec -T "$@"
}

say "h1 (192.168.1.100) to h3 (10.0.0.100) and h2 (172.16.0.100): three subnets, via r0"
demo_exec h1 ip -4 addr show dev eth0
demo_exec h1 ip route
demo_exec h1 ping -c 2 10.0.0.100
demo_exec h1 ping -c 2 172.16.0.100
demo_exec h3 traceroute -n -w 1 -q 1 192.168.1.100
say "the demo worked"
