#!/usr/bin/env bats
# config-validate: one case per validation rule; each asserts the message,
# file:line:col and the property path, and that the exit status is 1.

load ../lib/common

# bad YAML-TEXT EXPECTED-SUBSTRING: the config fails with that message.
bad() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ] || { echo "status $status: $output"; return 1; }
	[[ "$output" == *"n.yaml:$2"* ]] || { echo "want: n.yaml:$2"; echo "got: $output"; return 1; }
	[ -z "${3:-}" ] || [ "$(echo "$output" | grep -c "^conlink: ")" -eq "$3" ]
}

@test "YAML syntax error names line and column" {
	bad 'links: [ {service: a' '2:1: YAML syntax error: did not find expected'
}
@test "duplicate mapping key" {
	bad $'links: []\nlinks: []' "2:8: duplicate key 'links'"
}
@test "top level must be a mapping" {
	bad '- a' '1:1: found a list, expected a mapping'
}
@test "unknown top-level key, with a hint" {
	bad $'links: []\nbridgs: []' "2:9: bridgs: unknown top-level property 'bridgs' (did you mean 'bridges'?)"
}
@test "links are required" {
	printf 'bridges: []\n' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"has no 'links'"* ]]
}
@test "links must be a list of mappings" {
	bad 'links: {a: 1}' '1:8: links: found a mapping, expected a list'
	bad $'links:\n  - eth0' '2:5: links[0]: found "eth0", expected a link (a mapping)'
}
@test "a link needs service or container" {
	bad 'links: [{bridge: s1}]' "1:9: links[0]: has neither 'service' nor 'container'"
}
@test "a link takes not both service and container" {
	bad 'links: [{bridge: s1, service: a, container: b}]' "1:9: links[0]: has both 'service' and 'container'"
}
@test "unknown link property, with a hint" {
	bad 'links: [{service: a, bridge: s1, outer_dev: x}]' "1:45: links[0].outer_dev: unknown link property 'outer_dev' (did you mean 'outer-dev'?)"
}
@test "type is one of the link types" {
	bad 'links: [{service: a, type: vlna, vlanid: 1}]' '1:28: links[0].type: found "vlna", expected one of veth, dummy, vlan, ipvlan, ipvtap, macvlan, macvtap (did you mean'
}
@test "veth needs a bridge" {
	bad 'links: [{service: a}]' "1:9: links[0]: missing required property 'bridge'"
}
@test "veth takes no mode" {
	bad 'links: [{service: a, bridge: s, mode: bridge}]' "1:39: links[0].mode: property 'mode' is not allowed on a veth link"
}
@test "veth takes no vlanid" {
	bad 'links: [{service: a, bridge: s, vlanid: 3}]' "1:41: links[0].vlanid: property 'vlanid' is not allowed on a veth link"
}
@test "other types take no bridge" {
	bad 'links: [{service: a, type: dummy, bridge: s}]' "1:43: links[0].bridge: property 'bridge' is not allowed on a dummy link"
}
@test "vlan needs vlanid" {
	bad 'links: [{service: a, type: vlan, outer-dev: eth0}]' "1:9: links[0]: missing required property 'vlanid'"
}
@test "vlanid only on vlan" {
	bad 'links: [{service: a, type: macvlan, vlanid: 4}]' "1:45: links[0].vlanid: property 'vlanid' is not allowed on a macvlan link"
}
@test "ip is a CIDR (IPv4 or IPv6)" {
	bad 'links: [{service: a, bridge: s, ip: 10.0.0.300/24}]' '1:37: links[0].ip: found "10.0.0.300/24", expected an IP address with a prefix length'
	bad 'links: [{service: a, bridge: s, ip: "fd00::1"}]' '1:37: links[0].ip: found "fd00::1", expected an IP address with a prefix'
	printf 'links: [{service: a, bridge: s, ip: "fd00::1/64", nat: "fd00::2", route: "fd01::/64 via fd00::9"}]\n' >"$BATS_TEST_TMPDIR/ok.yaml"
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/ok.yaml"
	[ "$status" -eq 0 ]
}
@test "nat is an IP" {
	bad 'links: [{service: a, bridge: s, nat: 10.0.0.1/24}]' '1:38: links[0].nat: found "10.0.0.1/24", expected an IP address'
}
@test "mac is a MAC" {
	bad 'links: [{service: a, bridge: s, mac: "00:11:22:33:44"}]' '1:38: links[0].mac: found "00:11:22:33:44", expected a MAC address'
}
@test "dev and outer-dev are 1..15 characters" {
	bad 'links: [{service: a, bridge: s, dev: abcdefghijklmnop}]' '1:38: links[0].dev: found "abcdefghijklmnop", expected an interface name of 1 to 15'
	bad 'links: [{service: a, bridge: s, outer-dev: ""}]' '1:44: links[0].outer-dev: found "", expected an interface name'
}
@test "mtu is a number" {
	bad 'links: [{service: a, bridge: s, mtu: big}]' '1:38: links[0].mtu: found "big", expected an MTU'
}
@test "forward is PORT:PORT/tcp|udp" {
	bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: ["80:80/tcp", "80:80/icmp"]}]' '1:73: links[0].forward[1]: found "80:80/icmp", expected PORT:PORT/tcp or PORT:PORT/udp'
}
@test "route, netem, ethtool are a string or a list of strings" {
	bad 'links: [{service: a, bridge: s, route: {via: x}}]' '1:40: links[0].route: found a mapping, expected a string or a list of strings'
	bad 'links: [{service: a, bridge: s, netem: [delay 1ms, 5]}]' '1:52: links[0].netem[1]: found the number 5, expected a string'
	bad 'links: [{service: a, bridge: s, ethtool: 3}]' '1:42: links[0].ethtool: found the number 3, expected a string or a list'
}
@test "bridge mode is auto, ovs, linux or patch" {
	bad $'links: []\nbridges: [{bridge: s1, mode: switch}]' '2:30: bridges[0].mode: found "switch", expected one of auto, ovs, linux, patch'
}
@test "a bridge entry needs its name" {
	bad $'links: []\nbridges: [{mode: linux}]' "2:11: bridges[0]: missing required property 'bridge'"
}
@test "tunnel type, bridge, remote and vni are required" {
	bad $'links: []\ntunnels: [{type: geneve}]' "2:11: tunnels[0]: missing required property 'bridge'" 3
	[[ "$output" == *"missing required property 'remote'"* ]]
	[[ "$output" == *"missing required property 'vni'"* ]]
}
@test "tunnel type is geneve or vxlan, remote an IP, vni a number" {
	bad $'links: []\ntunnels: [{type: gre, bridge: s1, remote: far, vni: x}]' '2:18: tunnels[0].type: found "gre", expected one of geneve, vxlan' 3
	[[ "$output" == *'2:43: tunnels[0].remote: found "far", expected an IP address'* ]]
	[[ "$output" == *'2:53: tunnels[0].vni: found "x", expected a VNI'* ]]
}
@test "a command needs command and one of service/container" {
	bad $'links: []\ncommands: [{service: a}]' "2:12: commands[0]: missing required property 'command'"
	bad $'links: []\ncommands: [{command: [ls, 1]}]' "2:12: commands[0]: has neither 'service' nor 'container'"
	[[ "$output" == *'2:27: commands[0].command[1]: found the number 1, expected a string'* ]]
}
@test "forward needs a veth link" {
	bad 'links: [{service: a, type: dummy, ip: 10.0.0.1/24, forward: "80:80/tcp"}]' "1:61: links[0].forward: link 'a:eth0' has forward setting but is not of type veth"
}
@test "forward needs an ip" {
	bad 'links: [{service: a, bridge: s, forward: "80:80/tcp"}]' "1:42: links[0].forward: link 'a:eth0' has forward setting but does not have IP"
}
@test "forward needs an ovs or linux bridge" {
	bad $'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: "80:80/tcp"}]\nbridges: [{bridge: s, mode: patch}]' "1:59: links[0].forward: link 'a:eth0' has forward setting but bridge mode is not 'ovs' or 'linux'"
}
@test "a patch bridge takes at most two links" {
	bad $'links:\n  - {service: a, bridge: p}\n  - {service: b, bridge: p}\n  - {service: c, bridge: p}\nbridges: [{bridge: p, mode: patch}]' '4:26: links[2].bridge: patch bridge p has more than two links'
}
@test "mode ovs without the openvswitch module is an error" {
	[ ! -e /sys/module/openvswitch ] || skip "openvswitch module loaded here"
	bad $'links: [{service: a, bridge: s}]\nbridges: [{bridge: s, mode: ovs}]' "2:29: bridges[0].mode: bridge s mode is 'ovs', but no 'openvswitch' kernel module loaded"
}
@test "--default-bridge-mode must be a mode" {
	printf 'links: [{service: a, bridge: s}]\n' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode fast --network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--default-bridge-mode: found 'fast', expected one of auto, ovs, linux, patch"* ]]
}
@test "every error is reported in one run" {
	bad $'links:\n  - {service: a}\n  - {service: b, bridge: s, ip: x}\ntunnels: [{type: geneve, bridge: s, remote: 10.0.0.9, vni: -1}]' "2:5: links[0]: missing required property 'bridge'" 3
	[[ "$output" == *'3:33: links[1].ip'* ]]
	[[ "$output" == *'4:60: tunnels[0].vni'* ]]
}
@test "a missing file is an error naming it" {
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/none.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open '$BATS_TEST_TMPDIR/none.yaml'"* ]]
}
@test "errors in compose files name the x-network path" {
	printf 'services:\n  n:\n    x-network:\n      links: [{bridge: s, mtu: 9}]\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run "$CONLINK" conlink --show-config --compose-file "$BATS_TEST_TMPDIR/c.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"c.yaml:4:32: services.n.x-network.links[0].mtu: found the number 9, expected an MTU"* ]]
}

# ---- link kinds: the rules of link.h's descriptors ----
@test "a kind's mode is one of its modes" {
	bad 'links: [{container: d, type: macvlan, outer-dev: eth0, mode: zzz}]' '1:62: links[0].mode: found "zzz", expected a macvlan mode, one of private, vepa, bridge, passthru, source'
	bad 'links: [{container: d, type: macvtap, outer-dev: eth0, mode: brige}]' "1:62: links[0].mode: found \"brige\", expected a macvtap mode, one of private, vepa, bridge, passthru, source (did you mean 'bridge'?)"
	bad 'links: [{container: d, type: ipvlan, outer-dev: eth0, mode: bridge}]' '1:61: links[0].mode: found "bridge", expected an ipvlan mode, one of l2, l3, l3s'
	bad 'links: [{container: d, type: ipvtap, outer-dev: eth0, mode: L3}]' "1:61: links[0].mode: found \"L3\", expected an ipvtap mode, one of l2, l3, l3s (did you mean 'l3'?)"
}
@test "vlanid is 0..4094 (the kernel refuses 4095)" {
	bad 'links: [{container: e, type: vlan, outer-dev: eth0, vlanid: 4095}]' '1:61: links[0].vlanid: found the number 4095, expected a VLAN id (a number, 0..4094)'
	bad 'links: [{container: e, type: vlan, outer-dev: eth0, vlanid: "-1"}]' '1:61: links[0].vlanid: found "-1", expected a VLAN id (a number, 0..4094)'
}
@test "a kind takes only its own properties" {
	bad 'links: [{container: e, type: ipvlan, outer-dev: eth0, mac: "c2:00:00:00:00:01"}]' "1:60: links[0].mac: property 'mac' is not allowed on an ipvlan link (only veth, dummy, vlan, macvlan, macvtap links take it)"
	bad 'links: [{container: e, type: dummy, outer-dev: x0}]' "1:48: links[0].outer-dev: property 'outer-dev' is not allowed on a dummy link (only veth, vlan, ipvlan, ipvtap, macvlan, macvtap links take it)"
	bad 'links: [{container: e, type: dummy, mode: l2}]' "1:43: links[0].mode: property 'mode' is not allowed on a dummy link (only ipvlan, ipvtap, macvlan, macvtap links take it)"
}
@test "a tunnel's vni is in its kind's range" {
	bad $'links: []\ntunnels: [{type: vxlan, bridge: s, remote: 10.0.0.1, vni: 16777216}]' '2:59: tunnels[0].vni: found the number 16777216, expected a VNI (a number, 0..16777215)'
}
