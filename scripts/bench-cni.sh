#!/usr/bin/env bash
# bench-cni.sh - conlink as a CNI plugin beside the reference plugins.
#
# Usage: scripts/bench-cni.sh [-n N] [-r RUNS] [--no-podman]   (root)
#        default: N 100, RUNS 10
# Env:   CONLINK=path (default build/conlink)
#
# 1. ADD and DEL latency, median and p90 of N each, of conlink's plugin
#    and of the reference bridge plugin installed here (/usr/lib/cni/bridge),
#    both with host-local IPAM on the same subnet, exec'd the same way (a
#    plugin directory, CNI_* in the environment, the config on stdin, no
#    arguments) from the same shell, one container namespace each, all in
#    a "host" namespace the script made (nothing happens in the real
#    host's): N ADDs, then N DELs, the two plugins' execs alternating;
#    two passes, the first thrown away (caches warm).
# 2. `podman run` until the command's first line (a shell printing one
#    line) reached us, RUNS times, on a conlink CNI network and on
#    Podman's default bridge network: median and range. Podman runs with
#    a containers.conf of the script's own (runc; the CNI backend; a
#    net.d with the conlink network and a plugin dir with conlink and the
#    reference plugins the default network uses). The default network
#    makes Podman's cni-podman0 bridge in the host's namespace (as any
#    podman run does); the script removes it at the end when it was not
#    there before. Under the engine lock (one engine user at a time).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
n=100 runs=10 podman=1
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	-r) runs=$2; shift 2 ;;
	--no-podman) podman=; shift ;;
	*) echo "usage: $0 [-n N] [-r RUNS] [--no-podman]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "bench-cni: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-cni: no $CONLINK (make first)" >&2; exit 1; }
for p in bridge host-local; do
	[ -x /usr/lib/cni/$p ] || { echo "bench-cni: no /usr/lib/cni/$p (containernetworking-plugins)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/bench-cni.XXXXXX)
had_podman0=$(ip link show cni-podman0 >/dev/null 2>&1 && echo 1 || true)

cleanup() {
	if [ -n "$podman" ]; then
		CONTAINERS_CONF=$work/containers.conf podman rm -f -t 0 \
			$(CONTAINERS_CONF=$work/containers.conf podman ps -aq --filter label=bench-cni) \
			>/dev/null 2>&1 || true
		[ -n "$had_podman0" ] || ip link del cni-podman0 2>/dev/null || true
	fi
	find "$work" -type f -name 'ns*' | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

mkns() { touch "$1" && unshare --net="$1" true; }

mkdir -p "$work/bin" "$work/net.d" "$work/c"
ln -s "$CONLINK" "$work/bin/conlink"
for p in bridge host-local portmap firewall tuning loopback; do
	[ -x /usr/lib/cni/$p ] && ln -s /usr/lib/cni/$p "$work/bin/$p"
done
mkns "$work/ns-host"

# config PLUGIN: the network config of that plugin, subnet 10.99.40.0/24
config() {
	case $1 in
	conlink) jq -nc --arg d "$work/ipam-conlink" '{cniVersion: "1.0.0", name: "benchcl",
		type: "conlink", link: {bridge: "benchbr0", mtu: 1500},
		ipam: {type: "host-local", subnet: "10.99.40.0/24", dataDir: $d}}' ;;
	bridge) jq -nc --arg d "$work/ipam-bridge" '{cniVersion: "1.0.0", name: "benchbr",
		type: "bridge", bridge: "benchbr1", mtu: 1500,
		ipam: {type: "host-local", subnet: "10.99.40.0/24", dataDir: $d}}' ;;
	esac
}

# stats FILE: "median p90" of the microsecond values in FILE, in ms
stats() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(NR * 0.9 + 0.999)]
		printf "%.1f %.1f\n", m / 1000, p / 1000 }'
}

# one PLUGIN VERB I: one exec, timed, appended to $work/PLUGIN.VERB
one() {
	local t0 t1
	t0=${EPOCHREALTIME/[.,]/}
	nsenter --net="$work/ns-host" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		CNI_COMMAND="$2" CNI_CONTAINERID="bench$3" CNI_NETNS="$work/c/$1$3" \
		CNI_IFNAME=eth0 CNI_PATH="$work/bin" "$work/bin/$1" \
		<<<"$(config "$1")" >/dev/null || { echo "bench-cni: $1 $2 $3 failed" >&2; exit 1; }
	t1=${EPOCHREALTIME/[.,]/}
	echo $((t1 - t0)) >>"$work/$1.${2,,}"
}

# pass: N ADDs then N DELs of each plugin, the two plugins' execs
# alternating (a load that comes and goes weighs on both alike)
pass() {
	local i p
	rm -f "$work"/*.add "$work"/*.del
	for i in $(seq "$n"); do
		mkns "$work/c/conlink$i" && mkns "$work/c/bridge$i"
	done
	for i in $(seq "$n"); do one conlink ADD "$i"; one bridge ADD "$i"; done
	for i in $(seq "$n"); do one conlink DEL "$i"; one bridge DEL "$i"; done
	for i in $(seq "$n"); do
		for p in conlink bridge; do
			umount "$work/c/$p$i" && rm -f "$work/c/$p$i"
		done
	done
}

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) ($(nproc) CPUs)"
echo "CNI ADD / DEL latency, N=$n each (ms, median p90), host-local IPAM on 10.99.40.0/24"
pass	# warm caches; thrown away
pass
for p in conlink bridge; do
	read -r am ap < <(stats "$work/$p.add")
	read -r dm dp < <(stats "$work/$p.del")
	printf '  %-8s ADD median %6s  p90 %6s    DEL median %6s  p90 %6s\n' "$p" "$am" "$ap" "$dm" "$dp"
done
# what each exec loads (the dynamic linker's objects): libcurl's tree or not
printf '  shared libraries loaded by conlink: %s\n' \
	"$(echo '{"cniVersion":"1.0.0"}' | LD_DEBUG=files CNI_COMMAND=VERSION "$CONLINK" 2>&1 >/dev/null |
		grep -c 'calling init:' || true)"

[ -n "$podman" ] || exit 0

# ---- podman run to the first line ----
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
[network]
network_backend = "cni"
network_config_dir = "$work/net.d"
cni_plugin_dirs = ["$work/bin"]
EOF
mkns "$work/ns-sw"
jq -n --arg ns "$work/ns-sw" --arg d "$work/ipam-podman" '{cniVersion: "1.0.0", name: "benchlab",
	plugins: [{type: "conlink", namespace: $ns, link: {bridge: "benchlab0", mtu: 1500},
		   ipam: {type: "host-local", subnet: "10.99.41.0/24", dataDir: $d}}]}' \
	>"$work/net.d/benchlab.conflist"
export CONTAINERS_CONF=$work/containers.conf
exec {lock}>/tmp/conlink-engine.lock
flock "$lock"
podman image exists conlink-test-busybox || {
	# the engine tests' image (tests/lib/engine.bash)
	# shellcheck source=../tests/lib/engine.bash
	source "$top/tests/lib/engine.bash"
	ENGINE_NAME=podman _build_busybox_image
}

# first_line NETWORK: ms from `podman run` to the container's first line
first_line() {
	local t0 t1 line
	t0=${EPOCHREALTIME/[.,]/}
	read -r line < <(podman run --rm --label bench-cni --network "$1" conlink-test-busybox \
		sh -c 'echo first; sleep 1' 2>&1)
	t1=${EPOCHREALTIME/[.,]/}
	[ "$line" = first ] || { echo "bench-cni: podman run on $1: $line" >&2; exit 1; }
	echo $((t1 - t0))
}

echo "podman run to the command's first line, $runs runs (ms, median [min..max])"
for net in benchlab podman; do
	first_line "$net" >/dev/null	# warm: image, network setup
	: >"$work/run.$net"
	for i in $(seq "$runs"); do
		first_line "$net" >>"$work/run.$net"
	done
	wait
	printf '  %-22s %s  [%s..%s]\n' \
		"$([ $net = podman ] && echo "podman (bridge plugin)" || echo "conlink CNI network")" \
		"$(stats "$work/run.$net" | cut -d' ' -f1)" \
		"$(sort -n "$work/run.$net" | head -1 | awk '{printf "%.1f", $1 / 1000}')" \
		"$(sort -n "$work/run.$net" | tail -1 | awk '{printf "%.1f", $1 / 1000}')"
done
