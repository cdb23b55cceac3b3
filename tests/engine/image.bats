#!/usr/bin/env bats
# image.bats - the project's Dockerfile builds with `docker build` and with
# `podman build` from the sources alone (the build stage compiles; offline
# on the local bases of scripts/make-build-image.sh and make-base-image.sh),
# and the image holds what users exec into the network container for: the
# binary and its applets, ip/tc/bridge/nft/ethtool/tcpdump/ping/curl/jq,
# upstream's entry path /app/build/conlink.js dispatching to the daemon, and
# /utils with the static wait, copy, echo, wait.sh and copy.sh.

load ../lib/examples

# in_image CMD...: run CMD in a throw-away container of the image.
in_image() {
	ecli run --rm --network none --label "$ENGINE_LABEL" "$@"
}

# The files a fresh clone has (tracked and new ones, as they are now): no
# build/ output of the host's to lean on.
fresh_tree() {
	local dir=$BATS_TEST_TMPDIR/clone
	mkdir -p "$dir"
	git -C "$TOP" ls-files -z --cached --others --exclude-standard |
		(cd "$TOP" && xargs -0 tar -cf - --no-recursion) | tar -C "$dir" -xf -
	echo "$dir"
}

image_builds() {
	local tree
	tree=$(fresh_tree)
	[ ! -e "$tree/build" ]
	TOP=$tree ex_build_image
	# both bases are local: made from this machine's files, not pulled
	local base
	for base in conlink-base conlink-build-base; do
		run ecli image inspect --format '{{ index .Config.Labels "conlink.base.hash" }}' "$base"
		[ -n "$output" ]
	done
	# the binary built in the image, and a link per applet
	local applet want
	want=$("$CONLINK" --list)
	run in_image "$EX_IMAGE" conlink --list
	[ "$status" = 0 ]
	[ "$output" = "$want" ]
	for applet in $want; do
		[ "$applet" = echo ] && continue	# echo -h prints -h
		run in_image "$EX_IMAGE" "$applet" --help
		[[ "${lines[0]}" == "Usage: ${applet%.sh}"* ]] || { echo "$applet: ${lines[0]}"; return 1; }
	done
}

@test "image [docker]: docker build of a fresh tree on the local bases; the binary and every applet run" { on_engine docker image_builds; }
@test "image [podman]: podman build of a fresh tree on the local bases; the binary and every applet run" { on_engine podman image_builds; }

image_tools() {
	ex_build_image
	run in_image "$EX_IMAGE" sh -c 'ip -V && tc -V && bridge -V && nft --version &&
		ethtool --version && tcpdump --version && ping -V && curl --version &&
		jq --version && ps -p 1 -o comm='
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"iproute2"* ]]
	[[ "$output" == *"bridge utility"* ]]
	[[ "$output" == *"nftables"* ]]
	[[ "$output" == *"ethtool version"* ]]
	[[ "$output" == *"tcpdump version"* ]]
	[[ "$output" == *"ping from iputils"* ]]
	[[ "$output" == *"curl "* ]]
	[[ "$output" == *"jq-"* ]]
	# tc works on the container's own interfaces (upstream's tests run it);
	# tcpdump captures there and ping crosses lo
	run in_image --cap-add NET_ADMIN --cap-add NET_RAW "$EX_IMAGE" sh -c \
		'tc qdisc add dev lo ingress && tc filter show dev lo ingress && tc qdisc show dev lo &&
		 ip link set lo up && { tcpdump -nli lo -c 1 icmp 2>/dev/null & sleep 1; } &&
		 ping -c 1 -W 2 127.0.0.1 >/dev/null && wait'
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"qdisc ingress"* ]]
	[[ "$output" == *"127.0.0.1 > 127.0.0.1: ICMP echo request"* ]]
}

@test "image [docker]: ip, tc, bridge, nft, ethtool, tcpdump, ping, curl, jq and ps run in the image" { on_engine docker image_tools; }
@test "image [podman]: ip, tc, bridge, nft, ethtool, tcpdump, ping, curl, jq and ps run in the image" { on_engine podman image_tools; }

# /utils: one static binary under upstream's five names (hard links), each
# dispatching on its name.
image_utils() {
	ex_build_image
	run in_image "$EX_IMAGE" ls -1i /utils
	[ "$status" = 0 ]
	[ "$(echo $(printf '%s\n' "${lines[@]}" | cut -d' ' -f2))" = "copy copy.sh echo wait wait.sh" ]
	[ "$(printf '%s\n' "${lines[@]}" | cut -d' ' -f1 | sort -u | wc -l)" = 1 ]
	run in_image "$EX_IMAGE" sh -c 'cd /utils && ./echo -n a b && ./echo "" &&
		./wait -f /utils/copy && ./wait.sh --help && ./copy.sh --help'
	echo "$output"
	[ "$status" = 0 ]
	[ "${lines[0]}" = "a b" ]
	[ "${lines[1]}" = "File '/utils/copy' exists" ]
	[[ "${lines[2]}" == "Usage: wait "* ]]
	[[ "$output" == *$'\nUsage: copy '* ]]
}

@test "image [docker]: /utils holds wait, copy, echo, wait.sh and copy.sh, one binary" { on_engine docker image_utils; }
@test "image [podman]: /utils holds wait, copy, echo, wait.sh and copy.sh, one binary" { on_engine podman image_utils; }

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

# The libraries conlink loads only when used are in the image: libcurl (an
# engine socket that answers, mounted where conlink looks) and
# libmicrohttpd (--metrics), each then serving for real inside it.
image_lazy_libraries() {
	ex_build_image
	run in_image --cap-add NET_ADMIN --cap-add SYS_ADMIN \
		-v "$ENGINE_SOCK:/var/run/docker.sock" "$EX_IMAGE" sh -c '
		mkdir /tmp/ns && echo "links: []" >/tmp/n.yaml
		conlink --netns-dir /tmp/ns --network-file /tmp/n.yaml --control none \
			--metrics 127.0.0.1:9912 >/tmp/log 2>&1 &
		i=0
		while [ $((i += 1)) -le 50 ]; do
			grep -q "Using .* engine" /tmp/log && curl -sf 127.0.0.1:9912/metrics >/tmp/m && break
			sleep 0.2
		done
		cat /tmp/log; grep "^conlink_links_expected" /tmp/m; kill $!'
	echo "$output"
	[[ "$output" == *"Using "*" engine at /var/run/docker.sock"* ]]
	[[ "$output" == *"conlink_links_expected"* ]]
	[[ "$output" != *"needs lib"* ]]
}

@test "image [docker]: libcurl and libmicrohttpd, loaded only when used, load in the image" { on_engine docker image_lazy_libraries; }
@test "image [podman]: libcurl and libmicrohttpd, loaded only when used, load in the image" { on_engine podman image_lazy_libraries; }
