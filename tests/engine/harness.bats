#!/usr/bin/env bats
# harness.bats - the engine test harness on each engine: compose smoke test,
# the static binary in images without libc, upstream's utils scenario.

load ../lib/engine

# Two network_mode: none containers; their PIDs read through the engine API
# are live processes in namespaces of their own holding only lo.
smoke() {
	cat >"$BATS_TEST_TMPDIR/compose.yaml" <<-'YAML'
	version: "2.4"
	services:
	  a:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 3600
	  b:
	    image: conlink-test-busybox
	    network_mode: none
	    command: sleep 3600
	YAML
	compose_init "$BATS_TEST_TMPDIR/compose.yaml"
	compose up -d
	local svc pid
	for svc in a b; do
		pid=$(compose_pid "$svc")
		echo "$svc: pid $pid"
		[ "$pid" -gt 1 ]
		[ -d "/proc/$pid" ]
		[ "$(cat "/proc/$pid/comm")" = sleep ]
		[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]
		run nsenter -t "$pid" -n ip -o link show
		[ "$status" = 0 ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == *": lo: "* ]]
	done
	[ "$(compose_pid a)" != "$(compose_pid b)" ]
}

@test "smoke [docker]: compose brings up two network_mode none containers, PIDs via the API" { on_engine docker smoke; }
@test "smoke [podman]: compose brings up two network_mode none containers, PIDs via the API" { on_engine podman smoke; }

# A template tree for copy -T; the file's value is checked on the host.
make_src_tree() {
	mkdir -p "$BATS_TEST_TMPDIR/src/sub" "$BATS_TEST_TMPDIR/out"
	printf 'greet={{WHO}} keep={{NOT_SET_HERE}}\n' >"$BATS_TEST_TMPDIR/src/sub/greeting"
}

# busybox-static has no libc: the static binary's wait and copy must run there.
static_in_busybox() {
	local utils
	require_image conlink-test-busybox
	utils=$(utils_dir)
	make_src_tree
	run ecli run --rm --network none --label "$ENGINE_LABEL" -e WHO=busybox \
		-v "$utils:/utils:ro" -v "$BATS_TEST_TMPDIR/src:/src:ro" \
		conlink-test-busybox sh -c '
			test ! -e /lib && test ! -e /usr/lib || { echo "image has a libc dir"; exit 9; }
			/utils/wait --timeout 10 -f /etc/hostname -i lo -c "test -d /src" -- \
				mkdir /tmp/out && /utils/copy -T /src /tmp/out -- cat /tmp/out/sub/greeting'
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"greet=busybox keep={{NOT_SET_HERE}}"* ]]
	[[ "$output" == *"exists"* ]]	# wait's progress lines
}

# An image holding nothing but the binary: no shell, no libc.
static_in_scratch() {
	require_image conlink-test-scratch
	make_src_tree
	# no /lib at all: waiting for libc must time out (exit 1)
	run ecli run --rm --network none --label "$ENGINE_LABEL" \
		conlink-test-scratch wait --timeout 1 -f /lib
	echo "$output"
	[ "$status" = 1 ]
	# -c without a shell: split into words and exec'd
	run ecli run --rm --network none --label "$ENGINE_LABEL" -e WHO=scratch \
		-v "$BATS_TEST_TMPDIR/src:/src:ro" -v "$BATS_TEST_TMPDIR/out:/out" \
		conlink-test-scratch wait --timeout 10 -f /src/sub/greeting -i lo \
		-c "copy --help" -- copy -T /src /out
	echo "$output"
	[ "$status" = 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/out/sub/greeting")" = "greet=scratch keep={{NOT_SET_HERE}}" ]
}

# Upstream's utils scenario: client waits on a file, eth0, its IP and web's
# TCP port, then runs its command; copier overlays a templated tree and
# checks the values itself. Containers are network_mode none: the test joins
# web and client with a veth pair made from the host (10.99.0.0/24).
utils_scenario() {
	local utils u=$FILES/engine/utils pw pc
	require_image conlink-test-busybox
	utils=$(utils_dir)
	cat >"$BATS_TEST_TMPDIR/compose.yaml" <<-YAML
	version: "2.4"
	services:
	  web:
	    image: conlink-test-busybox
	    network_mode: none
	    volumes: ["$utils:/utils:ro", "$u/www:/www:ro"]
	    command: /utils/wait -i eth0 -I eth0 -- httpd -f -v -p 8080 -h /www
	  client:
	    image: conlink-test-busybox
	    network_mode: none
	    volumes: ["$utils:/utils:ro"]
	    command: >-
	      /utils/wait -f /tmp/ready -i eth0 -I eth0 -t 10.99.0.2:8080 --
	      sh -c 'wget -q -O /tmp/got http://10.99.0.2:8080/ && echo client-done && exec sleep 3600'
	  copier:
	    image: conlink-test-busybox
	    network_mode: none
	    environment: [APP_NAME=utils-demo, APP_ADDR=10.99.0.2, APP_PORT=8080]
	    volumes: ["$utils:/utils:ro", "$u/files:/files:ro"]
	    command: /utils/copy -T /files / -- /usr/local/bin/check-app
	YAML
	compose_init "$BATS_TEST_TMPDIR/compose.yaml"
	compose up -d
	pw=$(compose_pid web)
	pc=$(compose_pid client)

	# copier: copied, templated, checked by itself, exit 0
	run ecli wait "$(docker-compose ps -q copier)"
	[ "$output" = 0 ] || { compose logs copier; false; }
	run compose logs --no-color copier
	echo "$output"
	[[ "$output" == *"check-app: values ok"* ]]

	# no network, no file yet: client has not run its command
	[ ! -e "/proc/$pc/root/tmp/got" ]

	ip link add eth0 netns "$pw" type veth peer name eth0 netns "$pc"
	nsenter -t "$pw" -n ip addr add 10.99.0.2/24 dev eth0
	nsenter -t "$pw" -n ip link set eth0 up
	nsenter -t "$pc" -n ip addr add 10.99.0.3/24 dev eth0
	nsenter -t "$pc" -n ip link set eth0 up

	# web serves once its interface has an address; client still waits
	# for the file, its first condition
	wait_until 20 nsenter -t "$pc" -n timeout 2 bash -c "exec 3<>/dev/tcp/10.99.0.2/8080" ||
		{ compose logs web; false; }
	[ ! -e "/proc/$pc/root/tmp/got" ]

	touch "/proc/$pc/root/tmp/ready"
	wait_until 30 eval 'compose logs client | grep -q client-done' ||
		{ compose logs client; false; }
	[ "$(cat "/proc/$pc/root/tmp/got")" = served-by-web ]
	run compose logs --no-color client
	echo "$output"
	[[ "$output" == *"eth0"* ]]
}

@test "static binary [docker]: wait and copy in the busybox-static image (no libc)" { on_engine docker static_in_busybox; }
@test "static binary [podman]: wait and copy in the busybox-static image (no libc)" { on_engine podman static_in_busybox; }
@test "static binary [docker]: wait and copy in an image holding only the binary" { on_engine docker static_in_scratch; }
@test "static binary [podman]: wait and copy in an image holding only the binary" { on_engine podman static_in_scratch; }
@test "utils scenario [docker]: wait on file, interface, IP, TCP; copy a templated tree" { on_engine docker utils_scenario; }
@test "utils scenario [podman]: wait on file, interface, IP, TCP; copy a templated tree" { on_engine podman utils_scenario; }
