#!/usr/bin/env bats
# config-hosts: the "hosts" key (placement on many hosts) and the mesh plan
# --show-config gives; each bad case asserts file:line:col, path, message.

load ../lib/common

HOSTS3=$'hosts:
  - {host: h1, address: 10.99.90.1, containers: [a1, b1]}
  - {host: h2, address: 10.99.90.2, containers: [a2, b2]}
  - {host: h3, address: 10.99.90.3, containers: [a3]}'
LINKS=$'links:
  - {container: a1, bridge: s1, ip: 10.99.1.1/24}
  - {container: a2, bridge: s1, ip: 10.99.1.2/24}
  - {container: a3, bridge: s1, ip: 10.99.1.3/24}
  - {container: b1, bridge: s2, ip: 10.99.2.1/24}
  - {container: b2, bridge: s2, ip: 10.99.2.2/24}
  - {container: a1, dev: eth1, bridge: s3}'

# show [ARGS...]: --show-config of n.yaml (as written before)
show() {
	"$CONLINK" conlink --show-config --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml" "$@"
}

# bad YAML-TEXT EXPECTED [ARGS...]: loading fails (exit 1) with EXPECTED.
bad() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/n.yaml"
	local want=$2; shift 2
	run "$CONLINK" conlink --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml" "$@"
	[ "$status" -eq 1 ] || { echo "status $status: $output"; return 1; }
	[[ "$output" == *"$want"* ]] || { echo "want: $want"; echo "got: $output"; return 1; }
}

@test "hosts: each bridge's hosts, mesh vxlan, a VNI from its name, members' MTU 1500 - 50" {
	printf '%s\n%s\n' "$HOSTS3" "$LINKS" >"$BATS_TEST_TMPDIR/n.yaml"
	run show
	[ "$status" -eq 0 ]
	[ "$(jq -c .bridges.s1.hosts <<<"$output")" = '["h1","h2","h3"]' ]
	[ "$(jq -c .bridges.s2.hosts <<<"$output")" = '["h1","h2"]' ]
	[ "$(jq -c .bridges.s3.hosts <<<"$output")" = '["h1"]' ]
	[ "$(jq -r .bridges.s1.mesh <<<"$output")" = vxlan ]
	[ "$(jq -r .bridges.s3.mesh <<<"$output")" = null ]	# one host: no mesh
	[ "$(jq -r .bridges.s1.mtu <<<"$output")" = 1450 ]
	[ "$(jq -r '.containers.a1.links[0].mtu' <<<"$output")" = 1450 ]
	[ "$(jq -r '.containers.a1.links[1].mtu' <<<"$output")" = 65535 ]	# s3: local
	[ "$(jq -r .containers.a3.host <<<"$output")" = h3 ]
	[ "$(jq -r .hosts.h2.address <<<"$output")" = 10.99.90.2 ]
	local v1 v2
	v1=$(jq -r .bridges.s1.vni <<<"$output") v2=$(jq -r .bridges.s2.vni <<<"$output")
	[ "$v1" -ge 1 ] && [ "$v1" -le 16777215 ] && [ "$v1" != "$v2" ]
	# the same plan whatever the order of the files' items (every host alike)
	printf '%s\n%s\n' "$HOSTS3" "$(printf '%s\n' "$LINKS" | sed -n '1p;7p;6p;5p;4p;3p;2p')" \
		>"$BATS_TEST_TMPDIR/n.yaml"
	[ "$(show | jq -c '[.bridges.s1.vni, .bridges.s2.vni]')" = "[$v1,$v2]" ]
	# and with --host-id: the plan is every host's, not this one's
	[ "$(show --host-id h3 | jq -c '[.bridges.s1.vni, .bridges.s2.vni]')" = "[$v1,$v2]" ]
}

@test "hosts: a given VNI and mesh, a host's mtu, IPv6 underlay takes 70" {
	printf '%s\n' 'hosts:' \
		'  - {host: h1, address: "fd00::1", containers: [a1], mtu: 9000}' \
		'  - {host: h2, address: "fd00::2", containers: [a2], mtu: 1600}' \
		'bridges: [{bridge: s1, mesh: geneve, vni: 77}]' \
		'links: [{container: a1, bridge: s1}, {container: a2, bridge: s1}]' \
		>"$BATS_TEST_TMPDIR/n.yaml"
	run show
	[ "$status" -eq 0 ]
	[ "$(jq -c '.bridges.s1 | [.mesh, .vni, .mtu]' <<<"$output")" = '["geneve",77,1530]' ]
}

@test "hosts: entries of one host merge (a service's x-network can place it)" {
	printf '%s\n' 'hosts: [{host: h1, address: 10.99.90.1}, {host: h2, address: 10.99.90.2}]' \
		'links: [{service: web, bridge: s1}]' >"$BATS_TEST_TMPDIR/n.yaml"
	printf '%s\n' 'services:' '  web:' '    x-network:' '      hosts: [{host: h2, services: [web]}]' \
		>"$BATS_TEST_TMPDIR/c.yaml"
	run show --compose-file "$BATS_TEST_TMPDIR/c.yaml"
	[ "$status" -eq 0 ]
	[ "$(jq -r .services.web.host <<<"$output")" = h2 ]
	[ "$(jq -c .hosts.h2.services <<<"$output")" = '["web"]' ]
}

@test "hosts: a service with links on no host is refused, naming the hosts" {
	bad "$HOSTS3"$'\nlinks: [{container: zz, bridge: s1}]' \
		"n.yaml:5:21: links[0].container: container 'zz' runs on no host; expected it in the 'services' or 'containers' of one of the hosts (h1, h2 or h3)" --show-config
}

@test "hosts: a container on two hosts, an address twice, a host without address" {
	bad $'hosts:\n  - {host: h1, address: 10.0.0.1, containers: [a]}\n  - {host: h2, address: 10.0.0.1, containers: [a]}\nlinks: []' \
		"n.yaml:3:25: hosts[1].address: address 10.0.0.1 is host h1's too" --show-config
	bad $'hosts:\n  - {host: h1, address: 10.0.0.1, containers: [a]}\n  - {host: h2, address: 10.0.0.2, containers: [a]}\nlinks: []' \
		"n.yaml:3:48: hosts[1].containers: container 'a' is placed on two hosts, h1 and h2; expected one" --show-config
	bad $'hosts:\n  - {host: h1, containers: [a]}\nlinks: []' \
		"n.yaml:2:5: hosts[0]: host h1 has no 'address'" --show-config
	bad $'hosts:\n  - {host: h1, address: 10.0.0.1}\n  - {host: h2, address: "fd00::2"}\nlinks: []' \
		"n.yaml:3:25: hosts[1].address: fd00::2 is not of the family of the other hosts' addresses" --show-config
}

@test "hosts: values are checked: name, address, mtu, unknown property, VNI, mesh" {
	bad $'hosts: [{host: -x, address: 10.0.0.1}]\nlinks: []' \
		"n.yaml:1:16: hosts[0].host: found \"-x\", expected a host name" --show-config
	bad $'hosts: [{host: h1, address: 224.0.0.1}]\nlinks: []' \
		"n.yaml:1:29: hosts[0].address: found \"224.0.0.1\", expected an IP address: '224.0.0.1' is a multicast address" --show-config
	bad $'hosts: [{host: h1, address: 10.0.0.1, mtu: 20}]\nlinks: []' \
		"n.yaml:1:44: hosts[0].mtu: found the number 20, expected an MTU" --show-config
	bad $'hosts: [{host: h1, adress: 10.0.0.1}]\nlinks: []' \
		"n.yaml:1:28: hosts[0].adress: unknown host property 'adress' (did you mean 'address'?)" --show-config
	bad $'hosts: [{address: 10.0.0.1}]\nlinks: []' \
		"n.yaml:1:9: hosts[0]: missing required property 'host'" --show-config
	bad $'bridges: [{bridge: s1, vni: 16777216}]\nlinks: []' \
		"n.yaml:1:29: bridges[0].vni: found the number 16777216, expected a VNI (a number, 0..16777215)" --show-config
	bad $'bridges: [{bridge: s1, mesh: gre}]\nlinks: []' \
		"n.yaml:1:30: bridges[0].mesh: found \"gre\", expected one of" --show-config
}

@test "hosts: a meshed patch bridge, a VNI taken twice, geneve over an ovs bridge of three hosts" {
	bad "$HOSTS3"$'\nbridges: [{bridge: s1, mode: patch}]\nlinks:\n  - {container: a1, bridge: s1}\n  - {container: a2, bridge: s1}' \
		"n.yaml:7:29: links[0].bridge: bridge s1 spans hosts h1 and h2, but its mode is 'patch'; expected linux or ovs" --show-config
	bad "$HOSTS3"$'\nbridges: [{bridge: s1, vni: 5}]\ntunnels: [{type: vxlan, bridge: t, remote: 10.1.1.1, vni: 5}]\nlinks:\n  - {container: a1, bridge: s1}\n  - {container: a2, bridge: s1}' \
		"n.yaml:5:29: bridges[0].vni: bridge s1's vxlan VNI 5 is a tunnel's too; expected one per bridge" --show-config
}

@test "--host-id: one of the hosts (with a hint), needed by a daemon, refused without hosts" {
	bad "$HOSTS3"$'\nlinks: []' "--host-id: no host 'h4' in the config (did you mean 'h1'?); expected one of h1, h2 or h3" --show-config --host-id h4
	bad "$HOSTS3"$'\nlinks: []' "the config places services and containers on hosts h1, h2 and h3: give --host-id NAME (or CONLINK_HOST_ID)"
	CONLINK_HOST_ID=h9 bad "$HOSTS3"$'\nlinks: []' "--host-id: no host 'h9' in the config" --show-config
	bad 'links: []' "--host-id: 'h1' names a host, but the config has no 'hosts'" --show-config --host-id h1
}

@test "tunnels[].host: one of the hosts (with a hint), a host name, refused without hosts; two hosts' tunnels may share a name" {
	bad "$HOSTS3"$'\nlinks: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan, host: h4}' \
		"n.yaml:7:64: tunnels[0].host: no host 'h4' in the config's hosts (did you mean 'h1'?); expected one of h1, h2 or h3 (the host the tunnel is made on)" --show-config
	bad "$HOSTS3"$'\nlinks: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan, host: -x}' \
		"n.yaml:7:64: tunnels[0].host: found \"-x\", expected a host name" --show-config
	bad $'links: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan, host: h1}' \
		"n.yaml:3:64: tunnels[0].host: the tunnel names host 'h1', but the config has no 'hosts'" --show-config
	# the same name twice on one host, or on one host and every host: refused
	bad "$HOSTS3"$'\nlinks: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan, host: h2}\n  - {type: vxlan, vni: 5, remote: 10.1.1.2, bridge: wan, host: h2}' \
		"n.yaml:8:5: tunnels[1]: tunnel vxlan-5 of host h2 would get interface name 'vxlan-5', as tunnel vxlan-5 of host h2 (tunnels[0]) does" --show-config
	bad "$HOSTS3"$'\nlinks: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan}\n  - {type: vxlan, vni: 5, remote: 10.1.1.2, bridge: wan, host: h2}' \
		"n.yaml:8:5: tunnels[1]: tunnel vxlan-5 would get interface name 'vxlan-5', as tunnel vxlan-5 (tunnels[0]) does" --show-config
	# on two hosts: fine; each places its bridge on its host (one segment,
	# meshed); a tunnel naming no host leaves its bridge unplaced
	printf '%s\n%s\n' "$HOSTS3" $'links: []\ntunnels:\n  - {type: vxlan, vni: 5, remote: 10.1.1.1, bridge: wan, host: h1}\n  - {type: vxlan, vni: 5, remote: 10.1.1.2, bridge: wan, host: h3}\n  - {type: vxlan, vni: 6, remote: 10.1.1.3, bridge: t6}' \
		>"$BATS_TEST_TMPDIR/n.yaml"
	run show
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.tunnels[].host]' <<<"$output")" = '["h1","h3",null]' ]
	[ "$(jq -c '.bridges.wan.hosts' <<<"$output")" = '["h1","h3"]' ]
	[ "$(jq -r '.bridges.wan.mesh' <<<"$output")" = vxlan ]
	[ "$(jq -c '.bridges.t6.hosts' <<<"$output")" = null ]
}
