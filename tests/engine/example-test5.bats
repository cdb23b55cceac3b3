#!/usr/bin/env bats
# example-test5.bats - upstream's test5: conlink on two hosts joined by a
# geneve tunnel (examples/test5-geneve-compose.yaml). Two conlink
# containers of the project's image (image_build_local) stand for the two
# hosts, each started by scripts/conlink-start.sh with the example's
# compose file, its own compose project and the other's address as REMOTE,
# as upstream's README starts one per host; they sit on one engine network
# with fixed addresses, as two hosts on a LAN. Each project's node links to
# its host's bridge s1, and the nodes ping each other through the tunnel
# (network_mode none: the tunnel is their only path).
# Needs geneve: skipped on a kernel without it, run in kernel-lab by
# tests/run (Docker only there: a container takes 6-9 s to start under
# emulation; the image built on the host and loaded there, see
# tests/lib/kernel_lab_images.sh).

load ../lib/examples

teardown() {
	local p
	for p in "${T5_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	for p in "${T5_LOGS[@]}"; do
		echo "--- $p (tail)"
		tail -20 "$p"
	done
	ex_teardown
	[ -z "${T5_NET:-}" ] || ecli network rm "$T5_NET" >/dev/null 2>&1 || true
}

# the project's image: built here, or loaded from what tests/run saved on
# the host for kernel-lab (the VM starts with no image)
t5_image() {
	if [ -n "${KERNEL_LAB_IMAGES:-}" ]; then
		_image_id "$EX_IMAGE" >/dev/null || ecli load -q -i "$KERNEL_LAB_IMAGES" >/dev/null
	else
		ex_build_image
	fi
}

# t5_host N PROJECT ADDR REMOTE NODE_IP: host N's conlink container, started
# by the launcher in the background
t5_host() {
	local log=$BATS_TEST_TMPDIR/host$1.log
	T5_LOGS+=("$log")
	scripts/conlink-start.sh -v --mode "$ENGINE_NAME" --host-mode "$ENGINE_NAME" \
		--image "$EX_IMAGE" --compose-file examples/test5-geneve-compose.yaml \
		--compose-project "$2" -- \
		--name "${T5_ID}_host$1" --rm --label "$ENGINE_LABEL" \
		--network "$T5_NET" --ip "$3" -e "REMOTE=$4" -e "NODE_IP=$5" >"$log" 2>&1 &
	T5_PIDS+=($!)
}

# geneve-1001 in host N's conlink container: JSON of `ip -d -s link`
t5_tunnel() {
	local pid
	pid=$(ex_pid "${T5_ID}_host$1" -) || return 1
	nsenter -t "$pid" -n ip -d -s -j link show dev geneve-1001
}

# what each host and node has, shown when a ping fails
t5_diag() {
	local n pid
	for n in 1 2; do
		pid=$(ex_pid "${T5_ID}_host$n" -) || continue
		echo "--- host$n: links, addresses, routes, fdb"
		nsenter -t "$pid" -n ip -s -br link
		nsenter -t "$pid" -n ip -br addr
		nsenter -t "$pid" -n ip route
		nsenter -t "$pid" -n bridge fdb show br s1
		nsenter -t "$pid" -n sysctl net.bridge.bridge-nf-call-iptables 2>&1
	done
	for n in "$T5_P1" "$T5_P2"; do
		pid=$(COMPOSE_PROJECT_NAME=$n ex_pid node 1) || continue
		echo "--- node of $n"
		nsenter -t "$pid" -n ip -s -br link
		nsenter -t "$pid" -n ip -br addr
		nsenter -t "$pid" -n ip neigh
	done
	iptables -S FORWARD 2>&1 | head -20
}

# the time since the file started, for the cost of each step (shown with -t
# style output on fd 3: bats --tap prints it)
t5_mark() { echo "# $(date +%T) (+$(( $(date +%s) - T5_T0 ))s) $*" >&3; }

test5() {
	kernel_has_link_type geneve || skip "kernel lacks link type geneve (Unknown device type)"
	T5_T0=${T5_T0:-$(date +%s)}
	t5_mark "test starts"
	T5_ID=${ENGINE_LABEL#conlink.test=} T5_PIDS=() T5_LOGS=()
	local p1 p2 sub a1 a2 j
	t5_image
	t5_mark "image there"
	# two hosts on one LAN: an engine network with a subnet of the test's own
	sub=10.$((200 + RANDOM % 50)).$((RANDOM % 250)) a1=$sub.11 a2=$sub.12
	T5_NET=${T5_ID}_lan
	ecli network create --label "$ENGINE_LABEL" --subnet "$sub.0/24" "$T5_NET" >/dev/null
	# the example's compose file in two projects: its node service, one per host
	export REMOTE NODE_IP	# the file's ${REMOTE:?} and ${NODE_IP:?}, also for teardown's down
	# (both at once: under kernel-lab's emulation one compose up takes ~60 s)
	local c1 c2
	ex_compose examples/test5-geneve-compose.yaml
	p1=$COMPOSE_PROJECT_NAME
	REMOTE=$a2 NODE_IP=10.9.0.1 compose up -d node >"$BATS_TEST_TMPDIR/up1.log" &
	c1=$!
	ex_compose examples/test5-geneve-compose.yaml
	p2=$COMPOSE_PROJECT_NAME T5_P1=$p1 T5_P2=$p2
	REMOTE=$a1 NODE_IP=10.9.0.2 compose up -d node >"$BATS_TEST_TMPDIR/up2.log" &
	c2=$!
	wait "$c1" || { cat "$BATS_TEST_TMPDIR/up1.log"; return 1; }
	wait "$c2" || { cat "$BATS_TEST_TMPDIR/up2.log"; return 1; }
	REMOTE=$a1 NODE_IP=10.9.0.1
	t5_mark "nodes up"
	cd "$TOP"
	t5_host 1 "$p1" "$a1" "$a2" 10.9.0.1
	t5_host 2 "$p2" "$a2" "$a1" 10.9.0.2
	wait_until 120 grep -q "All links connected" "$BATS_TEST_TMPDIR/host1.log"
	wait_until 60 grep -q "All links connected" "$BATS_TEST_TMPDIR/host2.log"
	t5_mark "both hosts linked"
	# each host's tunnel: geneve, VNI 1001, to the other host, on s1
	j=$(t5_tunnel 1)
	echo "$j"
	[ "$(jq -r '.[0].linkinfo.info_kind' <<<"$j")" = geneve ]
	[ "$(jq -r '.[0].linkinfo.info_data.id' <<<"$j")" = 1001 ]
	[ "$(jq -r '.[0].linkinfo.info_data.remote' <<<"$j")" = "$a2" ]
	[ "$(jq -r '.[0].master' <<<"$j")" = s1 ]
	[ "$(t5_tunnel 2 | jq -r '.[0].linkinfo.info_data.remote')" = "$a1" ]
	local tx0 rx0
	tx0=$(jq '.[0].stats64.tx.packets' <<<"$j")
	rx0=$(t5_tunnel 2 | jq '.[0].stats64.rx.packets')
	# node of project 1 (host 1) and node of project 2 (host 2) ping each
	# other; their only path is s1, the tunnel, the other host's s1
	COMPOSE_PROJECT_NAME=$p1 ex_ping node 1 10.9.0.2 || { t5_diag; false; }
	COMPOSE_PROJECT_NAME=$p2 ex_ping node 1 10.9.0.1 || { t5_diag; false; }
	# and the packets went through the tunnels: out of host 1, into host 2
	[ "$(t5_tunnel 1 | jq '.[0].stats64.tx.packets')" -gt "$tx0" ]
	[ "$(t5_tunnel 2 | jq '.[0].stats64.rx.packets')" -gt "$rx0" ]
	t5_mark "pinged"
}

@test "test5 [docker]: two conlink hosts joined by geneve; their nodes ping each other through the tunnel" { on_engine docker test5; }
@test "test5 [podman]: two conlink hosts joined by geneve; their nodes ping each other through the tunnel" { on_engine podman test5; }
