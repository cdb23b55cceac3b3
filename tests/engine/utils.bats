#!/usr/bin/env bats
# utils.bats - upstream's extract-utils pattern (examples/utils-compose.yaml):
# a one-shot service copies /utils/{wait,wait.sh,copy,copy.sh,echo} out of
# the project's image, then busybox (no libc), Debian and a FROM scratch
# image holding only those files run them: wait -f, -i, -I and -t tcp:PORT
# on interfaces conlink (the image's /app/build/conlink.js, a service of the
# project) makes, then copy -T templating, then the command (scratch:
# /utils/echo). Docker and Podman.
#
# The Debian image is conlink-base (scripts/make-base-image.sh): Debian
# bookworm's own files with glibc, offline.

load ../lib/examples

UTILS_SCRATCH=conlink-test-utils-scratch
NAMES="copy copy.sh echo wait wait.sh"

teardown() {
	ex_teardown
	[ -z "${ENGINE_NAME:-}" ] || ecli rmi -f "$UTILS_SCRATCH" >/dev/null 2>&1 || true
}

# utils_cid SERVICE: the id of the service's container, running or exited.
utils_cid() {
	local filters
	filters=$(printf '{"label":["com.docker.compose.project=%s","com.docker.compose.service=%s"]}' \
		"$COMPOSE_PROJECT_NAME" "$1")
	engine_api /containers/json -G --data-urlencode all=1 --data-urlencode "filters=$filters" |
		jq -er '.[0].Id // empty'
}

# logged SERVICE LINE...: each LINE is a whole line of SERVICE's log.
logged() {
	local svc=$1 cid line log=$BATS_TEST_TMPDIR/$1.log
	shift
	cid=$(utils_cid "$svc") || { echo "no $svc container"; return 1; }
	ecli logs "$cid" >"$log" 2>&1
	for line; do
		grep -qxF -- "$line" "$log" || return 1
	done
}

utils_extract() {
	local dir=$BATS_TEST_TMPDIR/utils n svc
	ex_build_image
	ex_compose examples/utils-compose.yaml
	export CONLINK_IMAGE=$EX_IMAGE DOCKER_SOCK=$ENGINE_SOCK UTILS_DIR=$dir
	export DEBIAN_IMAGE=conlink-base SCRATCH_IMAGE=$UTILS_SCRATCH
	mkdir -p "$dir"
	run compose up extract-utils
	echo "$output"
	[ "$status" = 0 ]
	# the five names, each the whole static binary (no interpreter: no libc)
	[ "$(cd "$dir" && echo *)" = "$NAMES" ]
	for n in $NAMES; do
		cmp "$dir/wait" "$dir/$n"
	done
	! readelf -l "$dir/wait" | grep -q INTERP || { echo "wait is not static"; return 1; }
	# an image of nothing but those files; its CMD is /utils/echo
	ecli build -q --network none -t "$UTILS_SCRATCH" -f "$TOP/examples/utils-scratch.Dockerfile" "$dir" >/dev/null
	[ "$(ecli run --rm --network none --label "$ENGINE_LABEL" "$UTILS_SCRATCH")" = "nothing here but /utils" ]
	run ecli run --rm --network none --label "$ENGINE_LABEL" --entrypoint /utils/echo "$UTILS_SCRATCH" -e 'a\tb'
	[ "$output" = $'a\tb' ]

	compose up -d
	EX_NET_CID=$(utils_cid network)
	for svc in busybox debian scratch; do
		wait_until 40 logged "$svc" "File '/files/greeting.txt' exists" ||
			{ cat "$BATS_TEST_TMPDIR/$svc.log"; return 1; }
	done
	wait_until 20 logged busybox "hello from busybox" || { cat "$BATS_TEST_TMPDIR/busybox.log"; return 1; }
	wait_until 20 logged debian "hello from debian" || { cat "$BATS_TEST_TMPDIR/debian.log"; return 1; }
	wait_until 20 logged scratch "scratch is done" || { cat "$BATS_TEST_TMPDIR/scratch.log"; return 1; }
	for svc in busybox debian scratch; do
		logged "$svc" "File '/files/greeting.txt' exists" "Interface 'eth0' exists" \
			"Interface 'eth0' has IP/routing" "TCP listener is reachable at 'tcp:8080'" ||
			{ echo "--- $svc"; cat "$BATS_TEST_TMPDIR/$svc.log"; return 1; }
	done
	cat "$BATS_TEST_TMPDIR/scratch.log"
	# copy -T in the scratch image: the file copied and both tokens replaced
	grep -qF "'/files/greeting.txt' -> '/out/greeting.txt'" "$BATS_TEST_TMPDIR/scratch.log"
	grep -q "GREETING" "$BATS_TEST_TMPDIR/scratch.log"
}

@test "utils [docker]: extract-utils copies /utils out; busybox, Debian and scratch images run wait, copy -T and echo" { on_engine docker utils_extract; }
@test "utils [podman]: extract-utils copies /utils out; busybox, Debian and scratch images run wait, copy -T and echo" { on_engine podman utils_extract; }
