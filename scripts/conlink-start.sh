#!/usr/bin/env bash
# conlink-start.sh - run conlink in a container of its own, outside compose,
# for containers started any way (docker run --name, podman run --name):
# upstream's launcher, with its options.
#
# Usage: scripts/conlink-start.sh [OPTIONS] [-- ENGINE_RUN_OPTIONS...]
#
#   -v, --verbose              print what runs; conlink -v
#   --dry-run                  print the engine command line and stop
#   --mode podman|docker       engine that runs the conlink container [docker]
#   --image IMAGE              the conlink image [conlink]
#   --host-mode podman|docker|none
#                              engine whose containers conlink links [--mode];
#                              none: no engine (tunnels and conlink's own side)
#   --network-file FILE[:FILE...]
#   --compose-file FILE[:FILE...]
#                              config files; each is mounted read-only into
#                              the container and given to conlink there
#   --compose-project NAME     compose project whose services links name
#   -h, --help                 this text
#
# ENGINE_RUN_OPTIONS go to `ENGINE run` before the image (--name NAME, --rm,
# -e VAR=VALUE for the config's ${VAR}s, --publish, --network ...). The
# container runs in the foreground with the capabilities, host pid
# namespace and engine socket conlink needs. Host mode podman starts a
# `podman system service` on a socket of its own for the container and
# stops it at the end. On exit (conlink ended, or SIGINT/SIGTERM here) the
# container is stopped and what this script started is removed.
#
# Every value is passed as one argument (arrays, never a string through a
# shell): a config path or option with spaces or quotes stays what it is.
set -euo pipefail

prog=${0##*/}
die() { echo "$prog: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

verbose= dry= mode=docker image=conlink host_mode= project=
net_files=() compose_files=() run_opts=()

# need OPTION "$@": OPTION has its value (--opt=value is split into two first).
need() { [ $# -ge 2 ] || die "option '$1' needs an argument (see $prog --help)"; }
while [ $# -gt 0 ]; do
	arg=$1
	case $arg in
	--*=*) set -- "${arg%%=*}" "${arg#*=}" "${@:2}"; continue ;;
	-v | --verbose) verbose=1 ;;
	--dry-run) dry=1 ;;
	--mode) need "$@"; mode=$2; shift ;;
	--image) need "$@"; image=$2; shift ;;
	--host-mode) need "$@"; host_mode=$2; shift ;;
	--network-file | --network-config) need "$@"; IFS=: read -ra f <<<"$2"; net_files+=("${f[@]}"); shift ;;
	--compose-file) need "$@"; IFS=: read -ra f <<<"$2"; compose_files+=("${f[@]}"); shift ;;
	--compose-project) need "$@"; project=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; run_opts=("$@"); break ;;
	*) die "unknown option '$arg' (see $prog --help)" ;;
	esac
	shift
done
host_mode=${host_mode:-$mode}
case $mode in docker | podman) ;; *) die "--mode must be podman or docker, not '$mode'" ;; esac
case $host_mode in docker | podman | none) ;;
*) die "--host-mode must be podman, docker or none, not '$host_mode'" ;; esac
[ ${#net_files[@]} -gt 0 ] || [ ${#compose_files[@]} -gt 0 ] ||
	die "needs --network-file or --compose-file (see $prog --help)"

say() { [ -z "$verbose" ] || echo "$prog: $*" >&2; }
quoted() { printf '%q ' "$@"; }

work= service_pid= run_pid= cidfile=
cleanup() {
	local rc=$? cid=
	trap - EXIT INT TERM
	set +e
	[ -n "$cidfile" ] && [ -s "$cidfile" ] && cid=$(<"$cidfile")
	if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
		if [ -n "$cid" ]; then
			say "stopping container ${cid:0:12}"
			"$mode" stop -t 10 "$cid" >/dev/null 2>&1
		fi
		kill -TERM "$run_pid" 2>/dev/null
		wait "$run_pid" 2>/dev/null
	fi
	if [ -n "$service_pid" ]; then
		say "stopping the podman API service (pid $service_pid)"
		kill -TERM "$service_pid" 2>/dev/null
		wait "$service_pid" 2>/dev/null
	fi
	[ -n "$work" ] && rm -rf "$work"
	exit "$rc"
}

# The socket the host engine answers on, as its CLI would find it.
docker_sock() {
	case ${DOCKER_HOST:-} in
	unix://*) echo "${DOCKER_HOST#unix://}" ;;
	'') echo /var/run/docker.sock ;;
	*) die "DOCKER_HOST=$DOCKER_HOST: host mode docker needs a unix socket" ;;
	esac
}

# Config files: each mounted read-only at /conlink/N/NAME, given to
# conlink by that path. Their ${VAR}s come from the container's environment
# (-e VAR=VALUE in ENGINE_RUN_OPTIONS).
cmd=("$mode" run)
conlink=(/app/build/conlink.js)
n=0
for kind in network compose; do
	if [ $kind = network ]; then files=("${net_files[@]+"${net_files[@]}"}")
	else files=("${compose_files[@]+"${compose_files[@]}"}"); fi
	for f in "${files[@]+"${files[@]}"}"; do
		[ -f "$f" ] || die "no such $kind file: '$f'"
		n=$((n + 1))
		inner=/conlink/$n/${f##*/}
		cmd+=(--volume "$(readlink -f "$f"):$inner:ro")
		conlink+=("--$kind-file" "$inner")
	done
done
cmd+=(--cap-add SYS_ADMIN --cap-add NET_ADMIN --cap-add SYS_NICE
	--cap-add NET_BROADCAST --cap-add IPC_LOCK --security-opt apparmor=unconfined)
[ -n "$verbose" ] && conlink+=(-v)
[ -n "$project" ] && conlink+=(--compose-project "$project")

if [ -z "$dry" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/conlink-start.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	cidfile=$work/cid
	cmd+=(--cidfile "$cidfile")
else
	work=/tmp/conlink-start.DRYRUN
fi

case $host_mode in
docker)
	cmd+=(--pid host --volume "$(docker_sock):/var/run/docker.sock")
	conlink+=(--docker-socket /var/run/docker.sock --podman-socket '') ;;
podman)
	sock=$work/podman.sock
	if [ -z "$dry" ]; then
		say "starting a podman API service on $sock"
		podman system service --time=0 "unix://$sock" </dev/null &
		service_pid=$!
		for _ in $(seq 100); do
			[ -S "$sock" ] && break
			kill -0 "$service_pid" 2>/dev/null || die "podman system service failed"
			sleep 0.1
		done
		[ -S "$sock" ] || die "podman system service did not listen on $sock in 10 s"
	fi
	cmd+=(--pid host --volume "$sock:/var/run/podman/podman.sock")
	conlink+=(--podman-socket /var/run/podman/podman.sock --docker-socket '') ;;
none)
	conlink+=(--docker-socket '' --podman-socket '') ;;
esac

cmd+=("${run_opts[@]+"${run_opts[@]}"}" "$image" "${conlink[@]}")
if [ -n "$dry" ]; then
	quoted "${cmd[@]}"
	echo
	exit 0
fi
say "$(quoted "${cmd[@]}")"
"${cmd[@]}" &
run_pid=$!
wait "$run_pid" && rc=0 || rc=$?
run_pid=
exit "$rc"
