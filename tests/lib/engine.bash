# engine.bash - engine tests against the real Docker and Podman.
#
#   load ../lib/engine        (the prologue of the engine level: it loads
#                             common.bash and daemon.bash and defines
#                             setup_file, teardown_file and teardown)
#
#   smoke() {                          # one body, written once
#       compose_init "$BATS_TEST_TMPDIR/compose.yaml"
#       compose up -d
#       ...                            # ecli ps, engine_api /containers/json
#   }
#   @test "smoke [docker]" { on_engine docker smoke; }
#   @test "smoke [podman]" { on_engine podman smoke; }
#
# How an engine test runs on each engine: every test is written as a body
# function and one @test line per engine calls `on_engine NAME body`.
# on_engine skips when ENGINE (docker|podman|all, default all; a list like
# "docker podman" works too) leaves NAME out, fails with the reason when the
# engine could not be started, and otherwise sets, for the body and teardown:
#   ENGINE_NAME  docker|podman
#   ENGINE_SOCK  the engine's API socket; DOCKER_HOST=unix://$ENGINE_SOCK
#   ecli ARGS    the engine's own CLI (docker -H ... / podman)
#   compose ARGS docker-compose 1.29 on that engine (after compose_init)
# Separate @test lines keep the engines apart: a failure names its engine,
# one engine failing never hides the other, and each gets its own teardown.
#
# Engine lifetime: engine_setup_file acquires each selected engine under a
# lock in $ENGINE_STATE (/run/conlink-test): when its socket does not answer
# it is started (Docker: containerd if needed, then dockerd --pidfile; Podman:
# `podman system service` on $ENGINE_STATE/podman.sock with the project's
# tests/files/containers.conf) and the PIDs started are written to
# NAME.started. Every bats file holding an engine writes its PID to
# NAME.holders; engine_teardown_file drops it, and the last holder stops what
# NAME.started lists, by PID, in reverse order. Dead holders (a run that was
# killed) are pruned, so the next run adopts and later stops a leftover
# engine; an engine that answered before the harness came is never stopped.
#
# Test images (built in engine_setup_file, rebuilt only when their input's
# hash, kept as an image label, changed):
#   conlink-test-busybox  busybox-static: bin/busybox + one symlink per applet,
#                         PATH=/bin, no libc
#   conlink-test-scratch  nothing but build/conlink-static as /bin/conlink and
#                         a symlink per applet it has
#
# Further helpers (sections at the end of this file):
#   conlink_start ARGS          (daemon.bash) the daemon on the host against
#                               this engine, in a namespace of the test's own
#   engine_private_start/stop/cleanup, ecli_priv
#                               a second API service of the engine that the
#                               test alone owns and may restart
#   require_daemon_image        conlink-test-daemon: busybox + build/conlink
#
# The hooks it defines (a file may define its own and call these):
#   setup_file()    engine_setup_file: acquire the selected engines
#   teardown_file() engine_teardown_file: release them
#   teardown()      engine_teardown: the daemon stopped (conlink_teardown,
#                   log tail shown), a private service removed
#                   (engine_private_cleanup), the test's containers removed
#                   (engine_cleanup), its namespaces removed (teardown_common)
# engine_cleanup, also after a failure: `down -v --remove-orphans` of every
# compose project compose_init made, then removal of any container, network
# or volume still labelled with that project or with $ENGINE_LABEL (put
# `--label "$ENGINE_LABEL"` on containers a test runs by hand; ecli_run does
# it for you).

# the paths, the poller, netns_add; the daemon's start/stop (conlink_start
# uses conlink_source_engine, below). Scripts source this file too
# (scripts/demo.sh, scripts/bench-*.sh: engine_acquire/engine_release).
# shellcheck source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
# shellcheck source=daemon.bash
source "$(dirname "${BASH_SOURCE[0]}")/daemon.bash"

ENGINE_STATE=${ENGINE_STATE:-/run/conlink-test}
export CONTAINERS_CONF=$TOP/tests/files/containers.conf
export DOCKER_BUILDKIT=0
ENGINE_IMAGES_VERSION=2	# bump when the image recipes below change

# Every engine a test may run on, in order.
ENGINES_ALL="docker podman"

engine_selected() {
	local want=${ENGINE:-all}
	[ "$want" = all ] && want=$ENGINES_ALL
	case " ${want//,/ } " in *" $1 "*) return 0 ;; esac
	return 1
}

engine_sock_of() {
	case $1 in
	docker) echo "${DOCKER_SOCK:-/var/run/docker.sock}" ;;
	podman) echo "${PODMAN_SOCK:-$ENGINE_STATE/podman.sock}" ;;
	esac
}

# True when the engine NAME answers _ping on its socket.
engine_answers() {
	local sock
	sock=$(engine_sock_of "$1")
	[ -S "$sock" ] &&
		[ "$(curl -s --max-time 3 --unix-socket "$sock" http://d/_ping)" = OK ]
}

# ---- starting and stopping engines -------------------------------------

# _detach LOG CMD...: run CMD in its own session, stdio to LOG, with no fd of
# bats or of our lock inherited (bats waits on its fds; a daemon holding the
# lock fd would hold the lock forever). Sets ENGINE_BG_PID (CMD's own PID:
# the subshell execs setsid, which execs CMD without forking because a
# background job of a non-interactive shell is no process group leader).
_detach() {
	local log=$1; shift
	(
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done 2>/dev/null
		exec setsid "$@" </dev/null >>"$log" 2>&1
	) &
	ENGINE_BG_PID=$!
}

_record_started() {	# ENGINE COMM PID
	echo "$2 $3" >>"$ENGINE_STATE/$1.started"
}

_containerd_answers() {
	ctr --address /run/containerd/containerd.sock version >/dev/null 2>&1
}

_docker_answers() {
	docker -H "unix://$(engine_sock_of docker)" version >/dev/null 2>&1
}

_start_docker() {
	if ! _containerd_answers; then
		_detach "$ENGINE_STATE/containerd.log" containerd
		_record_started docker containerd "$ENGINE_BG_PID"
		wait_until -q 30 _containerd_answers ||
			{ echo "containerd did not answer in 30s"; tail -5 "$ENGINE_STATE/containerd.log"; return 1; }
	fi
	rm -f "$ENGINE_STATE/dockerd.pid"
	# dockerd leaves its bridge behind when it stops: remove it then, when
	# it is ours (listed before dockerd, so it goes after dockerd stopped)
	ip link show docker0 >/dev/null 2>&1 || _record_started docker link docker0
	# kernel-lab: the overlay root refuses the renames dockerd makes in
	# /var/lib/docker (ENVIRONMENT.md); /run is a tmpfs there
	_detach "$ENGINE_STATE/dockerd.log" dockerd \
		${KERNEL_LAB:+--data-root /run/docker-data} \
		--pidfile "$ENGINE_STATE/dockerd.pid" \
		--containerd /run/containerd/containerd.sock \
		-H "unix://$(engine_sock_of docker)"
	_record_started docker dockerd "$ENGINE_BG_PID"
	wait_until -q 60 _docker_answers ||
		{ echo "dockerd did not answer in 60s"; tail -5 "$ENGINE_STATE/dockerd.log"; return 1; }
}

_start_podman() {
	local sock
	sock=$(engine_sock_of podman)
	rm -f "$sock"
	_detach "$ENGINE_STATE/podman.log" podman system service --time=0 "unix://$sock"
	_record_started podman podman "$ENGINE_BG_PID"
	wait_until -q 30 engine_answers podman ||
		{ echo "podman service did not answer in 30s"; tail -5 "$ENGINE_STATE/podman.log"; return 1; }
}

# _stop_pid PID SECONDS: SIGTERM; SIGKILL when it has not ended in SECONDS.
# (Called under errexit from tests: no step may fail.)
_stop_pid() {
	kill -TERM "$1" 2>/dev/null || true
	wait_until -q "$2" eval "! kill -0 $1 2>/dev/null" || true
	kill -KILL "$1" 2>/dev/null || true
}

# Stop, by PID and in reverse order, what NAME.started lists. Each line is
# "COMM PID"; a PID whose /proc/PID/comm is no longer COMM was reused: skip.
# A line "link NAME" is an interface the engine made that goes with it.
_stop_started() {
	local file=$ENGINE_STATE/$1.started comm pid
	[ -f "$file" ] || return 0
	tac "$file" | while read -r comm pid; do
		if [ "$comm" = link ]; then
			ip link del "$pid" 2>/dev/null
			continue
		fi
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || continue
		_stop_pid "$pid" 20
	done
	rm -f "$file"
}

# Keep only live PIDs in NAME.holders, minus EXCEPT.
_prune_holders() {
	local file=$ENGINE_STATE/$1.holders except=${2:-} pid keep=
	[ -f "$file" ] || return 0
	while read -r pid; do
		[ -n "$pid" ] && [ "$pid" != "$except" ] && kill -0 "$pid" 2>/dev/null &&
			keep+="$pid"$'\n'
	done <"$file"
	printf '%s' "$keep" >"$file"
}

_lock() {
	mkdir -p "$ENGINE_STATE"
	exec {ENGINE_LOCK_FD}>"$ENGINE_STATE/$1.lock"
	flock -w 600 "$ENGINE_LOCK_FD"
}

_unlock() {
	exec {ENGINE_LOCK_FD}>&-
}

# engine_acquire NAME: make NAME answer (starting it when needed), build its
# images, register this bats file as a holder. Prints why on failure.
engine_acquire() {
	local name=$1 rc=0
	_lock "$name" || { echo "lock $ENGINE_STATE/$name.lock: timeout"; return 1; }
	_prune_holders "$name"
	if ! engine_answers "$name"; then
		# leftovers of a crashed run that no longer answer: stop them first
		_stop_started "$name"
		"_start_$name" || rc=1
	fi
	echo "$$" >>"$ENGINE_STATE/$name.holders"
	if [ "$rc" = 0 ]; then
		ENGINE_NAME=$name ENGINE_SOCK=$(engine_sock_of "$name")
		engine_build_images || rc=1
	fi
	_unlock
	return "$rc"
}

# engine_release NAME: drop this holder; the last one stops what was started.
engine_release() {
	local name=$1
	_lock "$name" || return 1
	_prune_holders "$name" "$$"
	[ -s "$ENGINE_STATE/$name.holders" ] || _stop_started "$name"
	_unlock
}

engine_setup_file() {
	local name msg
	for name in $ENGINES_ALL; do
		engine_selected "$name" || continue
		if ! msg=$(engine_acquire "$name" 2>&1); then
			# on_engine fails this engine's tests with the reason
			export "ENGINE_FAILED_$name=${msg:-could not start $name}"
		fi
	done
}

engine_teardown_file() {
	local name
	for name in $ENGINES_ALL; do
		engine_selected "$name" && engine_release "$name"
	done
	return 0
}

# ---- per test -----------------------------------------------------------

# utils_dir: a directory with the static binary and a link per applet, to
# mount as /utils (as upstream mounts its utils). Prints its path.
utils_dir() {
	local dir=$BATS_TEST_TMPDIR/utils bin=$TOP/build/conlink-static applet
	[ -x "$bin" ] || { echo "$bin is missing: run make static" >&2; return 1; }
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir"
		cp "$bin" "$dir/conlink"
		for applet in $("$bin" --list); do
			ln -s conlink "$dir/$applet"
		done
	fi
	echo "$dir"
}

ecli() {
	case $ENGINE_NAME in
	docker) docker -H "unix://$ENGINE_SOCK" "$@" ;;
	podman) podman "$@" ;;
	esac
}

# ecli_run ARGS...: `run -d` of a container labelled for cleanup.
ecli_run() {
	ecli run -d --label "$ENGINE_LABEL" "$@"
}

# engine_api PATH [curl args]: GET (or what the args say) on the engine's API.
engine_api() {
	local path=$1; shift
	curl -sS --fail --max-time 30 --unix-socket "$ENGINE_SOCK" "$@" "http://d$path"
}

# on_engine NAME BODY [ARGS]: run BODY on engine NAME (see the top).
on_engine() {
	local name=$1 failed; shift
	engine_selected "$name" || skip "ENGINE=${ENGINE:-all} leaves out $name"
	failed=ENGINE_FAILED_$name
	if [ -n "${!failed:-}" ]; then
		echo "engine $name is not available: ${!failed}"
		return 1
	fi
	ENGINE_NAME=$name
	ENGINE_SOCK=$(engine_sock_of "$name")
	CONLINK_SOURCE=engine	# conlink_start: on this engine
	export DOCKER_HOST=unix://$ENGINE_SOCK
	ENGINE_LABEL=conlink.test=$(printf 'clt%s%04x%04x' "${name:0:1}" $RANDOM $RANDOM)
	"$@"
}

# compose_init FILE: set up a compose project with a unique name for FILE
# (COMPOSE_FILE, COMPOSE_PROJECT_NAME are read by docker-compose itself).
compose_init() {
	export COMPOSE_FILE=$1
	export COMPOSE_PROJECT_NAME
	COMPOSE_PROJECT_NAME=$(printf 'clt%s%04x%04x' "${ENGINE_NAME:0:1}" $RANDOM $RANDOM)
	echo "$COMPOSE_PROJECT_NAME $COMPOSE_FILE" >>"$BATS_TEST_TMPDIR/.compose"
}

compose() {
	docker-compose --ansi never "$@" 2>&1
}

# compose_pid SERVICE [INDEX]: State.Pid of a compose container, read
# through the engine API.
compose_pid() {
	local cid
	cid=$(docker-compose ps -q "$1" 2>/dev/null | sed -n "${2:-1}p")
	[ -n "$cid" ] || { echo "no container for service $1" >&2; return 1; }
	engine_api "/containers/$cid/json" | jq -e '.State.Pid'
}

# Podman keeps the conmon of an exec session for 300 s after it ended
# (--exit-delay), also after its container is gone: end those of the
# containers IDS (full ids), by PID.
_reap_conmon() {
	local p id cmdline
	[ "$ENGINE_NAME" = podman ] && [ $# -gt 0 ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = conmon ] || continue
		cmdline=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		for id; do
			[[ "$cmdline" == *" -c $id "* ]] && kill "${p#/proc/}" 2>/dev/null
		done
	done
}

# Remove what carries label L: containers (with their volumes), networks,
# volumes.
_remove_labelled() {
	local l=$1 ids
	ids=$(ecli ps -aq --no-trunc --filter "label=$l" 2>/dev/null)
	[ -n "$ids" ] && ecli rm -f -v $ids >/dev/null 2>&1
	_reap_conmon $ids
	ids=$(ecli network ls -q --filter "label=$l" 2>/dev/null)
	[ -n "$ids" ] && ecli network rm $ids >/dev/null 2>&1
	ids=$(ecli volume ls -q --filter "label=$l" 2>/dev/null)
	[ -n "$ids" ] && ecli volume rm -f $ids >/dev/null 2>&1
	return 0
}

engine_cleanup() {
	local project file ids
	[ -n "${ENGINE_NAME:-}" ] || return 0
	if [ -f "$BATS_TEST_TMPDIR/.compose" ]; then
		while read -r project file; do
			ids=$(ecli ps -aq --no-trunc --filter "label=com.docker.compose.project=$project" 2>/dev/null)
			COMPOSE_PROJECT_NAME=$project COMPOSE_FILE=$file \
				docker-compose --ansi never down -v --remove-orphans -t 0 >/dev/null 2>&1
			_reap_conmon $ids
			_remove_labelled "com.docker.compose.project=$project"
		done <"$BATS_TEST_TMPDIR/.compose"
		rm -f "$BATS_TEST_TMPDIR/.compose"
	fi
	_remove_labelled "$ENGINE_LABEL"
	return 0
}

# ---- test images ----------------------------------------------------------

_image_hash() {
	ecli image inspect --format '{{ index .Config.Labels "conlink.test.hash" }}' "$1" 2>/dev/null
}

_image_id() {
	ecli image inspect --format '{{ .Id }}' "$1" 2>/dev/null
}

# _import_rootfs NAME HASH DIR: import DIR as image NAME labelled with HASH,
# then drop the image it replaced; DIR is removed.
_import_rootfs() {
	local name=$1 hash=$2 dir=$3 old new tar rc=0
	old=$(_image_id "$name")
	tar=$dir.tar
	if tar --numeric-owner -C "$dir" -cf "$tar" . &&
		ecli import --change 'ENV PATH=/bin' --change "LABEL conlink.test.hash=$hash" \
			"$tar" "$name" >/dev/null; then
		new=$(_image_id "$name")
		[ -n "$old" ] && [ "$old" != "$new" ] && ecli rmi "$old" >/dev/null 2>&1
	else
		rc=1
	fi
	rm -rf "$tar" "$dir"
	return $rc
}

# _rootfs_skeleton DIR: the directories a container runtime expects.
_rootfs_skeleton() {
	mkdir -p "$1"/{bin,etc,proc,sys,dev,tmp,root,var,run}
	chmod 1777 "$1/tmp"
}

# _busybox_rootfs DIR: the skeleton with busybox-static and one symlink per
# applet (none named busybox).
_busybox_rootfs() {
	local applet
	_rootfs_skeleton "$1"
	cp /bin/busybox "$1/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$1/bin/$applet"
	done
}

_build_busybox_image() {
	local bb=/bin/busybox hash dir
	[ -x "$bb" ] || { echo "busybox-static is not installed ($bb)"; return 1; }
	hash=$ENGINE_IMAGES_VERSION-$(sha256sum "$bb" | cut -c1-32)
	[ "$(_image_hash conlink-test-busybox)" = "$hash" ] && return 0
	dir=$(mktemp -d "$ENGINE_STATE/rootfs.XXXXXX")
	_busybox_rootfs "$dir"
	_import_rootfs conlink-test-busybox "$hash" "$dir"
}

_build_scratch_image() {
	local bin=$TOP/build/conlink-static hash dir applet
	[ -x "$bin" ] || { echo "$bin is missing: run make static"; return 1; }
	hash=$ENGINE_IMAGES_VERSION-$(sha256sum "$bin" | cut -c1-32)
	[ "$(_image_hash conlink-test-scratch)" = "$hash" ] && return 0
	dir=$(mktemp -d "$ENGINE_STATE/rootfs.XXXXXX")
	mkdir -p "$dir/bin"
	cp "$bin" "$dir/bin/conlink"
	for applet in $("$bin" --list); do
		ln -s conlink "$dir/bin/$applet"
	done
	_import_rootfs conlink-test-scratch "$hash" "$dir"
}

# Build (or keep) the test images on ENGINE_NAME. A missing static binary
# is reported but does not stop the busybox image.
engine_build_images() {
	local rc=0
	_build_busybox_image || { echo "building conlink-test-busybox on $ENGINE_NAME failed"; rc=1; }
	_build_scratch_image || echo "conlink-test-scratch not built on $ENGINE_NAME" >&2
	return $rc
}

# require_image NAME: fail with the reason when a test image is missing.
require_image() {
	_image_id "$1" >/dev/null || {
		echo "image $1 is missing on $ENGINE_NAME (see engine.bash: engine_build_images)"
		return 1
	}
}

# ---- the project's image, built offline ---------------------------------

# image_build_local IMAGE: the project's Dockerfile built with the engine's
# own build command, with no network: the build stage on the toolchain base
# (scripts/make-build-image.sh) and the runtime stage on the runtime base
# (scripts/make-base-image.sh), both made from this machine's files and kept
# (re-made only when their inputs changed). The image IMAGE replaces is
# removed. Errors on stderr.
image_build_local() {
	local image=$1 old new
	ENGINE=$ENGINE_NAME "$TOP/scripts/make-build-image.sh" conlink-build-base >/dev/null &&
		ENGINE=$ENGINE_NAME "$TOP/scripts/make-base-image.sh" conlink-base >/dev/null ||
		return 1
	old=$(_image_id "$image" || true)
	ecli build -q --force-rm --network none --build-arg BUILD_BASE=conlink-build-base \
		--build-arg BASE=conlink-base --build-arg INSTALL_DEPS=0 \
		-t "$image" "$TOP" >/dev/null || return 1
	new=$(_image_id "$image")
	[ -z "$old" ] || [ "$old" = "$new" ] || ecli rmi "$old" >/dev/null 2>&1 || true
	return 0
}

# ---- the daemon on an engine ----------------------------------------------

# The engine source of daemon.bash's conlink_start (on_engine selects it):
# build/conlink on the host against ENGINE_NAME only, inside a network
# namespace of the test's own ($CONLINK_NETNS; made when unset) so its
# bridges never land in the host's namespace, with --compose-project
# $COMPOSE_PROJECT_NAME once compose_init ran. CONLINK_ENGINE_SOCK, when
# set, is the socket used instead of ENGINE_SOCK (a private service,
# below); CONLINK_OTHER_SOCK is the other engine's socket option: empty
# (not used; the default) or a path (examples.bash: one that does not
# exist, which conlink tries and passes over).
conlink_source_engine() {
	local sock=${CONLINK_ENGINE_SOCK:-$ENGINE_SOCK} other=${CONLINK_OTHER_SOCK:-}
	case $ENGINE_NAME in
	docker) src=(--docker-socket "$sock" --podman-socket "$other") ;;
	podman) src=(--podman-socket "$sock" --docker-socket "$other") ;;
	esac
	[ -n "${COMPOSE_PROJECT_NAME:-}" ] && src+=(--compose-project "$COMPOSE_PROJECT_NAME")
	env=()
	conlink_netns
}

# ---- a private API service a test may restart (new: restart.bats) ---------
#
# The shared engine serves every test file running at the same time, so a
# test never stops it. engine_private_start instead starts a second API
# service of ENGINE_NAME that this test alone owns, on $ENGINE_PRIV_SOCK:
#   podman  another `podman system service` over the same storage (podman
#           has no daemon: containers run without any service, and the
#           podman CLI works while the service is down);
#   docker  another dockerd on the shared containerd, in a containerd
#           namespace, data root and exec root of its own (vfs storage, no
#           bridge, no iptables rules), with --live-restore so its
#           containers outlive a restart; the busybox test image is copied
#           into it. Its CLI is `ecli_priv`.
# Call it again after engine_private_stop to restart the same service.
# engine_private_cleanup (from teardown) removes its containers, stops it and
# removes its directories.

# ecli_priv ARGS: the engine CLI on the private service.
ecli_priv() {
	case $ENGINE_NAME in
	docker) docker -H "unix://$ENGINE_PRIV_SOCK" "$@" ;;
	podman) podman "$@" ;;
	esac
}

_priv_answers() {
	[ "$(curl -s --max-time 3 --unix-socket "$ENGINE_PRIV_SOCK" http://d/_ping)" = OK ]
}

engine_private_start() {
	local first=
	if [ -z "${ENGINE_PRIV_DIR:-}" ]; then
		mkdir -p "$ENGINE_STATE"
		ENGINE_PRIV_DIR=$(mktemp -d "$ENGINE_STATE/priv.XXXXXX") || return 1
		ENGINE_PRIV_NS=clt-${ENGINE_PRIV_DIR##*.}
		ENGINE_PRIV_SOCK=$ENGINE_PRIV_DIR/api.sock
		first=1
	fi
	rm -f "$ENGINE_PRIV_SOCK"
	case $ENGINE_NAME in
	podman)
		_detach "$ENGINE_PRIV_DIR/service.log" podman system service --time=0 \
			"unix://$ENGINE_PRIV_SOCK" ;;
	docker)
		_detach "$ENGINE_PRIV_DIR/service.log" dockerd \
			--data-root "$ENGINE_PRIV_DIR/data" --exec-root "$ENGINE_PRIV_DIR/x" \
			--pidfile "$ENGINE_PRIV_DIR/dockerd.pid" -H "unix://$ENGINE_PRIV_SOCK" \
			--containerd /run/containerd/containerd.sock \
			--containerd-namespace "$ENGINE_PRIV_NS" \
			--containerd-plugins-namespace "$ENGINE_PRIV_NS-plugins" \
			--storage-driver vfs --bridge none --iptables=false --ip6tables=false \
			--live-restore ;;
	esac
	ENGINE_PRIV_PID=$ENGINE_BG_PID
	wait_until -q 30 _priv_answers || {
		echo "private $ENGINE_NAME service did not answer in 30s"
		tail -5 "$ENGINE_PRIV_DIR/service.log"
		return 1
	}
	if [ -n "$first" ] && [ "$ENGINE_NAME" = docker ]; then
		ecli save conlink-test-busybox | ecli_priv load >/dev/null || return 1
	fi
	return 0
}

# engine_private_stop: SIGTERM the private service by PID and wait for it.
engine_private_stop() {
	[ -n "${ENGINE_PRIV_PID:-}" ] || return 0
	_stop_pid "$ENGINE_PRIV_PID" 30
	ENGINE_PRIV_PID=
}

engine_private_cleanup() {
	local ids id ns
	[ -n "${ENGINE_PRIV_DIR:-}" ] || return 0
	if [ "$ENGINE_NAME" = docker ]; then
		if [ -z "${ENGINE_PRIV_PID:-}" ] || ! _priv_answers; then
			engine_private_stop
			engine_private_start >/dev/null 2>&1
		fi
		ids=$(ecli_priv ps -aq 2>/dev/null)
		[ -n "$ids" ] && ecli_priv rm -f -v $ids >/dev/null 2>&1
		engine_private_stop
		# what a dockerd that never came back left in containerd
		for ns in "$ENGINE_PRIV_NS" "$ENGINE_PRIV_NS-plugins"; do
			for id in $(ctr -n "$ns" tasks ls -q 2>/dev/null); do
				ctr -n "$ns" tasks kill -s KILL "$id" >/dev/null 2>&1
				sleep 0.2
				ctr -n "$ns" tasks rm -f "$id" >/dev/null 2>&1
			done
			for id in $(ctr -n "$ns" containers ls -q 2>/dev/null); do
				ctr -n "$ns" containers rm "$id" >/dev/null 2>&1
			done
			ctr namespaces rm "$ns" >/dev/null 2>&1
		done
		# dockerd bind-mounts its data root onto itself
		while grep -q " $ENGINE_PRIV_DIR/data " /proc/self/mountinfo; do
			umount "$ENGINE_PRIV_DIR/data" || break
		done
	else
		engine_private_stop
	fi
	rm -rf "$ENGINE_PRIV_DIR"
	ENGINE_PRIV_DIR=
}

# ---- an image with the daemon (new: docker-eth0.bats) ----------------------
#
#   conlink-test-daemon   the busybox image plus build/conlink (dynamic) as
#                         /bin/conlink with the libraries ldd lists: the
#                         daemon in a container without the project's
#                         Dockerfile (built on demand by require_daemon_image,
#                         not in engine_build_images, rebuilt when the binary
#                         changed)

_build_daemon_image() {
	local bin=$TOP/build/conlink bb=/bin/busybox hash dir lib
	[ -x "$bin" ] || { echo "$bin is missing: run make"; return 1; }
	hash=$ENGINE_IMAGES_VERSION-$(cat "$bin" "$bb" | sha256sum | cut -c1-32)
	[ "$(_image_hash conlink-test-daemon)" = "$hash" ] && return 0
	dir=$(mktemp -d "$ENGINE_STATE/rootfs.XXXXXX")
	_busybox_rootfs "$dir"
	cp "$bin" "$dir/bin/conlink"
	# what ldd lists, and the libraries conlink loads only when used
	# (libcurl, libmicrohttpd: their sonames are strings in the binary,
	# found beside its libc) with what they need in turn
	local libdir so libs=("$bin")
	libdir=$(dirname "$(ldd "$bin" | grep -o '/[^ ]*/libc\.so\.6')")
	for so in $(grep -aoE 'lib[a-z0-9_]+\.so\.[0-9]+' "$bin" | sort -u); do
		[ -e "$libdir/$so" ] && libs+=("$libdir/$so")
	done
	for lib in $(for f in "${libs[@]}"; do ldd "$f"; done | grep -o '/[^ ]*' | sort -u) \
		"${libs[@]:1}"; do
		cp -L --parents "$lib" "$dir"
	done
	_import_rootfs conlink-test-daemon "$hash" "$dir"
}

# require_daemon_image: build (or keep) conlink-test-daemon on ENGINE_NAME;
# fail with the reason.
require_daemon_image() {
	_lock "$ENGINE_NAME" || { echo "lock $ENGINE_STATE/$ENGINE_NAME.lock: timeout"; return 1; }
	local rc=0
	# (in a || list: errexit off inside, the image helpers expect that)
	_build_daemon_image || rc=$?
	_unlock
	[ "$rc" = 0 ] || echo "building conlink-test-daemon on $ENGINE_NAME failed"
	return $rc
}

# ---- the hooks of every engine test file ----------------------------------

engine_teardown() {
	conlink_teardown
	engine_private_cleanup
	engine_cleanup
	teardown_common
}

setup_file()    { engine_setup_file; }
teardown_file() { engine_teardown_file; }
teardown()      { engine_teardown; }
