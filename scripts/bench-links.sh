#!/usr/bin/env bash
# bench-links.sh - how fast the daemon links containers: N network
# namespaces (--netns-dir), one veth link each onto one linux bridge.
#
# Usage: scripts/bench-links.sh [N...]        (default: 10 100 500; root)
# Env:   CONLINK=path (default build/conlink)
#        REPEAT=R   conlink R times per N: the median (default 1)
#        V6OFF=1    IPv6 off in the container namespaces (all and default
#                   disable_ipv6 = 1, as Docker leaves network_mode: none)
#        IP_DEL=0   the ip-del floor as one group delete, not one link del
#                   each (~37 s at N=1,000)
#
# Before each conlink run it waits for the machine to be idle (the kernel
# tears the last run's namespaces down in the background: that work would
# be counted against the next run).
#
# For each N it reports the time from starting conlink to its
# "All links connected" line, the cost per link, the daemon's peak RSS
# (VmHWM) and the time to undo everything on SIGTERM; then the same links
# made by iproute2 as the floor to compare with:
#   ip-batch  one `ip -batch` in conlink's namespace: bridge, every veth
#             pair created with its peer moved into the container, mastered
#             and up (less than conlink does: no address, no peer up)
#   ip-full   ip-batch plus one `ip -batch` per container (nsenter) for the
#             address and the peer up: the same end state as conlink's
#             (conlink also turns tx offload off, as upstream does).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$top/build/conlink}
[ "$(id -u)" = 0 ] || { echo "bench-links: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-links: no $CONLINK (make first)" >&2; exit 1; }
sizes=${*:-10 100 500}
work=$(mktemp -d /tmp/bench-links.XXXXXX)
conlink_pid=

cleanup() {
	[ -z "$conlink_pid" ] || kill -TERM "$conlink_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	find "$work" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }

# settle: wait (30 s at most) until the CPUs were 90% idle for half a second
settle() {
	local a b i
	for ((i = 0; i < 60; i++)); do
		a=($(head -1 /proc/stat)); sleep 0.5; b=($(head -1 /proc/stat))
		local tot=0 k
		for k in 1 2 3 4 5 6 7 8; do tot=$((tot + b[k] - a[k])); done
		[ "$tot" -gt 0 ] && [ $(((b[4] - a[4]) * 100 / tot)) -ge 90 ] && return 0
	done
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ms() { echo "scale=1; ($2 - $1) / 1000000" | bc; }

# mkns FILE: a network namespace bound to FILE
mkns() {
	touch "$1"
	unshare --net="$1" true
}

# ip of replica I: 10.1.0.1 offset by I - 1, as conlink computes it
ip_of() {
	echo "10.1.$(($1 / 256)).$(($1 % 256))/16"
}

fmt='%-5s %-11s %-9s %-9s %-9s %-9s %-12s %-11s %-8s %-8s %-10s\n'
printf "$fmt" N conlink_ms per_link peak_rss anon_rss undo_ms ip_batch_ms ip_full_ms ratio_b ratio_f ip_del_ms
for n in $sizes; do
	d=$work/$n
	mkdir -p "$d/ns"
	mkns "$d/self"
	for ((i = 1; i <= n; i++)); do mkns "$d/ns/n_$i"; done
	if [ -n "${V6OFF:-}" ]; then
		for ((i = 1; i <= n; i++)); do
			nsenter --net="$d/ns/n_$i" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
				net.ipv6.conf.default.disable_ipv6=1
		done
	fi
	cat >"$d/net.yaml" <<-Y
	bridges:
	  - {bridge: b0, mode: linux}
	links:
	  - {service: n, bridge: b0, ip: 10.1.0.1/16}
	Y

	# conlink: start to "All links connected", read off its log as it comes
	runs=()
	for ((r = 1; r <= ${REPEAT:-1}; r++)); do
		settle
		rm -f "$d/fifo"
		mkfifo "$d/fifo"
		t0=$(now)
		nsenter --net="$d/self" "$CONLINK" --no-engine --netns-dir "$d/ns" \
			--network-file "$d/net.yaml" 2>"$d/fifo" &
		conlink_pid=$!
		exec {log}<"$d/fifo"
		ok=
		while IFS= read -r -u "$log" line; do
			echo "$line" >>"$d/conlink.log"
			case $line in
			"All links connected") ok=1; break ;;
			*" links connected") break ;;
			esac
		done
		t1=$(now)
		[ -n "$ok" ] || { echo "bench-links: N=$n: no 'All links connected':"; cat "$d/conlink.log"; exit 1; }
		rss=$(awk '/^VmHWM/ {print $2 $3}' "/proc/$conlink_pid/status")
		anon=$(awk '/^RssAnon/ {print $2 $3}' "/proc/$conlink_pid/status")
		cat <&"$log" >>"$d/conlink.log" &
		t2=$(now)
		kill -TERM "$conlink_pid"
		wait "$conlink_pid"
		t3=$(now)
		conlink_pid=
		exec {log}<&-
		left=$(nsenter --net="$d/self" ip -o link show | grep -vc ': lo:' || true)
		[ "$left" = 0 ] || { echo "bench-links: N=$n: conlink left $left interfaces"; exit 1; }
		runs+=("$(ms "$t0" "$t1")")
		[ "${REPEAT:-1}" = 1 ] || echo "  N=$n run $r: ${runs[-1]} ms" >&2
	done
	c=$(median "${runs[@]}")
	settle

	# the floor: iproute2
	{
		echo "link add b0 type bridge"
		echo "link set b0 up"
		for ((i = 1; i <= n; i++)); do
			echo "link add n_$i-eth0 mtu 65535 type veth peer name eth0 mtu 65535 netns $d/ns/n_$i"
			echo "link set n_$i-eth0 master b0 up"
		done
	} >"$d/outer.batch"
	for ((i = 1; i <= n; i++)); do
		printf 'addr add %s dev eth0\nlink set eth0 up\n' "$(ip_of "$i")" >"$d/inner.$i"
	done
	t4=$(now)
	nsenter --net="$d/self" ip -batch "$d/outer.batch"
	t5=$(now)
	for ((i = 1; i <= n; i++)); do
		nsenter --net="$d/ns/n_$i" ip -batch "$d/inner.$i"
	done
	t6=$(now)
	# the same end state as conlink's? (spot check the last one)
	nsenter --net="$d/ns/n_$n" ip -o addr show dev eth0 | grep -q "$(ip_of "$n")"

	# undo's floor: the same interfaces deleted by one ip -batch
	{
		for ((i = 1; i <= n; i++)); do echo "link del n_$i-eth0"; done
		echo "link del b0"
	} >"$d/del.batch"
	t7=$(now)
	if [ "${IP_DEL:-1}" = 0 ]; then
		# quicker: one group delete, as conlink's undo does
		sed -i 's/^link del \(n_.*\)/link set \1 group 99/' "$d/del.batch"
		echo "link del group 99" >>"$d/del.batch"
	fi
	nsenter --net="$d/self" ip -batch "$d/del.batch"
	t8=$(now)

	b=$(ms "$t4" "$t5") f=$(ms "$t4" "$t6")
	printf "$fmt" "$n" "$c" "$(echo "scale=3; $c / $n" | bc)" "$rss" "$anon" \
		"$(ms "$t2" "$t3")" "$b" "$f" "$(echo "scale=1; $c / $b" | bc)" \
		"$(echo "scale=2; $c / $f" | bc)" "$(ms "$t7" "$t8")"
	find "$d" -type f | while read -r f; do umount "$f" 2>/dev/null || true; done
	rm -rf "$d"
done
