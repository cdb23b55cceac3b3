#!/usr/bin/env bats
# conlink-start.bats - upstream's test3 through scripts/conlink-start.sh:
# two containers named by `docker run --name` / `podman run --name`, the
# network file only (examples/test3-network.yaml, its ${NODE_NAME_N} from
# -e options), conlink in a container of the project's image with the
# launcher's capabilities, host pid namespace and engine socket (Podman: an
# API service the launcher starts). The nodes ping each other; SIGTERM to
# the launcher stops conlink (links gone) and removes what it started.

load ../lib/examples

teardown() {
	if [ -n "${START_PID:-}" ]; then
		kill -TERM "$START_PID" 2>/dev/null || true
		wait "$START_PID" 2>/dev/null || true
		echo "--- conlink-start.sh output (tail)"
		tail -30 "$START_LOG"
	fi
	ex_teardown
}

test3_start() {
	local id=${ENGINE_LABEL#conlink.test=} n1 n2 net sock=
	n1=${id}_node_1 n2=${id}_node_2 net=${id}_network
	START_LOG=$BATS_TEST_TMPDIR/start.log
	ex_build_image
	ecli_run --name "$n1" --network none conlink-test-busybox sleep 864000 >/dev/null
	ecli_run --name "$n2" --network none conlink-test-busybox sleep 864000 >/dev/null
	cd "$TOP"
	# upstream's command line, plus the test's image, label and no network
	scripts/conlink-start.sh -v --mode "$ENGINE_NAME" --host-mode "$ENGINE_NAME" \
		--image "$EX_IMAGE" --network-file examples/test3-network.yaml -- \
		--name "$net" --rm --network none --label "$ENGINE_LABEL" \
		-e "NODE_NAME_1=$n1" -e "NODE_NAME_2=$n2" >"$START_LOG" 2>&1 &
	START_PID=$!
	wait_until 40 grep -q "All links connected" "$START_LOG" || { cat "$START_LOG"; return 1; }
	ex_ping "$n1" - 10.0.1.2
	ex_ping "$n2" - 10.0.1.1
	# the conlink container is the one named by --name, from the image
	[ "$(ecli inspect -f '{{.Config.Image}}' "$net" | sed 's|^localhost/||; s|:latest$||')" = "$EX_IMAGE" ]
	if [ "$ENGINE_NAME" = podman ]; then
		sock=$(sed -n 's/.*starting a podman API service on //p' "$START_LOG")
		[ -n "$sock" ] && [ -S "$sock" ]
	fi

	# SIGTERM: the conlink container stopped (and removed: --rm), the
	# node's link gone, the API service and the launcher's directory gone
	kill -TERM "$START_PID"
	wait_until 30 eval '! kill -0 $START_PID 2>/dev/null'
	START_PID=
	cat "$START_LOG"
	grep -q "stopping container" "$START_LOG"
	run ecli ps -aq --filter "name=^${net}\$"
	[ -z "$output" ]
	wait_until 10 eval '! ex_in "$n1" - ip link show ext-intf >/dev/null 2>&1'
	if [ -n "$sock" ]; then
		[ ! -e "$sock" ] && [ ! -e "${sock%/*}" ]
		! pgrep -f "podman system service --time=0 unix://$sock" >/dev/null
	fi
}

@test "conlink-start.sh [docker]: test3 with containers named by docker run --name; they ping; SIGTERM cleans up" { on_engine docker test3_start; }
@test "conlink-start.sh [podman]: test3 with containers named by podman run --name; they ping; SIGTERM cleans up" { on_engine podman test3_start; }
