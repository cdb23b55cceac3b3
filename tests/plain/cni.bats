#!/usr/bin/env bats
# cni: the plugin's dispatch, VERSION and its config errors (nothing here
# needs a namespace: a bad config is refused before anything is opened).

load ../lib/common

bats_require_minimum_version 1.5.0

# plugin VERB < CONFIG: the binary as a runtime execs it (no arguments).
plugin() {
	env -i CNI_COMMAND="$1" CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_NETNS=/nonexistent \
		CNI_PATH=/nonexistent "$CONLINK"
}

@test "exec'd with CNI_COMMAND and no arguments, the binary is the plugin; VERSION" {
	run plugin VERSION <<<'{"cniVersion": "0.4.0"}'
	[ "$status" = 0 ]
	[ "$output" = '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}' ]
	# under another name too (a CNI type other than conlink)
	ln -s "$CONLINK" "$BATS_TEST_TMPDIR/my-lab-net"
	run env CNI_COMMAND=VERSION "$BATS_TEST_TMPDIR/my-lab-net" </dev/null
	[[ $output == '{"cniVersion":"1.1.0",'* ]]
	# with arguments it stays the daemon's dispatch
	run env CNI_COMMAND=VERSION "$CONLINK" --list
	[[ $output == *net2dot* ]]
}

@test "cni without CNI_COMMAND, or with arguments, is a usage error" {
	run env -u CNI_COMMAND "$CONLINK" cni </dev/null
	[ "$status" = 2 ] && [[ $output == *"CNI_COMMAND is not set"* ]]
	run env CNI_COMMAND=ADD "$CONLINK" cni extra </dev/null
	[ "$status" = 2 ]
}

@test "config errors: the error object on stdout, each problem at stdin:LINE:COL, all of them in details" {
	run --separate-stderr plugin ADD <<-'J'
	{"cniVersion": "1.0.0", "name": "lab", "type": "conlink",
	 "link": {"bridge": "s1", "mtu": 20, "route": "10.0.0.0/8 via nowhere", "netem": "delay"}}
	J
	[ "$status" = 1 ]
	[ "$(jq -r .code <<<"$output")" = 7 ]
	[ "$(jq -r .cniVersion <<<"$output")" = 1.0.0 ]
	[ "$(jq -r .msg <<<"$output")" = "stdin:2:34: link.mtu: found the number 20, expected an MTU (a number, 68..65535)" ]
	details=$(jq -r .details <<<"$output")
	[[ $details == *"stdin:2:47: link.route: found \"10.0.0.0/8 via nowhere\""* ]]
	[[ $details == *"link.netem"* ]]
	# stderr has them too, for the runtime's log
	[[ $stderr == *"link.mtu"* ]]
}

@test "unknown command 4, missing variables 4 naming them, bad cniVersion 1, unknown kind 7 with a hint" {
	run --separate-stderr plugin FROB </dev/null
	[ "$(jq -r .code <<<"$output")" = 4 ]
	run --separate-stderr env -i CNI_COMMAND=ADD CNI_PATH=/x "$CONLINK" <<<'{}'
	[ "$(jq -r .code <<<"$output")" = 4 ]
	[[ $(jq -r .msg <<<"$output") == *"CNI_CONTAINERID CNI_IFNAME CNI_NETNS"* ]]
	run --separate-stderr plugin ADD <<<'{"cniVersion": "2.0.0", "name": "lab"}'
	[ "$(jq -r .code <<<"$output")" = 1 ]
	[ "$(jq -r .cniVersion <<<"$output")" = 1.1.0 ]
	run --separate-stderr plugin ADD <<<'{"cniVersion": "1.1.0", "name": "lab", "link": {"type": "vethh", "bridge": "s1"}}'
	[ "$(jq -r .code <<<"$output")" = 7 ]
	[[ $(jq -r .msg <<<"$output") == *"link.type"*"did you mean 'veth'"* ]]
	run --separate-stderr plugin ADD <<<'{"cniVersion": "1.1.0", "name": "-lab"}'
	[ "$(jq -r .code <<<"$output")" = 7 ]
	[[ $(jq -r .msg <<<"$output") == *"name: found \"-lab\""* ]]
}

@test "a plugin exec loads no libcurl (exec'd once per container, it must start fast)" {
	if ldd "$CONLINK" | grep -q libcurl; then
		skip "libcurl is linked at load time in this build: every exec maps its tree (~9 ms, scripts/bench-cni.sh)"
	fi
	run env LD_DEBUG=files CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_IFNAME=eth0 \
		CNI_NETNS=/nonexistent CNI_PATH=/nonexistent "$CONLINK" <<<'{"cniVersion": "1.1.0", "name": "lab", "link": {"mtu": 1}}'
	[[ $output == *'"code":7'* ]]
	[[ $output == *"file=libjansson"* ]]	# LD_DEBUG did list the libraries
	! grep -q "file=libcurl" <<<"$output"
}
