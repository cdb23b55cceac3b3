#!/usr/bin/env bats
# interp: compose-style ${VAR} interpolation of network config strings.
# Each case puts an expression into a command string (a property passed
# through unchanged) and checks what --show-config makes of it.

load ../lib/common

# expand EXPR [VAR=VALUE...]: run --show-config on a config holding EXPR.
expand() {
	local expr=$1; shift
	local f=$BATS_TEST_TMPDIR/net.yaml
	# YAML single quotes keep every character but ' (written '')
	printf "links: []\ncommands:\n  - container: c\n    command: '%s'\n" \
		"${expr//\'/\'\'}" >"$f"
	run env -i PATH="$PATH" "$@" "$CONLINK" conlink --show-config --network-file "$f"
}

# is EXPR EXPECTED [VAR=VALUE...]
is() {
	local expr=$1 want=$2; shift 2
	expand "$expr" "$@"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	local got
	got=$(echo "$output" | grep '"command":' | sed 's/^ *"command": "//; s/",\{0,1\}$//')
	[ "$got" = "$want" ] || { echo "$expr: got '$got', want '$want'"; return 1; }
}

@test "\$VAR and \${VAR}: set, empty, unset" {
	is 'a $V b' 'a x b' V=x
	is 'a ${V} b' 'a x b' V=x
	is '[$V]' '[]' V=
	is '[$V]' '[]'
	is '[${V}]' '[]'
	is '$V_2-$V' 'y-x' V=x V_2=y
}

@test "\${VAR:-default} uses default when unset or empty" {
	is '${V:-d}' 'x' V=x
	is '${V:-d}' 'd' V=
	is '${V:-d}' 'd'
	is '${V:-}' ''
}

@test "\${VAR-default} uses default only when unset" {
	is '${V-d}' 'x' V=x
	is '[${V-d}]' '[]' V=
	is '${V-d}' 'd'
}

@test "\${VAR:+alt} and \${VAR+alt}" {
	is '${V:+alt}' 'alt' V=x
	is '[${V:+alt}]' '[]' V=
	is '[${V+alt}]' '[alt]' V=
	is '[${V+alt}]' '[]'
}

@test "nested default: \${FOO:-\${BAR}-SUFF}" {
	is '${FOO:-${BAR}-SUFF}' 'b-SUFF' BAR=b
	is '${FOO:-${BAR}-SUFF}' 'f' FOO=f BAR=b
	is '${FOO:-${BAR:-${BAZ}}}' 'z' BAZ=z
}

@test "\$\$ is a literal \$; a lone \$ stays" {
	is 'cost $$5 $${V}' 'cost $5 ${V}' V=x
	is 'a $ b $1' 'a $ b $1'
}

@test "\${VAR:?msg} fails on unset and on empty, naming file:line and path" {
	expand 'x ${NEED:?NEED must be set}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"net.yaml:4:14: commands[0].command: required variable NEED is missing a value: NEED must be set"* ]]
	expand '${NEED:?must}' NEED=
	[ "$status" -eq 1 ]
	[[ "$output" == *"required variable NEED"* ]]
	is '${NEED:?must}' 'ok' NEED=ok
}

@test "\${VAR?msg} fails only on unset" {
	expand '${NEED?gone}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"required variable NEED is missing a value: gone"* ]]
	is '[${NEED?gone}]' '[]' NEED=
}

@test "malformed expressions are errors" {
	expand 'a ${V'
	[ "$status" -eq 1 ]
	[[ "$output" == *"commands[0].command: invalid interpolation format for '\${V'"* ]]
	expand '${1V}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid interpolation format"* ]]
	expand '${V!x}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid interpolation format"* ]]
}

@test "only x-network is interpolated in a compose file" {
	f=$BATS_TEST_TMPDIR/compose.yaml
	cat >"$f" <<-'Y'
	services:
	  net:
	    environment: ["X=${UNSET_ONE:?not interpolated by conlink}"]
	  n:
	    x-network:
	      links: [{bridge: s1, ip: "${IP:-10.0.0.1/24}"}]
	Y
	run env -i PATH="$PATH" "$CONLINK" conlink --show-config --compose-file "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"ip": "10.0.0.1/24"'* ]]
}

@test "many interpolated strings (the position table grows meanwhile)" {
	f=$BATS_TEST_TMPDIR/many.yaml
	{ echo "links:"; for i in $(seq 1 600); do echo "  - {service: \"n\${S:-$i}\", bridge: \"\${B}\"}"; done; } >"$f"
	run env B=s1 "$CONLINK" conlink --show-config --default-bridge-mode linux --network-file "$f"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '"service": "n[0-9]*"')" -eq 600 ]
}
