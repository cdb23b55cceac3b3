#!/usr/bin/env bats
# config-validate: one case per validation rule; each asserts the message,
# file:line:col and the property path, and that the exit status is 1.

load ../lib/common

@test "YAML syntax error names line and column" {
	config_bad 'links: [ {service: a' '2:1: YAML syntax error: did not find expected'
}
@test "duplicate mapping key" {
	config_bad $'links: []\nlinks: []' "2:8: duplicate key 'links'"
}
@test "top level must be a mapping" {
	config_bad '- a' '1:1: found a list, expected a mapping'
}
@test "unknown top-level key, with a hint" {
	config_bad $'links: []\nbridgs: []' "2:9: bridgs: unknown top-level property 'bridgs' (did you mean 'bridges'?)"
}
@test "links are required" {
	printf 'bridges: []\n' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"has no 'links'"* ]]
}
@test "links must be a list of mappings" {
	config_bad 'links: {a: 1}' '1:8: links: found a mapping, expected a list'
	config_bad $'links:\n  - eth0' '2:5: links[0]: found "eth0", expected a link (a mapping)'
}
@test "a link needs service or container" {
	config_bad 'links: [{bridge: s1}]' "1:9: links[0]: has neither 'service' nor 'container'"
}
@test "a link takes not both service and container" {
	config_bad 'links: [{bridge: s1, service: a, container: b}]' "1:9: links[0]: has both 'service' and 'container'"
}
@test "unknown link property, with a hint" {
	config_bad 'links: [{service: a, bridge: s1, outer_dev: x}]' "1:45: links[0].outer_dev: unknown link property 'outer_dev' (did you mean 'outer-dev'?)"
}
@test "type is one of the link types" {
	config_bad 'links: [{service: a, type: vlna, vlanid: 1}]' '1:28: links[0].type: found "vlna", expected one of veth, dummy, vlan, ipvlan, ipvtap, macvlan, macvtap (did you mean'
}
@test "veth needs a bridge" {
	config_bad 'links: [{service: a}]' "1:9: links[0]: missing required property 'bridge'"
}
@test "veth takes no mode" {
	config_bad 'links: [{service: a, bridge: s, mode: bridge}]' "1:39: links[0].mode: property 'mode' is not allowed on a veth link"
}
@test "veth takes no vlanid" {
	config_bad 'links: [{service: a, bridge: s, vlanid: 3}]' "1:41: links[0].vlanid: property 'vlanid' is not allowed on a veth link"
}
@test "other types take no bridge" {
	config_bad 'links: [{service: a, type: dummy, bridge: s}]' "1:43: links[0].bridge: property 'bridge' is not allowed on a dummy link"
}
@test "vlan needs vlanid" {
	config_bad 'links: [{service: a, type: vlan, outer-dev: eth0}]' "1:9: links[0]: missing required property 'vlanid'"
}
@test "vlanid only on vlan" {
	config_bad 'links: [{service: a, type: macvlan, vlanid: 4}]' "1:45: links[0].vlanid: property 'vlanid' is not allowed on a macvlan link"
}
@test "ip is a CIDR (IPv4 or IPv6)" {
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.300/24}]' '1:37: links[0].ip: found "10.0.0.300/24", expected an IP address with a prefix length'
	config_bad 'links: [{service: a, bridge: s, ip: "fd00::1"}]' '1:37: links[0].ip: found "fd00::1", expected an IP address with a prefix'
	printf 'links: [{service: a, bridge: s, ip: "fd00::1/64", nat: "fd00::2", route: "fd01::/64 via fd00::9"}]\n' >"$BATS_TEST_TMPDIR/ok.yaml"
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/ok.yaml"
	[ "$status" -eq 0 ]
}
@test "nat is an IP" {
	config_bad 'links: [{service: a, bridge: s, nat: 10.0.0.1/24}]' '1:38: links[0].nat: found "10.0.0.1/24", expected an IP address'
}
@test "mac is a MAC" {
	config_bad 'links: [{service: a, bridge: s, mac: "00:11:22:33:44"}]' '1:38: links[0].mac: found "00:11:22:33:44", expected a MAC address'
}
@test "dev and outer-dev are 1..15 characters" {
	config_bad 'links: [{service: a, bridge: s, dev: abcdefghijklmnop}]' '1:38: links[0].dev: found "abcdefghijklmnop", expected an interface name of 1 to 15'
	config_bad 'links: [{service: a, bridge: s, outer-dev: ""}]' '1:44: links[0].outer-dev: found "", expected an interface name'
}
@test "mtu is a number" {
	config_bad 'links: [{service: a, bridge: s, mtu: big}]' '1:38: links[0].mtu: found "big", expected an MTU'
}
@test "forward is PORT:PORT/tcp|udp" {
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: ["80:80/tcp", "80:80/icmp"]}]' '1:73: links[0].forward[1]: found "80:80/icmp", expected PORT:PORT/tcp or PORT:PORT/udp'
}
@test "route, netem, ethtool are a string or a list of strings" {
	config_bad 'links: [{service: a, bridge: s, route: {via: x}}]' '1:40: links[0].route: found a mapping, expected a string or a list of strings'
	config_bad 'links: [{service: a, bridge: s, netem: [delay 1ms, 5]}]' '1:52: links[0].netem[1]: found the number 5, expected a string'
	config_bad 'links: [{service: a, bridge: s, ethtool: 3}]' '1:42: links[0].ethtool: found the number 3, expected a string or a list'
}
@test "bridge mode is auto, ovs, linux or patch" {
	config_bad $'links: []\nbridges: [{bridge: s1, mode: switch}]' '2:30: bridges[0].mode: found "switch", expected one of auto, ovs, linux, patch'
}
@test "a bridge entry needs its name" {
	config_bad $'links: []\nbridges: [{mode: linux}]' "2:11: bridges[0]: missing required property 'bridge'"
}
@test "tunnel type, bridge, remote and vni are required" {
	config_bad $'links: []\ntunnels: [{type: geneve}]' "2:11: tunnels[0]: missing required property 'bridge'" 3
	[[ "$output" == *"missing required property 'remote'"* ]]
	[[ "$output" == *"missing required property 'vni'"* ]]
}
@test "tunnel type is geneve or vxlan, remote an IP, vni a number" {
	config_bad $'links: []\ntunnels: [{type: gre, bridge: s1, remote: far, vni: x}]' '2:18: tunnels[0].type: found "gre", expected one of geneve, vxlan' 3
	[[ "$output" == *'2:43: tunnels[0].remote: found "far", expected an IP address'* ]]
	[[ "$output" == *'2:53: tunnels[0].vni: found "x", expected a VNI'* ]]
}
@test "a command needs command and one of service/container" {
	config_bad $'links: []\ncommands: [{service: a}]' "2:12: commands[0]: missing required property 'command'"
	config_bad $'links: []\ncommands: [{command: [ls, 1]}]' "2:12: commands[0]: has neither 'service' nor 'container'"
	[[ "$output" == *'2:27: commands[0].command[1]: found the number 1, expected a string'* ]]
}
@test "forward needs a veth link" {
	config_bad 'links: [{service: a, type: dummy, ip: 10.0.0.1/24, forward: "80:80/tcp"}]' "1:61: links[0].forward: link 'a:eth0' has forward setting but is not of type veth"
}
@test "forward needs an ip" {
	config_bad 'links: [{service: a, bridge: s, forward: "80:80/tcp"}]' "1:42: links[0].forward: link 'a:eth0' has forward setting but does not have IP"
}
@test "forward needs an ovs or linux bridge" {
	config_bad $'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: "80:80/tcp"}]\nbridges: [{bridge: s, mode: patch}]' "1:59: links[0].forward: link 'a:eth0' has forward setting but bridge mode is not 'ovs' or 'linux'"
}
@test "a patch bridge takes at most two links" {
	config_bad $'links:\n  - {service: a, bridge: p}\n  - {service: b, bridge: p}\n  - {service: c, bridge: p}\nbridges: [{bridge: p, mode: patch}]' '4:26: links[2].bridge: patch bridge p has more than two links'
}
@test "mode ovs without the openvswitch module is an error" {
	[ ! -e /sys/module/openvswitch ] || skip "openvswitch module loaded here"
	config_bad $'links: [{service: a, bridge: s}]\nbridges: [{bridge: s, mode: ovs}]' "2:29: bridges[0].mode: bridge s mode is 'ovs', but no 'openvswitch' kernel module loaded"
}
@test "--default-bridge-mode must be a mode" {
	printf 'links: [{service: a, bridge: s}]\n' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode fast --network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--default-bridge-mode: found 'fast', expected one of auto, ovs, linux, patch"* ]]
}
@test "every error is reported in one run" {
	config_bad $'links:\n  - {service: a}\n  - {service: b, bridge: s, ip: x}\ntunnels: [{type: geneve, bridge: s, remote: 10.0.0.9, vni: -1}]' "2:5: links[0]: missing required property 'bridge'" 3
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
	config_bad 'links: [{container: d, type: macvlan, outer-dev: eth0, mode: zzz}]' '1:62: links[0].mode: found "zzz", expected a macvlan mode, one of private, vepa, bridge, passthru, source'
	config_bad 'links: [{container: d, type: macvtap, outer-dev: eth0, mode: brige}]' "1:62: links[0].mode: found \"brige\", expected a macvtap mode, one of private, vepa, bridge, passthru, source (did you mean 'bridge'?)"
	config_bad 'links: [{container: d, type: ipvlan, outer-dev: eth0, mode: bridge}]' '1:61: links[0].mode: found "bridge", expected an ipvlan mode, one of l2, l3, l3s'
	config_bad 'links: [{container: d, type: ipvtap, outer-dev: eth0, mode: L3}]' "1:61: links[0].mode: found \"L3\", expected an ipvtap mode, one of l2, l3, l3s (did you mean 'l3'?)"
}
@test "vlanid is 0..4094 (the kernel refuses 4095)" {
	config_bad 'links: [{container: e, type: vlan, outer-dev: eth0, vlanid: 4095}]' '1:61: links[0].vlanid: found the number 4095, expected a VLAN id (a number, 0..4094)'
	config_bad 'links: [{container: e, type: vlan, outer-dev: eth0, vlanid: "-1"}]' '1:61: links[0].vlanid: found "-1", expected a VLAN id (a number, 0..4094)'
}
@test "a kind takes only its own properties" {
	config_bad 'links: [{container: e, type: ipvlan, outer-dev: eth0, mac: "c2:00:00:00:00:01"}]' "1:60: links[0].mac: property 'mac' is not allowed on an ipvlan link (only veth, dummy, vlan, macvlan, macvtap links take it)"
	config_bad 'links: [{container: e, type: dummy, outer-dev: x0}]' "1:48: links[0].outer-dev: property 'outer-dev' is not allowed on a dummy link (only veth, vlan, ipvlan, ipvtap, macvlan, macvtap links take it)"
	config_bad 'links: [{container: e, type: dummy, mode: l2}]' "1:43: links[0].mode: property 'mode' is not allowed on a dummy link (only ipvlan, ipvtap, macvlan, macvtap links take it)"
}
@test "a tunnel's vni is in its kind's range" {
	config_bad $'links: []\ntunnels: [{type: vxlan, bridge: s, remote: 10.0.0.1, vni: 16777216}]' '2:59: tunnels[0].vni: found the number 16777216, expected a VNI (a number, 0..16777215)'
}

# ---- values, each through the parser the link path uses (core/nl) ----
@test "route: an unknown first word is no destination" {
	config_bad 'links: [{service: a, bridge: s, route: "frobnicate 1.2.3.4"}]' "1:40: links[0].route: found \"frobnicate 1.2.3.4\": unknown word 'frobnicate', expected a destination first"
}
@test "route: an unknown word after it, with a hint" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 vai 10.0.0.2"}]' "1:40: links[0].route: found \"10.1.0.0/16 vai 10.0.0.2\": unknown word 'vai' (did you mean 'via'?), expected via, dev, src"
}
@test "route: a word that needs an argument, in a list" {
	config_bad 'links: [{service: a, bridge: s, route: ["default via 10.0.0.1", "10.1.0.0/16 via"]}]' "1:65: links[0].route[1]: found \"10.1.0.0/16 via\": 'via' needs an argument, expected an IP address"
}
@test "route: a bad gateway" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 via 10.0.0.300"}]' "1:40: links[0].route: found \"10.1.0.0/16 via 10.0.0.300\": bad gateway '10.0.0.300', expected an IP address"
}
@test "route: bad table, scope, proto, metric" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 table nosuch"}]' "1:40: links[0].route: found \"10.1.0.0/16 table nosuch\": bad table 'nosuch', expected main, local, default or a number"
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 scope galaxy"}]' "1:40: links[0].route: found \"10.1.0.0/16 scope galaxy\": bad scope 'galaxy', expected global, site, link, host, nowhere or a number 0..255"
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 proto nosuch"}]' "1:40: links[0].route: found \"10.1.0.0/16 proto nosuch\": bad proto 'nosuch', expected kernel, boot, static, dhcp or a number 0..255"
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 metric lots"}]' "1:40: links[0].route: found \"10.1.0.0/16 metric lots\": bad metric 'lots', expected a number 0..4294967295"
}
@test "route: a bad destination prefix" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/33"}]' "1:40: links[0].route: found \"10.1.0.0/33\": bad destination: '10.1.0.0/33' has a bad prefix length (0..32 for IPv4)"
}
@test "route: no destination" {
	config_bad 'links: [{service: a, bridge: s, route: "via 10.0.0.1"}]' "1:40: links[0].route: found \"via 10.0.0.1\": no destination (a prefix or 'default')"
}
@test "route: gateway family differs from the destination's" {
	config_bad 'links: [{service: a, bridge: s, route: "fd00:1::/64 via 10.0.0.1"}]' "1:40: links[0].route: found \"fd00:1::/64 via 10.0.0.1\": gateway and destination are different families: gateway 10.0.0.1 is IPv4, expected IPv6"
}
@test "route: src family differs from the destination's" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 via 10.0.0.1 src fd00::1"}]' "1:40: links[0].route: found \"10.1.0.0/16 via 10.0.0.1 src fd00::1\": source and destination are different families: src fd00::1 is IPv6, expected IPv4"
	config_bad 'links: [{service: a, bridge: s, route: "default via inet 10.0.0.1 src fd00::1"}]' "1:40: links[0].route: found \"default via inet 10.0.0.1 src fd00::1\": source and destination are different families"
}
@test "route: the kernel's scope rules (no nowhere; no gateway at host scope; onlink below link)" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 scope nowhere"}]' "1:40: links[0].route: found \"10.1.0.0/16 scope nowhere\": bad scope 255 (nowhere), expected global, site, link, host or a number 0..254"
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 via 10.0.0.1 scope host"}]' "1:40: links[0].route: found \"10.1.0.0/16 via 10.0.0.1 scope host\": scope host with gateway 10.0.0.1, expected no 'via'"
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 via 10.0.0.1 onlink scope link"}]' "1:40: links[0].route: found \"10.1.0.0/16 via 10.0.0.1 onlink scope link\": onlink gateway 10.0.0.1 with scope link, expected scope global or site"
}
@test "route: an IPv4 destination has no host bits set" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.1/16 dev eth0"}]' "1:40: links[0].route: found \"10.1.0.1/16 dev eth0\": bad destination '10.1.0.1/16': host bits set, expected 10.1.0.0/16"
}
@test "route: two routes one container would both add (the kernel: File exists)" {
	config_bad $'links:\n  - {container: c1, bridge: s, ip: 10.0.0.2/24, route: "default via 10.0.0.1"}\n  - {container: c1, dev: eth1, bridge: s, ip: 10.0.1.2/24, route: "default via 10.0.1.1"}' "3:67: links[1].route: found \"default via 10.0.1.1\": the same destination, table and metric as links[0].route \"default via 10.0.0.1\" of container c1 (the kernel: File exists), expected another metric"
	config_bad 'links: [{container: c1, bridge: s, ip: 10.0.0.2/24, route: "10.0.0.0/24 dev eth0"}]' "1:60: links[0].route: found \"10.0.0.0/24 dev eth0\": the same destination, table and metric as the route the kernel makes for ip 10.0.0.2/24 of container c1"
	printf 'links:\n  - {container: c1, bridge: s, ip: 10.0.0.2/24, route: "default via 10.0.0.1"}\n  - {container: c2, bridge: s, ip: 10.0.0.3/24, route: "default via 10.0.0.1"}\n  - {container: c1, dev: eth1, bridge: s, ip: 10.0.1.2/24, route: "default via 10.0.1.1 metric 5"}\n' >"$BATS_TEST_TMPDIR/ok.yaml"
	run "$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/ok.yaml"
	[ "$status" -eq 0 ]
}
@test "route: dev is an interface name" {
	config_bad 'links: [{service: a, bridge: s, route: "10.1.0.0/16 dev a/b"}]' "1:40: links[0].route: found \"10.1.0.0/16 dev a/b\": bad device name 'a/b' ('/' is not allowed)"
}
@test "netem: a bad value names the option and the word" {
	config_bad 'links: [{service: a, bridge: s, netem: "delay banana"}]' "1:40: links[0].netem: found \"delay banana\": bad value for 'delay': 'banana', expected a time such as 100ms"
}
@test "netem: an unknown option" {
	config_bad 'links: [{service: a, bridge: s, netem: "delay 10ms wobble 3"}]' "1:40: links[0].netem: found \"delay 10ms wobble 3\": unknown option 'wobble', expected limit, delay"
}
@test "netem: a list is one set of options, joined" {
	config_bad 'links: [{service: a, bridge: s, netem: ["delay 10ms", "2ms", "loss"]}]' "1:40: links[0].netem: found \"delay 10ms 2ms loss\" (the list joined): bad value for 'loss': nothing after it, expected a percentage"
}
@test "netem: checks of the whole (reorder needs a delay)" {
	config_bad 'links: [{service: a, bridge: s, netem: "reorder 5%"}]' "1:40: links[0].netem: found \"reorder 5%\": reorder needs a delay"
}
@test "netem: percentages, rates and slots in range" {
	config_bad 'links: [{service: a, bridge: s, netem: "loss gemodel 150%"}]' "1:40: links[0].netem: found \"loss gemodel 150%\": bad value for 'loss gemodel': '150%', expected a percentage 0..100"
	config_bad 'links: [{service: a, bridge: s, netem: "rate 0"}]' "1:40: links[0].netem: found \"rate 0\": bad value for 'rate': '0', expected a rate above 0"
	config_bad 'links: [{service: a, bridge: s, netem: "slot 2ms 1ms"}]' "1:40: links[0].netem: found \"slot 2ms 1ms\": bad value for 'slot': '1ms', expected a maximum time not below the minimum"
	config_bad 'links: [{service: a, bridge: s, netem: "loss 1% loss 2%"}]' "1:40: links[0].netem: found \"loss 1% loss 2%\": 'loss' given twice"
}
@test "netem: a tunnel's too" {
	config_bad $'links: []\ntunnels: [{type: vxlan, bridge: s, remote: 10.0.0.2, vni: 7, netem: "delay 1ms ecn"}]' "2:69: tunnels[0].netem: found \"delay 1ms ecn\": ecn needs a loss model"
}
@test "ethtool: an unknown option" {
	config_bad 'links: [{service: a, bridge: s, ethtool: ["--bogus"]}]' "1:43: links[0].ethtool[0]: found \"--bogus\": unknown option '--bogus', expected -K/--features/--offload, -s/--change"
	config_bad 'links: [{service: a, bridge: s, ethtool: "--ofload tx off"}]' "1:42: links[0].ethtool: found \"--ofload tx off\": unknown option '--ofload' (did you mean '--offload'?)"
}
@test "ethtool: an unknown feature, with a hint" {
	config_bad 'links: [{service: a, bridge: s, ethtool: "-K tx off rx-gro on txx off"}]' "1:42: links[0].ethtool: found \"-K tx off rx-gro on txx off\": unknown feature 'txx' (did you mean 'tx'?)"
}
@test "ethtool: a feature is on or off" {
	config_bad 'links: [{service: a, bridge: s, ethtool: "--offload tx maybe"}]' "1:42: links[0].ethtool: found \"--offload tx maybe\": bad value for 'tx': 'maybe', expected on or off"
	config_bad 'links: [{service: a, bridge: s, ethtool: "--offload tx"}]' "1:42: links[0].ethtool: found \"--offload tx\": 'tx' needs on or off after it"
}
@test "ethtool: an option's parameters and their values" {
	config_bad 'links: [{service: a, bridge: s, ethtool: "-G rx 10 rxx 20"}]' "1:42: links[0].ethtool: found \"-G rx 10 rxx 20\": unknown parameter 'rxx' of '-G' (did you mean 'rx'?), expected one of rx, rx-mini"
	config_bad 'links: [{service: a, bridge: s, ethtool: "-G rx big"}]' "1:42: links[0].ethtool: found \"-G rx big\": bad value for 'rx': 'big', expected a number 0..4294967295"
	config_bad 'links: [{service: a, bridge: s, ethtool: "-s duplex double"}]' "1:42: links[0].ethtool: found \"-s duplex double\": bad value for 'duplex': 'double', expected one of half, full"
	config_bad 'links: [{service: a, bridge: s, ethtool: "-r now"}]' "1:42: links[0].ethtool: found \"-r now\": unknown word 'now', expected nothing after '-r'"
}
@test "mtu: at least 1280 on a link with an IPv6 address" {
	config_bad 'links: [{service: a, bridge: s, ip: "fd00::1/64", mtu: 1000}]' "1:56: links[0].mtu: found the number 1000, expected an MTU of at least 1280 (IPv6 needs it"
	config_bad 'links: [{service: a, bridge: s, mtu: 67}]' "1:38: links[0].mtu: found the number 67, expected an MTU (a number, 68..65535)"
}
@test "mtu: at least 1280 on a link with an IPv6 route" {
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/24, mtu: 1000, route: "fd01::/64 dev eth0"}]' "1:55: links[0].mtu: found the number 1000, expected an MTU of at least 1280 (IPv6 needs it; the link has IPv6 route fd01::/64 dev eth0)"
}
@test "--default-mtu below 1280 on a link with an IPv6 address" {
	printf 'links: [{service: a, bridge: s, ip: "fd00::1/64"}]\n' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-mtu 1000 --network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"n.yaml:1:9: links[0]: gets --default-mtu 1000, expected an 'mtu' of at least 1280"* ]]
}
@test "mac: unicast only" {
	config_bad 'links: [{service: a, bridge: s, mac: "01:00:5e:00:00:01"}]' "1:38: links[0].mac: found \"01:00:5e:00:00:01\", expected a MAC address (unicast, e.g. 02:00:0a:0b:0c:01): '01:00:5e:00:00:01' is a multicast MAC address"
	config_bad 'links: [{service: a, bridge: s, mac: "00:00:00:00:00:00"}]' "1:38: links[0].mac: found \"00:00:00:00:00:00\", expected a MAC address (unicast, e.g. 02:00:0a:0b:0c:01): '00:00:00:00:00:00' is all zeros"
}
@test "ip: the prefix length in range, digits only" {
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/33}]' "1:37: links[0].ip: found \"10.0.0.1/33\", expected an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24): '10.0.0.1/33' has a bad prefix length (0..32 for IPv4)"
	config_bad 'links: [{service: a, bridge: s, ip: "10.0.0.1/+8"}]' "1:37: links[0].ip: found \"10.0.0.1/+8\", expected an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24): '10.0.0.1/+8' has a bad prefix length"
}
@test "ip: an IPv6 address the kernel gives an interface (not multicast, ::1 or ::)" {
	config_bad 'links: [{service: a, bridge: s, ip: "ff02::1/64"}]' "1:37: links[0].ip: found \"ff02::1/64\", expected an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24): 'ff02::1/64' is a multicast address, not an interface's"
	config_bad 'links: [{service: a, bridge: s, ip: "::1/128"}]' "1:37: links[0].ip: found \"::1/128\", expected an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24): '::1/128' is the loopback address"
	config_bad 'links: [{service: a, bridge: s, ip: "::/64"}]' "1:37: links[0].ip: found \"::/64\", expected an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24): '::/64' is the unspecified address"
}
@test "nat: needs an ip of its family" {
	config_bad 'links: [{service: a, bridge: s, nat: 10.0.0.9}]' "1:38: links[0].nat: link has 'nat' but no 'ip'"
	config_bad 'links: [{service: a, bridge: s, ip: "fd00::1/64", nat: 10.0.0.9}]' "1:56: links[0].nat: found \"10.0.0.9\", expected an address of the family of the link's ip fd00::1/64"
}
@test "tunnel remote: an address without a prefix" {
	config_bad $'links: []\ntunnels: [{type: geneve, bridge: s, remote: 10.0.0.2/24, vni: 7}]' "2:45: tunnels[0].remote: found \"10.0.0.2/24\", expected an IP address: an address takes no prefix length here"
}
@test "tunnel remote: one host (not multicast, not IPv6 link-local)" {
	config_bad $'links: []\ntunnels: [{type: vxlan, bridge: s, remote: 239.1.1.1, vni: 7}]' "2:44: tunnels[0].remote: found \"239.1.1.1\", expected an IP address: '239.1.1.1' is a multicast address"
	config_bad $'links: []\ntunnels: [{type: geneve, bridge: s, remote: "fe80::1", vni: 7}]' "2:45: tunnels[0].remote: found \"fe80::1\", expected an IP address: 'fe80::1' is link-local"
}
@test "interface names: no '/', ':', '%', whitespace, leading '-', '.' or '..'" {
	config_bad 'links: [{service: a, bridge: "br/x"}]' "1:30: links[0].bridge: found \"br/x\", expected an interface name of 1 to 15 characters (no '/', ':', '%', whitespace or leading '-'; not '.' or '..'): '/' is not allowed"
	config_bad 'links: [{service: a, bridge: s, dev: "-eth0"}]' "1:38: links[0].dev: found \"-eth0\", expected an interface name of 1 to 15 characters"
	config_bad 'links: [{service: a, bridge: s, outer-dev: "a:b"}]' "1:44: links[0].outer-dev: found \"a:b\", expected an interface name"
	config_bad 'links: [{service: a, bridge: s, dev: ".."}]' "1:38: links[0].dev: found \"..\", expected an interface name of 1 to 15 characters (no '/', ':', '%', whitespace or leading '-'; not '.' or '..'): '..' is not allowed"
	config_bad 'links: [{service: a, bridge: s, dev: "eth 0"}]' "1:38: links[0].dev: found \"eth 0\", expected an interface name of 1 to 15 characters (no '/', ':', '%', whitespace or leading '-'; not '.' or '..'): whitespace is not allowed"
	config_bad 'links: [{service: a, bridge: s, dev: "eth%d"}]' "1:38: links[0].dev: found \"eth%d\", expected an interface name of 1 to 15 characters (no '/', ':', '%', whitespace or leading '-'; not '.' or '..'): '%' is not allowed"
}
@test "bridge and tunnel bridge names are interface names" {
	config_bad $'links: []\nbridges: [{bridge: averyveryverylongname, mode: linux}]' "2:20: bridges[0].bridge: found \"averyveryverylongname\", expected an interface name of 1 to 15 characters (no '/', ':', '%', whitespace or leading '-'; not '.' or '..'): it has 21 characters"
	config_bad $'links: []\ntunnels: [{type: geneve, bridge: "s/1", remote: 10.0.0.2, vni: 7}]' "2:34: tunnels[0].bridge: found \"s/1\", expected an interface name"
}
@test "at most 16 routes, netem, ethtool strings" {
	config_bad 'links: [{service: a, bridge: s, route: [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17]}]' "1:40: links[0].route: found a list of 17, expected at most 16"
}
@test "every bad value in one run: all reported, exit 1, nothing on stdout" {
	cat >"$BATS_TEST_TMPDIR/n.yaml" <<-'Y'
	links:
	  - {container: a, bridge: s1, route: "frobnicate 1.2.3.4"}
	  - {container: b, bridge: s1, netem: "delay banana"}
	  - {container: c, bridge: s1, ethtool: ["--bogus"]}
	  - {container: d, bridge: "s/1", mac: "01:00:00:00:00:01", ip: "fd00::1/64", mtu: 1000}
	tunnels:
	  - {type: geneve, bridge: s1, remote: 10.0.0.300, vni: 5}
	Y
	"$CONLINK" conlink --show-config --network-file "$BATS_TEST_TMPDIR/n.yaml" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" && false || status=$?
	cat "$BATS_TEST_TMPDIR/err"
	[ "$status" -eq 1 ]
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
	[ "$(grep -c '^conlink: ' "$BATS_TEST_TMPDIR/err")" -eq 7 ]
	for p in "2:39: links[0].route" "3:39: links[1].netem" "4:42: links[2].ethtool[0]" \
		"5:28: links[3].bridge" "5:40: links[3].mac" "5:84: links[3].mtu" "7:40: tunnels[0].remote"; do
		grep -qF "n.yaml:$p: found" "$BATS_TEST_TMPDIR/err" || { echo "no $p"; false; }
	done
}
@test "forward ports are 1..65535, nothing around" {
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: ["0:80/tcp"]}]' '1:60: links[0].forward[0]: found "0:80/tcp", expected PORT:PORT/tcp or PORT:PORT/udp'
	config_bad 'links: [{service: a, bridge: s, ip: 10.0.0.1/24, forward: "80:65536/udp"}]' '1:59: links[0].forward: found "80:65536/udp", expected PORT:PORT/tcp or PORT:PORT/udp'
}
@test "two links would get one outer interface name" {
	config_bad $'links:\n  - {container: c1, bridge: s1, outer-dev: x1}\n  - {container: c2, bridge: s1, outer-dev: x1}' "3:44: links[1].outer-dev: link 'c2:eth0' would get interface name 'x1', as link 'c1:eth0' (links[0].outer-dev) does"
	config_bad $'links:\n  - {container: c1-x, bridge: s1}\n  - {container: c1, bridge: s1, dev: x-eth0}' "3:5: links[1]: link 'c1:x-eth0' would get interface name 'c1-x-eth0', as link 'c1-x:eth0' (links[0]) does"
	config_bad $'links:\n  - {service: web, bridge: s1}\n  - {container: web_1, bridge: s1}' "3:5: links[1]: link 'web_1:eth0' would get interface name 'web_1-eth0', as link 'web:eth0' (links[0]) does"
	config_bad $'links:\n  - {container: c2, bridge: s2, outer-dev: s1}\nbridges: [{bridge: s1}]' "2:44: links[0].outer-dev: link 'c2:eth0' would get interface name 's1', as bridge s1 (bridges[0]) does"
}
@test "two configured outer-devs that clash in a compose file: its file:line:col" {
	printf 'services:\n  a:\n    x-network:\n      links: [{bridge: s, outer-dev: up0}]\n  b:\n    x-network:\n      links: [{bridge: s, outer-dev: up0}]\n' >"$BATS_TEST_TMPDIR/c.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode linux --compose-file "$BATS_TEST_TMPDIR/c.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"c.yaml:7:38: services.b.x-network.links[0].outer-dev: link 'b:eth0' would get interface name 'up0', as link 'a:eth0' (services.a.x-network.links[0].outer-dev) does"* ]]
}
@test "two links whose 15-character fallback names agree load (the daemon keeps them apart)" {
	printf '%s\n' 'links:' '  - {container: averylongcontainer, bridge: s1, dev: eth0long1}' \
		'  - {container: averylongcontainer, bridge: s1, dev: eth0long2}' >"$BATS_TEST_TMPDIR/n.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml"
	[ "$status" -eq 0 ]
	[[ "$output" == *eth0long2* ]]
}
@test "two tunnels would get one name" {
	config_bad $'links: []\ntunnels:\n  - {type: geneve, bridge: s1, vni: 5, remote: 10.0.0.1}\n  - {type: geneve, bridge: s1, vni: 5, remote: 10.0.0.2}' "4:5: tunnels[1]: tunnel geneve-5 would get interface name 'geneve-5', as tunnel geneve-5 (tunnels[0]) does"
}
@test "forward needs an IPv4 ip" {
	config_bad 'links: [{service: a, bridge: s, ip: "fd00::1/64", forward: "80:80/tcp"}]' "1:60: links[0].forward: link 'a:eth0' has forward setting but its ip fd00::1/64 is not IPv4 (forwards are IPv4 only)"
}
