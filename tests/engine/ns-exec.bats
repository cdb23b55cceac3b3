#!/usr/bin/env bats
# ns-exec on real Docker and Podman: containers by name, by id prefix, by
# compose SERVICE:INDEX (project from the option, the environment or the
# directory), -a in the container's mount namespace, the address conlink
# gave a replica, and the lookup errors.

load ../lib/engine

# nsx ARGS...: ns-exec asking this engine's socket, and a socket that does
# not answer in the other engine's slot (each answering one is asked).
nsx() {
	local none=$BATS_TEST_TMPDIR/no-engine.sock
	if [ "$ENGINE_NAME" = docker ]; then
		"$CONLINK" ns-exec --docker-socket "$ENGINE_SOCK" --podman-socket "$none" "$@"
	else
		"$CONLINK" ns-exec --docker-socket "$none" --podman-socket "$ENGINE_SOCK" "$@"
	fi
}

# inspect_of ID FIELD: a field of the engine's inspect answer.
inspect_of() {
	engine_api "/containers/$1/json" | jq -r "$2"
}

# A veth pair with a random name, made inside PID's network namespace by
# nsenter (not by the tool under test): MARK.
mark_netns() {
	MARK=$(rand_dev)
	nsenter -t "$1" -n ip link add "$MARK" type veth peer name "${MARK}p"
}

# A running container named NAME whose /etc holds a file of its own.
run_named() {
	NAME=clt-nsx-$(printf '%04x%04x' $RANDOM $RANDOM)
	CID=$(ecli_run --name "$NAME" --network none --hostname "h$NAME" conlink-test-busybox \
		sh -c 'echo only-in-'"$NAME"' >/etc/clt-marker && exec sleep 3600')
	CID=$(inspect_of "$CID" .Id)
	CPID=$(inspect_of "$CID" .State.Pid)
	[ "$CPID" -gt 1 ]
	# (eval: the marker is read again at every try, not once before)
	wait_until 10 eval 'test -n "$(nsenter -t "$CPID" -m cat /etc/clt-marker 2>/dev/null)"'
}

by_name() {
	require_root
	require_image conlink-test-busybox
	run_named
	mark_netns "$CPID"
	run nsx "$NAME" ip -o link show
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" $MARK@${MARK}p:"* ]]
	# the very namespace, and the host's tools (busybox has no readlink -f
	# problem here: this is the host's readlink)
	run nsx "$NAME" readlink /proc/self/ns/net
	[ "$output" = "$(readlink "/proc/$CPID/ns/net")" ]
	# -u: the container's hostname; network only by default
	run nsx -u "$NAME" hostname
	[ "$output" = "h$NAME" ]
	run nsx "$NAME" hostname
	[ "$output" = "$(hostname)" ]
	# status propagates
	run nsx "$NAME" sh -c 'exit 6'
	[ "$status" -eq 6 ]
}

@test "by container name [docker]: network, -u hostname, exit status" { on_engine docker by_name; }
@test "by container name [podman]: network, -u hostname, exit status" { on_engine podman by_name; }

by_id_prefix() {
	require_root
	require_image conlink-test-busybox
	run_named
	mark_netns "$CPID"
	local n digits prefix n_digits=
	# an id starting with digits: its all-digit prefix, when no PID here,
	# is looked up as an id too
	digits=${CID%%[a-f]*}
	[ ${#digits} -ge 4 ] && [ ! -e "/proc/$digits" ] && n_digits=${#digits}
	for n in 64 12 6 $n_digits; do
		prefix=${CID:0:$n}
		# a live PID wins over an id prefix of digits (as documented)
		[[ "$prefix" == *[a-f]* ]] || [ ! -e "/proc/$prefix" ] || continue
		run nsx "${CID:0:$n}" ip -o link show dev "$MARK"
		echo "prefix ${CID:0:$n}: $output"
		[ "$status" -eq 0 ]
		[[ "$output" == *" $MARK@${MARK}p:"* ]]
	done
}

@test "by id prefix [docker]: full id, 12 and 6 characters" { on_engine docker by_id_prefix; }
@test "by id prefix [podman]: full id, 12 and 6 characters" { on_engine podman by_id_prefix; }

default_shell_reads_marker() {
	echo 'cat /etc/clt-marker' | SHELL=/no/such/shell nsx -a "$NAME"
}

# -a: the container's own root: its /etc, its busybox /bin/sh, its /proc.
all_namespaces() {
	require_root
	require_image conlink-test-busybox
	run_named
	run nsx -a "$NAME" cat /etc/clt-marker
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "only-in-$NAME" ]
	[ ! -e /etc/clt-marker ] || [ "$(cat /etc/clt-marker)" != "only-in-$NAME" ]
	run nsx -a "$NAME" readlink /bin/sh
	[ "$output" = busybox ]
	run nsx -a "$NAME" cat /proc/1/comm
	[ "$output" = sleep ]
	# -m alone reaches the same files; without it the host's are seen
	run nsx -m "$NAME" cat /etc/clt-marker
	[ "$output" = "only-in-$NAME" ]
	run nsx "$NAME" cat /etc/clt-marker
	[ "$status" -ne 0 ] || [ "$output" != "only-in-$NAME" ]
	# with no COMMAND: the host's $SHELL is not in the image; /bin/sh is
	run default_shell_reads_marker
	[ "$status" -eq 0 ]
	[ "$output" = "only-in-$NAME" ]
}

@test "-a [docker]: the container's mount namespace (its /etc, its /bin/sh, its /proc)" { on_engine docker all_namespaces; }
@test "-a [podman]: the container's mount namespace (its /etc, its /bin/sh, its /proc)" { on_engine podman all_namespaces; }

write_scaled_project() {
	local dir=$1
	mkdir -p "$dir"
	cat >"$dir/compose.yaml" <<-'YAML'
	version: "2.4"
	services:
	  node:
	    image: conlink-test-busybox
	    network_mode: none
	    scale: 2
	    command: sleep 3600
	YAML
}

# Id of replica INDEX of SERVICE in compose project PROJECT.
replica_id() {
	ecli ps -q --no-trunc --filter "label=com.docker.compose.project=$1" \
		--filter "label=com.docker.compose.service=$2" \
		--filter "label=com.docker.compose.container-number=$3"
}

# nsx with COMPOSE_PROJECT_NAME naming another project (run's subshell
# keeps the change to itself).
with_other_env_project() {
	COMPOSE_PROJECT_NAME=clt-other-project
	nsx "$@"
}

by_service_index() {
	require_root
	require_image conlink-test-busybox
	write_scaled_project "$BATS_TEST_TMPDIR/p"
	compose_init "$BATS_TEST_TMPDIR/p/compose.yaml"
	compose up -d
	local i id host
	for i in 1 2; do
		id=$(replica_id "$COMPOSE_PROJECT_NAME" node $i)
		[ -n "$id" ]
		host=$(inspect_of "$id" .Config.Hostname)
		# COMPOSE_PROJECT_NAME from the environment
		run nsx -u "node:$i" hostname
		echo "node:$i: $output (want $host)"
		[ "$status" -eq 0 ]
		[ "$output" = "$host" ]
		run nsx "node:$i" readlink /proc/self/ns/net
		[ "$output" = "$(readlink "/proc/$(inspect_of "$id" .State.Pid)/ns/net")" ]
	done
	# SERVICE alone is replica 1
	run nsx -u node hostname
	echo "node: $output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(inspect_of "$(replica_id "$COMPOSE_PROJECT_NAME" node 1)" .Config.Hostname)" ]
	# --compose-project wins over the environment
	run with_other_env_project --compose-project "$COMPOSE_PROJECT_NAME" -u node:2 hostname
	[ "$output" = "$(inspect_of "$(replica_id "$COMPOSE_PROJECT_NAME" node 2)" .Config.Hostname)" ]
	# no replica 3: named with the project and both sockets
	run nsx node:3 true
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "ns-exec: compose service 'node' of project '$COMPOSE_PROJECT_NAME' has no running replica 3 on "* ]]
	[[ "$output" == *"$ENGINE_SOCK"* ]]
	[[ "$output" == *"no-engine.sock (not answering: no such socket)"* ]]
	# a stopped replica is no running replica either
	compose stop -t 0 node
	run nsx node:1 true
	[ "$status" -eq 1 ]
	[[ "$output" == *"has no running replica 1"* ]]
}

@test "by SERVICE:INDEX [docker]: each replica, SERVICE alone, --compose-project, missing replica" { on_engine docker by_service_index; }
@test "by SERVICE:INDEX [podman]: each replica, SERVICE alone, --compose-project, missing replica" { on_engine podman by_service_index; }

# With neither option nor COMPOSE_PROJECT_NAME the project is compose's
# default: the name of the directory holding the compose file (found from a
# subdirectory too), lowercased, only [-_a-z0-9] kept (docker-compose 1.29).
project_from_directory() {
	require_root
	require_image conlink-test-busybox
	local raw want
	raw=Clt.Nsx$(printf '%04x' $RANDOM)-Dir_X
	want=$(echo "$raw" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9_-')
	write_scaled_project "$BATS_TEST_TMPDIR/$raw"
	mkdir "$BATS_TEST_TMPDIR/$raw/sub"
	compose_init "$BATS_TEST_TMPDIR/$raw/compose.yaml"
	# let docker-compose pick the name itself; register it for teardown
	unset COMPOSE_PROJECT_NAME COMPOSE_FILE
	echo "$want $BATS_TEST_TMPDIR/$raw/compose.yaml" >>"$BATS_TEST_TMPDIR/.compose"
	(cd "$BATS_TEST_TMPDIR/$raw" && compose up -d)
	[ -n "$(replica_id "$want" node 2)" ]
	host=$(inspect_of "$(replica_id "$want" node 2)" .Config.Hostname)
	cd "$BATS_TEST_TMPDIR/$raw/sub"
	run nsx -u node:2 hostname
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$host" ]
	# COMPOSE_PROJECT_NAME in the project's .env counts as well
	echo "COMPOSE_PROJECT_NAME=clt-not-this-one" >"$BATS_TEST_TMPDIR/$raw/.env"
	run nsx node:2 true
	[ "$status" -eq 1 ]
	[[ "$output" == *"project 'clt-not-this-one'"* ]]
}

@test "project from the directory [docker]: compose's name for it, from a subdirectory" { on_engine docker project_from_directory; }
@test "project from the directory [podman]: compose's name for it, from a subdirectory" { on_engine podman project_from_directory; }

errors() {
	require_root
	require_image conlink-test-busybox
	local none=$BATS_TEST_TMPDIR/no-engine.sock
	run nsx --compose-project clt-no-such-project clt-no-such-container true
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "ns-exec: no container named 'clt-no-such-container' or with an id starting so, and no service 'clt-no-such-container' in compose project 'clt-no-such-project', on "* ]]
	[[ "$output" == *"$ENGINE_SOCK"* ]]
	[[ "$output" == *"$none (not answering: no such socket)"* ]]
	# a stopped container
	NAME=clt-nsx-$(printf '%04x%04x' $RANDOM $RANDOM)
	ecli create --name "$NAME" --label "$ENGINE_LABEL" --network none conlink-test-busybox true >/dev/null
	run nsx "$NAME" true
	[ "$status" -eq 1 ]
	[ "$output" = "ns-exec: container '$NAME' (on $ENGINE_SOCK) is not running" ]
	# not root: the engine socket is root's
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$CONLINK" ns-exec --docker-socket '' --podman-socket "$ENGINE_SOCK" "$NAME" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"not permitted without root"* ]]
}

@test "errors [docker]: no such container (both sockets named), not running, not root" { on_engine docker errors; }
@test "errors [podman]: no such container (both sockets named), not running, not root" { on_engine podman errors; }

# Both engines' sockets given: the container is found on whichever has it.
both_sockets() {
	require_root
	require_image conlink-test-busybox
	local docker_sock podman_sock
	docker_sock=$(engine_sock_of docker) podman_sock=$(engine_sock_of podman)
	engine_answers docker && engine_answers podman ||
		skip "needs both engines up (ENGINE=${ENGINE:-all})"
	run_named
	run "$CONLINK" ns-exec --docker-socket "$docker_sock" --podman-socket "$podman_sock" \
		-u "$NAME" hostname
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "h$NAME" ]
}

@test "both sockets [docker]: a container on Docker is found with Podman asked too" { on_engine docker both_sockets; }
@test "both sockets [podman]: a container on Podman is found with Docker asked too" { on_engine podman both_sockets; }

# The address conlink gave replica 2, seen with the host's ip.
replica_address() {
	require_root
	require_image conlink-test-busybox
	write_scaled_project "$BATS_TEST_TMPDIR/p"
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-'YAML'
	links:
	  - {service: node, bridge: s1, ip: 10.97.0.1/24}
	YAML
	compose_init "$BATS_TEST_TMPDIR/p/compose.yaml"
	compose up -d
	conlink_start --network-file "$BATS_TEST_TMPDIR/net.yaml"
	conlink_wait_log "All links connected" 60
	run nsx node:2 ip -o -4 addr show dev eth0
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" inet 10.97.0.2/24 "* ]]
	run nsx node:1 ip -o -4 addr show dev eth0
	[[ "$output" == *" inet 10.97.0.1/24 "* ]]
	# and replica 2 reaches replica 1 over conlink's bridge
	run nsx node:2 busybox ping -c 1 -W 5 10.97.0.1
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "node:2 ip addr [docker]: the address conlink gave replica 2" { on_engine docker replica_address; }
@test "node:2 ip addr [podman]: the address conlink gave replica 2" { on_engine podman replica_address; }
