#!/usr/bin/env bats
# image.bats - the project's Dockerfile builds with `docker build` and with
# `podman build` on the local base (scripts/make-base-image.sh), and the
# image holds what users exec into the network container for: the binary
# and its applets, ip/tc/nft/ethtool, and upstream's entry path
# /app/build/conlink.js dispatching to the daemon.

load ../lib/examples

# in_image CMD...: run CMD in a throw-away container of the image.
in_image() {
	ecli run --rm --network none --label "$ENGINE_LABEL" "$@"
}

image_builds() {
	[ -x "$CONLINK" ] || { echo "$CONLINK is missing: make"; return 1; }
	ex_build_image
	# the base is local: made from this machine's files, not pulled
	run ecli image inspect --format '{{ index .Config.Labels "conlink.base.hash" }}' conlink-base
	[ -n "$output" ]
	# the very binary under test, and a link per applet
	local applet want
	want=$("$CONLINK" --list)
	run in_image "$EX_IMAGE" conlink --list
	[ "$status" = 0 ]
	[ "$output" = "$want" ]
	for applet in $want; do
		run in_image "$EX_IMAGE" "$applet" --help
		[[ "${lines[0]}" == "Usage: $applet"* ]] || { echo "$applet: ${lines[0]}"; return 1; }
	done
	cmp <(in_image "$EX_IMAGE" cat /usr/local/bin/conlink) "$CONLINK"
}

@test "image [docker]: docker build on the local base; the binary and every applet run" { on_engine docker image_builds; }
@test "image [podman]: podman build on the local base; the binary and every applet run" { on_engine podman image_builds; }

image_tools() {
	ex_build_image
	run in_image "$EX_IMAGE" sh -c 'ip -V && tc -V && nft --version && ethtool --version && ps -p 1 -o comm='
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"iproute2"* ]]
	[[ "$output" == *"nftables"* ]]
	[[ "$output" == *"ethtool version"* ]]
	# tc works on the container's own interfaces (upstream's tests run it)
	run in_image --cap-add NET_ADMIN "$EX_IMAGE" sh -c \
		'tc qdisc add dev lo ingress && tc filter show dev lo ingress && tc qdisc show dev lo'
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"qdisc ingress"* ]]
}

@test "image [docker]: ip, tc, nft, ethtool and ps run in the image" { on_engine docker image_tools; }
@test "image [podman]: ip, tc, nft, ethtool and ps run in the image" { on_engine podman image_tools; }

# /app/build/conlink.js is the daemon: the same --show-config as the host's
# binary on an example, and its usage when asked.
image_upstream_entry() {
	ex_build_image
	run in_image "$EX_IMAGE" /app/build/conlink.js --help
	[[ "${lines[0]}" == "Usage: conlink"* ]]
	local out
	out=$(in_image -v "$TOP/examples:/test:ro" "$EX_IMAGE" \
		/app/build/conlink.js --show-config --compose-file /test/test9-compose.yaml 2>/dev/null)
	diff <(echo "$out" | jq -S .) \
		<(cd "$TOP/examples" && env -u BRIDGE_MODE "$CONLINK" --show-config \
			--compose-file test9-compose.yaml | jq -S .)
}

@test "image [docker]: /app/build/conlink.js dispatches to the daemon" { on_engine docker image_upstream_entry; }
@test "image [podman]: /app/build/conlink.js dispatches to the daemon" { on_engine podman image_upstream_entry; }
