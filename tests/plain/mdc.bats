#!/usr/bin/env bats
# mdc: mode resolution (resolve-deps compatible), output formats, .env,
# file overlays, and the command line compose receives.

load ../lib/common

setup() {
	M=$BATS_TEST_TMPDIR/modes
	mkdir -p "$M"
}

# mode NAME [DEPS]: a mode directory, with a deps file when DEPS is given.
mode() {
	mkdir -p "$M/$1"
	[ $# -lt 2 ] || printf '%s\n' "$2" >"$M/$1/deps"
}

resolve() {
	MODES_DIR=$M "$CONLINK" mdc --resolve "$@"
}

# upstream resolve-deps tests/basic
basic_graph() {
	mode a
	mode b "a"
	mode c "a b"
	mode d "a b"
	mode e "a d|c"
	mode f "a b c|d"
}

# upstream resolve-deps tests/order
order_graph() {
	mode o1 "+o3"
	mode o2 "+o3"
	mode o3 "o4 o5"
	mode o4 "+o5"
	mode o5
}

# A copy of the fixture project, as the working directory.
project() {
	cp -r "$FILES/mdc/project" "$BATS_TEST_TMPDIR/p"
	cd "$BATS_TEST_TMPDIR/p"
}

@test "mode without deps resolves to itself" {
	basic_graph
	run resolve a
	[ "$status" -eq 0 ] && [ "$output" = "a" ]
}

@test "simple chain: one and two levels of deps" {
	basic_graph
	run resolve b
	[ "$output" = "a b" ]
	run resolve c
	[ "$output" = "a b c" ]
}

@test "AND: every plain dep is included, deps before dependents" {
	mode x "p q r"
	mode q "p"
	mode r "q"
	run resolve x
	[ "$status" -eq 0 ] && [ "$output" = "p q r x" ]
}

@test "OR picks the shortest resolution" {
	mode g "long|short"
	mode long "l1 l2"
	mode l2 "l1"
	mode short
	run resolve g
	[ "$output" = "short g" ]
}

@test "OR of equal cost picks the earlier alternative" {
	basic_graph
	run resolve e
	[ "$output" = "a b d e" ]
	run resolve f
	[ "$output" = "a b c f" ]
}

@test "a requested alternative forces the other branch" {
	basic_graph
	run resolve e c
	[ "$output" = "a b c e" ]
	run resolve e,c
	[ "$output" = "a b c e" ]
}

@test "redundant requests and deps appear once" {
	basic_graph
	run resolve e,c,a
	[ "$output" = "a b c e" ]
	run resolve "e e,e"
	[ "$output" = "a b d e" ]
}

@test "all alternatives requested: all included (inclusive or)" {
	basic_graph
	run resolve e,c,d
	[ "$output" = "a b d c e" ]
}

@test "alternatives in the request itself" {
	basic_graph
	run resolve "d|c"
	[ "$output" = "a b d" ]
	run resolve "c,d|c"
	[ "$output" = "a b c" ]
}

@test "order-only deps are ignored when absent" {
	order_graph
	run resolve o1
	[ "$output" = "o1" ]
	run resolve o4
	[ "$output" = "o4" ]
	run resolve o1,o2
	[ "$output" = "o1 o2" ]
	run resolve o2,o1
	[ "$output" = "o2 o1" ]
}

@test "order-only deps order what is present" {
	order_graph
	run resolve o3
	[ "$output" = "o5 o4 o3" ]
	run resolve o2,o3
	[ "$output" = "o5 o4 o3 o2" ]
	run resolve o1,o3
	[ "$output" = "o5 o4 o3 o1" ]
}

@test "upstream example 4: an order dep pulls d before b" {
	mode a
	mode b "a +d"
	mode c "a b"
	mode d "a"
	mode e "a d|c"
	run resolve d b
	[ "$output" = "a d b" ]
	run resolve b
	[ "$output" = "a b" ]
	run resolve e c d
	[ "$output" = "a d b c e" ]
}

@test "unknown name is a leaf mode with no deps" {
	basic_graph
	run resolve z
	[ "$status" -eq 0 ] && [ "$output" = "z" ]
	run resolve e,c,z
	[ "$output" = "a b c e z" ]
	mode y "nodir"
	run resolve y
	[ "$output" = "nodir y" ]
}

@test "deps files: commas, comments, several lines" {
	mode a
	mode b
	mode c
	mode x
	printf 'a, b # a comment with c in it\n\n c#d\n' >"$M/x/deps"
	run resolve x
	[ "$output" = "a b c x" ]
}

@test "the earlier alternative wins among nested ties" {
	# the first unsatisfied clause in discovery order branches first
	mode top "p|q r|s"
	mode p "r"
	mode q "s"
	run resolve top
	[ "$output" = "r p top" ]
}

@test "cycle is an error naming the modes in it" {
	mode cyc1 "cyc2"
	mode cyc2 "x cyc3"
	mode cyc3 "cyc1"
	run resolve cyc1
	[ "$status" -eq 1 ]
	[[ "$output" == *"Graph contains a cycle: cyc1 -> cyc2 -> cyc3 -> cyc1"* ]]
}

@test "an order-only cycle among the result is an error too" {
	mode p "+q"
	mode q "p"
	run resolve q
	[ "$status" -eq 1 ]
	[[ "$output" == *"Graph contains a cycle"*p*q* ]]
}

@test "a mode in two directories is an error naming both paths" {
	mode a
	mkdir -p "$BATS_TEST_TMPDIR/more/a"
	run env MODES_DIR="$M:$BATS_TEST_TMPDIR/more" "$CONLINK" mdc --resolve a
	[ "$status" -eq 1 ]
	[[ "$output" == *"'a' appears in multiple places: $M/a, $BATS_TEST_TMPDIR/more/a"* ]]
}

@test "modes from several directories combine" {
	mode a
	mkdir -p "$BATS_TEST_TMPDIR/more/b"
	echo a >"$BATS_TEST_TMPDIR/more/b/deps"
	run env MODES_DIR="$M:$BATS_TEST_TMPDIR/more" "$CONLINK" mdc --resolve b --format paths
	[ "$output" = "a=$M/a
b=$BATS_TEST_TMPDIR/more/b" ]
}

@test "a missing modes directory is an error naming it" {
	run env MODES_DIR="$BATS_TEST_TMPDIR/nowhere" "$CONLINK" mdc --resolve a
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read modes directory '$BATS_TEST_TMPDIR/nowhere'"* ]]
}

@test "bad deps syntax names the file and line" {
	mode a
	printf 'b\n+\n' >"$M/a/deps"
	run resolve a
	[ "$status" -eq 1 ]
	[[ "$output" == *"$M/a/deps: line 2: '+' without a mode name"* ]]
}

@test "--format nodes, paths" {
	basic_graph
	run resolve --format nodes e,z
	[ "$output" = "a b d e z" ]
	run resolve e,z --format=paths
	[ "$output" = "a=$M/a
b=$M/b
d=$M/d
e=$M/e
z=" ]
}

@test "--format json: node, path, dep-str, deps" {
	basic_graph
	mode o "+a"
	run resolve --format json f,z,o
	[ "$status" -eq 0 ]
	expected=$(jq -n --arg m "$M" '[
	  {node: "a", path: "\($m)/a", "dep-str": "", deps: []},
	  {node: "b", path: "\($m)/b", "dep-str": "a\n", deps: ["a"]},
	  {node: "c", path: "\($m)/c", "dep-str": "a b\n", deps: ["a", "b"]},
	  {node: "f", path: "\($m)/f", "dep-str": "a b c|d\n", deps: ["a", "b", {or: ["c", "d"]}]},
	  {node: "z", deps: []},
	  {node: "o", path: "\($m)/o", "dep-str": "+a\n", deps: [{after: "a"}]}]')
	[ "$(jq -cS . <<<"$output")" = "$(jq -cS . <<<"$expected")" ]
	# keys in upstream's order
	[ "$(jq -c '.[0] | keys_unsorted' <<<"$output")" = '["node","path","dep-str","deps"]' ]
}

@test "--resolve changes nothing" {
	project
	run env MODES_DIR=./modes "$CONLINK" mdc --resolve web
	[ "$output" = "base web" ]
	[ ! -e .env ] && [ ! -e .files ] && [ ! -e .compose-empty.yaml ]
}

@test "usage errors exit 2" {
	run "$CONLINK" mdc
	[ "$status" -eq 2 ]
	run "$CONLINK" mdc --resolve
	[ "$status" -eq 2 ]
	run "$CONLINK" mdc --resolve a --format xml
	[ "$status" -eq 2 ]
	[[ "$output" == *"expected nodes, paths or json"* ]]
	run "$CONLINK" mdc --resolve a --bogus
	[ "$status" -eq 2 ]
}

@test ".env content, exactly" {
	project
	run "$CONLINK" mdc extra-mode,web
	[ "$status" -eq 0 ]
	[ "$output" = "MODES: base web extra-mode" ]
	cat >expected <<-EOF
	# mdc extra-mode,web
	### mdc begin mode base (./modes/base/env)
	MDC_MODE_base=enabled
	BASE_VAR=1
	### mdc end mode base (./modes/base/env)
	### mdc begin mode web (./modes/web/.env)
	MDC_MODE_web=enabled
	WEB_PORT=80
	### mdc end mode web (./modes/web/.env)
	### mdc begin mode extra-mode (./modes/extra-mode/env)
	MDC_MODE_extra_mode=enabled
	X=1
	### mdc end mode extra-mode (./modes/extra-mode/env)
	COMPOSE_FILE=./.compose-empty.yaml:./modes/base/compose.yaml:./modes/web/compose.yml:./modes/extra-mode/compose.yml
	COMPOSE_DIR=$PWD
	COMPOSE_PROFILES=MODE_base,MODE_web,MODE_extra-mode
	MDC_MODE_DIRS="./modes/base,./modes/web,./modes/extra-mode"
	EOF
	diff -u expected .env
	[ "$(cat .compose-empty.yaml)" = 'version: "3.9"
services: {}' ]
}

@test ".env is 0644 when every env file is 0644" {
	project
	chmod 0644 modes/*/env modes/*/.env
	(umask 077 && "$CONLINK" mdc extra-mode,web)
	[ "$(stat -c %a .env)" = 644 ]
}

@test "a 0600 env file makes .env 0600; a rewrite takes the new mode" {
	project
	chmod 0644 modes/*/env modes/*/.env
	chmod 0600 modes/web/.env
	echo stale >.env && chmod 0644 .env
	run "$CONLINK" mdc extra-mode,web
	[ "$status" -eq 0 ]
	[ "$(stat -c %a .env)" = 600 ]
	grep -qx WEB_PORT=80 .env
	chmod 0644 modes/web/.env
	run "$CONLINK" mdc extra-mode,web
	[ "$status" -eq 0 ]
	[ "$(stat -c %a .env)" = 644 ]
	# ENV_FILE elsewhere too
	chmod 0600 modes/base/env
	ENV_FILE=other.env run "$CONLINK" mdc base
	[ "$(stat -c %a other.env)" = 600 ]
	[ -z "$(find . -maxdepth 1 -name '.*.??????')" ]
}

@test ".env drops each group/other bit that one env file lacks; its owner keeps rw" {
	project
	chmod 0644 modes/*/env modes/*/.env
	chmod 0640 modes/base/env
	"$CONLINK" mdc extra-mode,web
	[ "$(stat -c %a .env)" = 640 ]
	chmod 0604 modes/web/.env
	"$CONLINK" mdc extra-mode,web
	[ "$(stat -c %a .env)" = 600 ]
	# a read-only, private env file: .env is still its owner's to rewrite
	chmod 0644 modes/*/env modes/*/.env && chmod 0400 modes/extra-mode/env
	"$CONLINK" mdc extra-mode,web
	[ "$(stat -c %a .env)" = 600 ]
	# modes without an env file do not count
	"$CONLINK" mdc base,debug
	chmod 0644 modes/base/env && "$CONLINK" mdc base,debug
	[ "$(stat -c %a .env)" = 644 ]
}

@test ".compose-empty.yaml takes the first declared compose version" {
	project
	printf 'version: "2.4"\nservices: {}\n' >modes/web/compose.yml
	run "$CONLINK" mdc web
	[ "$status" -eq 0 ]
	[ "$(cat .compose-empty.yaml)" = 'version: "2.4"
services: {}' ]
}

@test "ENV_FILE elsewhere: COMPOSE_DIR is its absolute directory" {
	project
	mkdir out
	ENV_FILE=out/my.env run "$CONLINK" mdc base
	[ "$status" -eq 0 ]
	[ ! -e .env ]
	grep -qx "COMPOSE_DIR=$PWD/out" out/my.env
	grep -qx "COMPOSE_FILE=./.compose-empty.yaml:./modes/base/compose.yaml" out/my.env
	grep -qx "# mdc base" out/my.env
}

@test "leaf modes get a profile but no directory" {
	project
	run "$CONLINK" mdc base,debug
	[ "$status" -eq 0 ]
	grep -qx "COMPOSE_PROFILES=MODE_base,MODE_debug" .env
	grep -qx 'MDC_MODE_DIRS="./modes/base"' .env
}

@test "file overlays: later modes override, SUBDIR/files only" {
	project
	mkdir -p .files/stale && echo old >.files/stale/file
	run "$CONLINK" mdc web
	[ "$status" -eq 0 ]
	[ "$(cat .files/svc1/etc/conf1)" = "web conf1" ]
	[ "$(cat .files/svc1/.hidden)" = "base hidden" ]
	[ "$(cat .files/svc2/etc/conf2)" = "base conf2" ]
	[ ! -e .files/stale ]
	[ ! -e .files/notfiles ] && [ ! -e .files/web ]
	# only base: its own conf1
	run "$CONLINK" mdc base
	[ "$(cat .files/svc1/etc/conf1)" = "base conf1" ]
}

@test "MDC_FILES_DIR elsewhere" {
	project
	MDC_FILES_DIR=build/files run "$CONLINK" mdc web
	[ "$status" -eq 0 ]
	[ "$(cat build/files/svc1/etc/conf1)" = "web conf1" ]
	[ ! -e .files ]
}

@test "MDC_FILES_DIR of '.' or '/' is refused, nothing touched" {
	project
	for d in . ./ / // sub/.. "$PWD/."; do
		MDC_FILES_DIR=$d run "$CONLINK" mdc web
		[ "$status" -eq 1 ] || { echo "accepted '$d'"; false; }
		[[ "$output" == *"MDC_FILES_DIR must not be '.' or '/'"* ]]
	done
	[ -d modes/base ] && [ ! -e .env ]
}

@test "compose receives --env-file ENV_FILE and the arguments" {
	project
	cat >fake-compose <<-'EOF'
	#!/bin/sh
	for a in "$@"; do printf '<%s>\n' "$a"; done >"$(dirname "$0")/argv"
	cp .env "$(dirname "$0")/env-seen"
	EOF
	chmod +x fake-compose
	DOCKER_COMPOSE="$PWD/fake-compose --ansi never" run "$CONLINK" mdc web up -d "two words" '$HOME;x'
	[ "$status" -eq 0 ]
	[ "$(cat argv)" = "<--ansi>
<never>
<--env-file>
<.env>
<up>
<-d>
<two words>
<\$HOME;x>" ]
	# the .env was complete when compose started
	diff .env env-seen
}

@test "compose sees ENV_FILE as given; no COMPOSE_ARGS runs nothing" {
	project
	printf '#!/bin/sh\necho "$@" >"$(dirname "$0")/argv"\n' >fake-compose
	chmod +x fake-compose
	DOCKER_COMPOSE=$PWD/fake-compose ENV_FILE=x.env run "$CONLINK" mdc base ps
	[ "$(cat argv)" = "--env-file x.env ps" ]
	rm argv
	DOCKER_COMPOSE=$PWD/fake-compose run "$CONLINK" mdc base
	[ "$status" -eq 0 ] && [ ! -e argv ]
}

@test "compose's exit status is mdc's" {
	project
	printf '#!/bin/sh\nexit 7\n' >fake-compose
	chmod +x fake-compose
	DOCKER_COMPOSE=$PWD/fake-compose run "$CONLINK" mdc base up
	[ "$status" -eq 7 ]
}

@test "VERBOSE shows what is done" {
	project
	VERBOSE=1 run "$CONLINK" mdc web
	[ "$status" -eq 0 ]
	[[ "$output" == *"MODES: base web"* ]]
	[[ "$output" == *"COMPOSE_FILE=./.compose-empty.yaml:./modes/base/compose.yaml:./modes/web/compose.yml"* ]]
	[[ "$output" == *"svc1/etc/conf1"* ]]
}
