#!/usr/bin/env bats
# commands.bats - commands run inside containers through the engine's exec
# API, on each engine: a string as sh -c, a list as is, every output line
# logged with the container's name, exit status reported, commands run after
# their container's links exist and in parallel (a long one never delays
# another container's links).

load ../lib/engine

write_project() {
	cat >"$BATS_TEST_TMPDIR/compose.yaml" <<-'YAML'
	version: "2.4"
	services:
	  node: {image: conlink-test-busybox, network_mode: none, command: sleep 3600}
	  slow: {image: conlink-test-busybox, network_mode: none, command: sleep 3600}
	  late: {image: conlink-test-busybox, network_mode: none, command: sleep 3600}
	YAML
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-'YAML'
	links:
	  - {service: node, bridge: s1, ip: 10.98.0.1/24}
	  - {service: node, dev: eth1, bridge: s1, ip: 10.98.1.1/24}
	  - {service: slow, bridge: s1, ip: 10.98.0.2/24}
	  - {service: late, bridge: s1, ip: 10.98.0.3/24}
	commands:
	  - {service: node, command: "ip -o -4 addr show | awk '$2 != \"lo\" {print \"addr\", $2, $4}'"}
	  - {service: node, command: [echo, "one;two", "*", "$$HOME"]}
	  - {service: node, command: "echo to-stderr >&2; printf 'no newline at end'; exit 3"}
	  - {service: slow, command: "echo slow-begin; sleep 600; echo slow-end"}
	  - {service: late, command: "echo late-ran; ip -o -4 addr show dev eth0 | awk '{print \"addr\", $4}'"}
	YAML
	compose_init "$BATS_TEST_TMPDIR/compose.yaml"
}

commands() {
	require_image conlink-test-busybox
	write_project
	compose up -d node slow
	conlink_start --network-file "$BATS_TEST_TMPDIR/net.yaml"
	local node=${COMPOSE_PROJECT_NAME}_node_1 slow=${COMPOSE_PROJECT_NAME}_slow_1
	local late=${COMPOSE_PROJECT_NAME}_late_1

	# the command sees every link of its container (both run after links)
	conlink_wait_log "^$node: addr eth0 10.98.0.1/24$"
	conlink_wait_log "^$node: addr eth1 10.98.1.1/24$"
	# a list is exec'd as is: no shell splits ';', expands '*' or '$HOME'
	conlink_wait_log "^$node: one;two \\* \\\$HOME$"
	# stderr is logged too, and a last line without a newline
	conlink_wait_log "^$node: to-stderr$"
	conlink_wait_log "^$node: no newline at end$"
	conlink_wait_log "$node: command exited with status 3"
	conlink_wait_log "^$slow: slow-begin$"
	# the successful ones report no status
	[ "$(conlink_log_count "$node: command exited")" = 1 ]

	# while slow's command still runs, a container started now is linked
	# and its command runs
	compose up -d late
	conlink_wait_log "^$late: late-ran$"
	conlink_wait_log "^$late: addr 10.98.0.3/24$"
	nsenter -t "$(compose_pid late)" -n ip -o -4 addr show dev eth0 | grep -q 10.98.0.3/24
	[ "$(conlink_log_count "^$slow: slow-end$")" = 0 ]
	# slow's sleep is still running in its container
	ecli top "$slow" | grep -q "sleep 600"

	# SIGTERM with a command still running: clean exit, links gone
	conlink_stop
	[ "$CONLINK_STATUS" = 0 ]
	[ -z "$(nsenter --net="$CONLINK_NETNS" ip -o link show type veth)" ]
	[ -z "$(nsenter --net="$CONLINK_NETNS" ip -o link show type bridge)" ]
}

@test "commands [docker]: sh -c and argv, output and exit status logged per container, in parallel" { on_engine docker commands; }
@test "commands [podman]: sh -c and argv, output and exit status logged per container, in parallel" { on_engine podman commands; }

# A command naming a program the container lacks: the engine's failure is
# reported, the links stay.
missing_program() {
	require_image conlink-test-busybox
	cat >"$BATS_TEST_TMPDIR/compose.yaml" <<-'YAML'
	version: "2.4"
	services:
	  node: {image: conlink-test-busybox, network_mode: none, command: sleep 3600}
	YAML
	cat >"$BATS_TEST_TMPDIR/net.yaml" <<-'YAML'
	links:
	  - {service: node, bridge: s1, ip: 10.98.0.1/24}
	commands:
	  - {service: node, command: [/no/such/program, arg]}
	  - {service: node, command: "echo still-ran"}
	YAML
	compose_init "$BATS_TEST_TMPDIR/compose.yaml"
	compose up -d node
	conlink_start --network-file "$BATS_TEST_TMPDIR/net.yaml"
	local node=${COMPOSE_PROJECT_NAME}_node_1
	conlink_wait_log "^$node: still-ran$"
	# the engine says why (in the output stream) and the exit status is
	# the runtime's: 126 on Docker, 127 on Podman
	conlink_wait_log "^$node: .*/no/such/program.*no such file or directory"
	conlink_wait_log "$node: command exited with status 12[67]$"
	nsenter -t "$(compose_pid node)" -n ip -o -4 addr show dev eth0 | grep -q 10.98.0.1/24
	kill -0 "$CONLINK_PID"
}

@test "commands [docker]: a program missing in the container is reported, links stay" { on_engine docker missing_program; }
@test "commands [podman]: a program missing in the container is reported, links stay" { on_engine podman missing_program; }
