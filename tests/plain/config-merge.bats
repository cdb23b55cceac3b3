#!/usr/bin/env bats
# config-merge: how several files, services and repeated links merge.

load ../lib/common

D=$TOP/tests/files/config/merge

show() {
	run "$CONLINK" conlink --show-config "$@"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

# field JSON-LINE-PATTERN: the one link of SERVICE $1 printed as one line
link_of() {
	echo "$output" | tr -d ' \n' | grep -o "\"$1\":{[^}]*" >/dev/null
}

@test "a later file overrides scalars of the same link (compose then network file)" {
	show --compose-file "$D/a-compose.yaml:$D/b-compose.yaml" --network-file "$D/c-network.yaml"
	flat=$(echo "$output" | tr -d ' \n')
	# n1:eth0 from a (top level, then service) and b: b's ip wins, mtu added
	[[ "$flat" == *'"ip":"10.0.0.5/24","mac":'*'"mtu":1400'* ]]
	# n2:eth0 from b then the network file: the network file's ip wins
	[[ "$flat" == *'"ip":"10.0.2.3/24"'* ]]
	! [[ "$flat" == *'"ip":"10.0.2.2/24"'* ]] || false
	# the network file's bridge mode overrides the compose file's
	[[ "$flat" == *'"s1":{"bridge":"s1","mode":"patch"}'* ]]
}

@test "test7: a service's netem overrides the top-level one; lists concatenate" {
	show --compose-file "$D/a-compose.yaml"
	flat=$(echo "$output" | tr -d ' \n')
	[[ "$flat" == *'"netem":["delay40ms"]'* ]]
	! [[ "$flat" == *'delay200ms'* ]] || false
	[[ "$flat" == *'"route":["10.1.0.0/16via10.0.0.9","10.2.0.0/16via10.0.0.9"]'* ]]
	# one link for n1:eth0, not two
	[ "$(echo "$output" | grep -c '"service": "n1"')" -eq 2 ]	# the link and the command
}

@test "upstream's test7 example: netem 'rate 10mbit delay 40ms' wins" {
	cd "$TOP"
	show --compose-file examples/test7-compose.yaml
	flat=$(echo "$output" | tr -d ' \n')
	[[ "$flat" == *'"netem":["rate10mbitdelay40ms"]'* ]]
	! [[ "$flat" == *'delay200ms'* ]] || false
}

@test "links and commands under a service default to that service" {
	show --compose-file "$D/a-compose.yaml"
	flat=$(echo "$output" | tr -d ' \n')
	[[ "$flat" == *'"n1":{"commands":[{"command":"echofromn1","service":"n1"}]'* ]]
	# a link naming a container keeps it (no service is added)
	[[ "$flat" == *'"containers":{"other":{"links":[{"base":"conlink"'*'"container":"other","dev":"e5"'* ]]
}

@test "colon lists in --compose-file and --network-file, and repeated options" {
	show --compose-file "$D/a-compose.yaml:$D/b-compose.yaml" --network-file "$D/c-network.yaml"
	one=$output
	show --compose-file "$D/a-compose.yaml" --compose-file "$D/b-compose.yaml" --network-config "$D/c-network.yaml"
	[ "$output" = "$one" ]
	# order matters: b before a gives a's values for n1
	show --compose-file "$D/b-compose.yaml:$D/a-compose.yaml"
	[[ "$(echo "$output" | tr -d ' \n')" == *'"ip":"10.0.0.1/24"'* ]]
}

@test "commands from a network file land under their container" {
	show --compose-file "$D/a-compose.yaml" --network-file "$D/c-network.yaml"
	flat=$(echo "$output" | tr -d ' \n')
	[[ "$flat" == *'"commands":[{"command":["ip","link"],"container":"other"}]'* ]]
}

@test "YAML anchors and merge keys work in compose files" {
	cd "$TOP"
	HOST_INTERFACE=eth0 NODE1_HOST_ADDRESS=192.168.50.11/24 NODE2_HOST_ADDRESS=192.168.50.12/24 \
		show --compose-file examples/test8-compose.yaml
	[ "$status" -eq 0 ]
	[[ "$output" == *'"node-vlan"'* ]]
	[[ "$output" == *'"vlanid": 5'* ]]
}

@test "JSON network files load too, and an empty x-network adds nothing" {
	printf '{"links": [{"service": "j", "bridge": "s9", "mtu": 1500}]}\n' >"$BATS_TEST_TMPDIR/n.json"
	printf 'services:\n  e:\n    x-network:\n' >"$BATS_TEST_TMPDIR/c.yaml"
	show --compose-file "$BATS_TEST_TMPDIR/c.yaml" --network-file "$BATS_TEST_TMPDIR/n.json"
	flat=$(echo "$output" | tr -d ' \n')
	[[ "$flat" == *'"services":{"j":{"links":[{"base":"conlink","bridge":{"bridge":"s9","mode":'* ]]
	[[ "$flat" == *'"mtu":1500'* ]]
	! [[ "$flat" == *'"e":'* ]] || false
}
