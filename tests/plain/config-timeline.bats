#!/usr/bin/env bats
# config-timeline: a link's or tunnel's "timeline" at load: one case per
# error kind (message, file:line:col, property path, exit 1), the
# duration grammar, and the normal form --show-config prints.

load ../lib/common

# shown YAML-TEXT PATH: what --show-config prints at PATH (a python subscript).
shown() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/n.yaml"
	"$CONLINK" conlink --show-config --default-bridge-mode linux \
		--network-file "$BATS_TEST_TMPDIR/n.yaml" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(eval("d" + sys.argv[1]), sort_keys=True))' "$2"
}

L='links:\n  - service: a\n    bridge: s1\n    timeline:\n'

@test "timeline: normalized in --show-config (durations, netem joined, order kept)" {
	run shown "$(printf "$L"'      - {every: 60s, for: 5000ms, down: true}\n      - {at: 1.5m, netem: ["loss 1%%", "delay 5ms"]}\n      - {at: 0, netem: ""}\n      - {at: 2H, up: true}')" "['services']['a']['links'][0]['timeline']"
	[ "$status" -eq 0 ]
	[ "$output" = '[{"down": true, "every": "1m", "for": "5s"}, {"at": "90s", "netem": "loss 1% delay 5ms"}, {"at": "0", "netem": ""}, {"at": "2h", "up": true}]' ]
}
@test "timeline: on a tunnel, normalized" {
	run shown 'links: []
tunnels: [{type: vxlan, bridge: s1, remote: 10.0.0.9, vni: 5, timeline: [{every: 1000ms, for: 400ms, down: true}]}]' "['tunnels'][0]['timeline']"
	[ "$status" -eq 0 ]
	[ "$output" = '[{"down": true, "every": "1s", "for": "400ms"}]' ]
}
@test "timeline: must be a list" {
	config_bad 'links: [{service: a, bridge: s, timeline: {at: 1s}}]' "1:43: links[0].timeline: found a mapping, expected a list of timeline steps"
}
@test "timeline: a step is a mapping" {
	config_bad 'links: [{service: a, bridge: s, timeline: [5]}]' "1:44: links[0].timeline[0]: found the number 5, expected a timeline step"
}
@test "timeline: unknown step property, with a hint" {
	config_bad "$(printf "$L"'      - {at: 1s, down: true, fro: 2s}')" "5:35: links[0].timeline[0].fro: unknown timeline step property 'fro' (did you mean 'for'?); expected one of at, every, for, netem, down, up"
}
@test "timeline: both at and every" {
	config_bad "$(printf "$L"'      - {at: 1s, every: 2s, down: true}')" "5:9: links[0].timeline[0]: has both 'at' and 'every', expected exactly one"
}
@test "timeline: neither at nor every" {
	config_bad "$(printf "$L"'      - {for: 1s, down: true}')" "5:9: links[0].timeline[0]: has neither 'at' nor 'every', expected exactly one"
}
@test "timeline: no action" {
	config_bad "$(printf "$L"'      - {at: 1s, for: 2s}')" "5:9: links[0].timeline[0]: has no action, expected one of 'netem: OPTIONS', 'down: true', 'up: true'"
}
@test "timeline: two actions" {
	config_bad "$(printf "$L"'      - {at: 1s, down: true, netem: "delay 1ms"}')" "5:9: links[0].timeline[0]: has both 'netem' and 'down', expected one action a step"
}
@test "timeline: down takes only true" {
	config_bad "$(printf "$L"'      - {at: 1s, down: false}')" "5:9: links[0].timeline[0].down: found false, expected true"
}
@test "timeline: for must be shorter than every" {
	config_bad "$(printf "$L"'      - {every: 1m, for: 60s, down: true}')" "5:26: links[0].timeline[0].for: found \"60s\", expected less than 'every' (1m)"
}
@test "timeline: a duration needs a unit" {
	config_bad "$(printf "$L"'      - {at: "10", down: true}')" "5:14: links[0].timeline[0].at: found \"10\", expected a duration (a number and a unit: us, ms, s, m, h; e.g. 500ms, 2s, 1.5m): no unit"
	config_bad "$(printf "$L"'      - {at: 10, down: true}')" "5:14: links[0].timeline[0].at: found the number 10, expected a duration"
}
@test "timeline: a bad unit, a sign, a space" {
	config_bad "$(printf "$L"'      - {at: 3d, down: true}')" "5:14: links[0].timeline[0].at: found \"3d\", expected a duration (a number and a unit: us, ms, s, m, h; e.g. 500ms, 2s, 1.5m): unknown unit 'd'"
	config_bad "$(printf "$L"'      - {at: -1s, down: true}')" "5:14: links[0].timeline[0].at: found \"-1s\", expected a duration"
	config_bad "$(printf "$L"'      - {at: "1 s", down: true}')" "5:14: links[0].timeline[0].at: found \"1 s\", expected a duration"
	config_bad "$(printf "$L"'      - {at: 9000h, down: true}')" "5:14: links[0].timeline[0].at: found \"9000h\", expected a duration (a number and a unit: us, ms, s, m, h; e.g. 500ms, 2s, 1.5m): longer than 365 days"
}
@test "timeline: whole milliseconds; every and for above 0" {
	config_bad "$(printf "$L"'      - {at: 1500us, down: true}')" "5:14: links[0].timeline[0].at: found \"1500us\", expected a whole number of milliseconds"
	config_bad "$(printf "$L"'      - {every: 0ms, down: true}')" "5:17: links[0].timeline[0].every: found \"0ms\", expected a duration above 0"
}
@test "timeline: netem options through netem's parser" {
	config_bad "$(printf "$L"'      - {at: 1s, netem: "delay banana"}')" "5:25: links[0].timeline[0].netem: found \"delay banana\": bad value for 'delay': 'banana', expected a time such as 100ms"
	config_bad "$(printf "$L"'      - {at: 1s, netem: 5}')" "5:25: links[0].timeline[0].netem: found the number 5, expected netem options"
}
@test "timeline: down/up and netem on every link kind (impair.h: the container end where no outer end is conlink's)" {
	run shown 'links: [{service: a, type: macvlan, mode: bridge, outer-dev: eth0, timeline: [{at: 1s, down: true}]}, {service: b, type: dummy, timeline: [{at: 1s, for: 1s, netem: "delay 1ms"}]}]' "['services']['b']['links'][0]['timeline'] + d['services']['a']['links'][0]['timeline']"
	[ "$status" -eq 0 ]
	[ "$output" = '[{"at": "1s", "for": "1s", "netem": "delay 1ms"}, {"at": "1s", "down": true}]' ]
}
@test "timeline: every error of one timeline in one run" {
	config_bad "$(printf "$L"'      - {at: 1x, down: true}\n      - {every: 2s, for: 3s, up: true}')" "6:26: links[0].timeline[1].for: found \"3s\", expected less than 'every' (2s)"
	[[ "$output" == *"5:14: links[0].timeline[0].at"* ]]
}
@test "timeline: in compose x-network, checked the same" {
	printf '%s\n' 'services:' '  node:' '    image: alpine' '    x-network:' '      links:' \
		'        - bridge: s1' '          timeline:' '            - {every: 1s, for: 400ms, down: true}' \
		'            - {at: 2s, netem: "delay 1x"}' >"$BATS_TEST_TMPDIR/c.yaml"
	run "$CONLINK" conlink --show-config --default-bridge-mode linux --compose-file "$BATS_TEST_TMPDIR/c.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"c.yaml:9:31: services.node.x-network.links[0].timeline[1].netem: found \"delay 1x\": bad value for 'delay'"* ]]
}
