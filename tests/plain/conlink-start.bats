#!/usr/bin/env bats
# conlink-start.sh: the engine command line it makes (--dry-run), each value
# one argument whatever it holds, its defaults and its usage errors. The
# launcher running test3 on Docker and Podman is tests/engine/conlink-start.bats.

load ../lib/common

START=$TOP/scripts/conlink-start.sh

# dry ARGS...: the --dry-run command line, split back into $CMD (printf %q
# output, read by the shell that wrote it: eval runs nothing of the values).
dry() {
	run "$START" --dry-run "$@"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	eval "CMD=($output)"
}

# has ARG...: these consecutive arguments are in $CMD.
has() {
	local i j
	for ((i = 0; i + $# <= ${#CMD[@]}; i++)); do
		for ((j = 0; j < $#; j++)); do
			[ "${CMD[i + j]}" = "${@:j+1:1}" ] || continue 2
		done
		return 0
	done
	echo "no '$*' in: ${CMD[*]}"
	return 1
}

@test "defaults: docker runs the conlink image's upstream entry, linking Docker's containers" {
	dry --network-file examples/test3-network.yaml
	[ "${CMD[0]} ${CMD[1]}" = "docker run" ]
	has --volume "$TOP/examples/test3-network.yaml:/conlink/1/test3-network.yaml:ro"
	has --pid host
	has --volume /var/run/docker.sock:/var/run/docker.sock
	has --cap-add NET_ADMIN
	has conlink /app/build/conlink.js --network-file /conlink/1/test3-network.yaml
	has --docker-socket /var/run/docker.sock --podman-socket ''
}

@test "values with spaces, quotes and \$( ) stay single arguments, unexpanded" {
	mkdir -p "$BATS_TEST_TMPDIR/a b"
	f="$BATS_TEST_TMPDIR/a b/it's \$(id).yaml"
	printf 'links: []\n' >"$f"
	dry -v --mode podman --image 'my image' --network-file "$f" --compose-project 'p q' \
		-- --name n1 -e 'A=$(id) "x"'
	[ "${CMD[0]}" = podman ]
	has --volume "$f:/conlink/1/it's \$(id).yaml:ro"
	has --name n1 -e 'A=$(id) "x"' 'my image' /app/build/conlink.js
	has --network-file "/conlink/1/it's \$(id).yaml" -v --compose-project 'p q'
}

@test "--host-mode: podman mounts a socket of its own, none no engine; --opt=value" {
	dry --mode=docker --host-mode=podman --compose-file=examples/test1-compose.yaml:examples/test2-compose.yaml
	[ "${CMD[0]}" = docker ]
	has --pid host
	has --compose-file /conlink/1/test1-compose.yaml --compose-file /conlink/2/test2-compose.yaml
	has --podman-socket /var/run/podman/podman.sock --docker-socket ''
	[[ "${CMD[*]}" == *"/podman.sock:/var/run/podman/podman.sock"* ]]
	dry --host-mode none --network-file examples/test3-network.yaml
	has --docker-socket '' --podman-socket ''
	run has --pid host
	[ "$status" -ne 0 ]
}

@test "usage errors: exit 2 with the reason" {
	run "$START" --mode lxc --network-file examples/test3-network.yaml
	[ "$status" -eq 2 ]
	[ "$output" = "conlink-start.sh: --mode must be podman or docker, not 'lxc'" ]
	run "$START" --host-mode x --network-file examples/test3-network.yaml
	[ "$status" -eq 2 ]
	run "$START" --bogus
	[ "$status" -eq 2 ]
	[ "$output" = "conlink-start.sh: unknown option '--bogus' (see conlink-start.sh --help)" ]
	run "$START" --image
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--image' needs an argument"* ]]
	run "$START" -v
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs --network-file or --compose-file"* ]]
	run "$START" --network-file /nonexistent.yaml
	[ "$status" -eq 2 ]
	[[ "$output" == *"no such network file: '/nonexistent.yaml'"* ]]
}

@test "--help prints the usage" {
	run "$START" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: scripts/conlink-start.sh [OPTIONS] [-- ENGINE_RUN_OPTIONS...]"* ]]
	[[ "$output" == *"--host-mode podman|docker|none"* ]]
}
