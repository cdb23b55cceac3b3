#!/usr/bin/env bats
# cni.bats - conlink as a CNI plugin under a real runtime: Podman 4.3's
# CNI network backend, pointed by a containers.conf of the test's own at a
# net.d and a plugin directory of the test's own (the host's /etc/cni and
# /usr/lib/cni are left alone; the reference host-local IPAM plugin is
# linked into the test's plugin directory). The network's bridge lives in
# a namespace the test made (the config's "namespace").
# Podman only: Docker has no CNI.

load ../lib/engine

# cni_setup: $CNIDIR with net.d/, bin/ and containers.conf; $SW, the
# switches' namespace; the network "cnilab" on bridge cnilab0.
cni_setup() {
	require_image conlink-test-busybox
	[ -x /usr/lib/cni/host-local ] ||
		skip "no /usr/lib/cni/host-local (Debian's containernetworking-plugins)"
	CNIDIR=$BATS_TEST_TMPDIR/cni
	mkdir -p "$CNIDIR/net.d" "$CNIDIR/bin"
	ln -s "$CONLINK" "$CNIDIR/bin/conlink"
	ln -s /usr/lib/cni/host-local "$CNIDIR/bin/host-local"
	netns_add "$BATS_TEST_TMPDIR/ns" sw
	SW=$BATS_TEST_TMPDIR/ns/sw
	cat >"$CNIDIR/containers.conf" <<-EOF
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
	[engine]
	runtime = "runc"
	[network]
	network_backend = "cni"
	network_config_dir = "$CNIDIR/net.d"
	cni_plugin_dirs = ["$CNIDIR/bin"]
	EOF
	jq -n --arg ns "$SW" --arg d "$CNIDIR/ipam" '{
		cniVersion: "1.0.0", name: "cnilab",
		plugins: [{type: "conlink", namespace: $ns,
			   link: {bridge: "cnilab0", mtu: 1500},
			   ipam: {type: "host-local", subnet: "10.99.30.0/24", dataDir: $d}}]}' \
		>"$CNIDIR/net.d/cnilab.conflist"
}

# pcni ARGS: podman with the test's CNI setup.
pcni() {
	CONTAINERS_CONF=$CNIDIR/containers.conf podman "$@"
}

# The containers go with the test's containers.conf (a DEL through the
# network's own plugin), before the level's teardown.
teardown() {
	if [ -n "${CNIDIR:-}" ]; then
		pcni rm -f -t 0 cni_c1 cni_c2 >/dev/null 2>&1
	fi
	engine_teardown
}

# The first line a container prints: does eth0 have its address yet?
FIRST='ip -o -4 addr show dev eth0 | grep -o "inet 10\.99\.30\.[0-9]*" || echo NO-ADDRESS'

cni_podman() {
	cni_setup
	pcni run -d --name cni_c1 --label "$ENGINE_LABEL" --network cnilab \
		conlink-test-busybox sh -c "$FIRST; exec sleep 600"
	pcni run -d --name cni_c2 --label "$ENGINE_LABEL" --network cnilab \
		conlink-test-busybox sh -c "$FIRST; exec sleep 600"
	wait_until 10 sh -c "CONTAINERS_CONF=$CNIDIR/containers.conf podman logs cni_c2 | grep -q inet"
	# the address was there when the command's first line ran
	[ "$(pcni logs cni_c1)" = "inet 10.99.30.2" ]
	[ "$(pcni logs cni_c2)" = "inet 10.99.30.3" ]
	# conlink's link: on the bridge in the switches' namespace, its MTU
	[ "$(in_ns "$SW" ip -o link show master cnilab0 | wc -l)" = 2 ]
	pcni exec cni_c1 ip -o link show dev eth0 | grep -q "mtu 1500"
	pcni exec cni_c1 ping -c1 -W2 10.99.30.3
	pcni exec cni_c2 ping -c1 -W2 10.99.30.2
	# nothing of the network in the host's namespace
	! ip -o link show | grep -q cnilab0
	pcni rm -f -t 0 cni_c1
	[ "$(in_ns "$SW" ip -o link show master cnilab0 | wc -l)" = 1 ]
	pcni rm -f -t 0 cni_c2
	# podman rm left no interface behind: not even the bridge
	[ "$(in_ns "$SW" ip -o link show | grep -vc ': lo:')" = 0 ]
	! ip -o link show | grep -q ' cni[0-9a-f]\{12\}[@:]'
	# and host-local has no address reserved
	! ls "$CNIDIR/ipam/cnilab/10.99.30."* 2>/dev/null
}

@test "two containers on a conlink CNI network: addresses before their command runs, ping, podman rm leaves nothing [podman]" {
	on_engine podman cni_podman
}
