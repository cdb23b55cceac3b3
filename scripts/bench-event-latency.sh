#!/usr/bin/env bash
# bench-event-latency.sh - per container, the engine's own start event to
# the moment that container's links exist, with the daemon already running.
#
# Usage: scripts/bench-event-latency.sh [N...]   (root; default N: 1 10 50)
# Env:   ENGINE=docker|podman|all                engines to measure [all]
#        ROUNDS=R                                rounds per N [3]; each round
#                                                is `up -d --scale node=N`,
#                                                the measurement, `down`
#        CONLINK=PATH                            binary [build/conlink]
#        KEEP_RAW=DIR                            copy the raw records there
#
# The target is "an engine's start event to that container's last link in
# under 50 ms". For every container started it takes four times, all on the
# same wall clock (CLOCK_REALTIME, µs):
#   ev     the start event's own timeNano (the engine's clock at emission)
#   rx     when a separate listener (curl on the engine's /events, each line
#          stamped by jq's `now` as it arrives) received that event: about
#          when the daemon's events stream gets it too
#   insp   when the daemon logged "ENGINE: container NAME (...) started"
#          (VERBOSE=1): its inspect of the container has been answered
#   done   when the container's last interface exists and is configured:
#          the latest of the first netlink notification of the outer end
#          (conlink's namespace), of eth0 in the container's namespace and
#          of eth0's IPv4 address, from `ip -ts -o monitor all-nsid` in
#          conlink's namespace (a container's namespace gets an nsid there
#          as soon as a veth end links to it, so its events are seen too)
# and reports, per engine and N, over all containers of all rounds:
#   total   done - ev       (the target: < 50 ms)
#   emit    rx - ev         the engine's delay in putting the event out, as
#                           the listener saw it. Docker sends each event to
#                           every subscriber at once; Podman (events_logger
#                           "file") has each API stream poll the events file
#                           every 250 ms on its own timer, so there rx is
#                           another subscriber's sample, not the daemon's
#   to_insp insp - ev       the event's delivery to the daemon, its inspect
#                           of the container (GET /containers/ID/json) and
#                           the answer, queued behind the other containers
#   netlink done - insp     the daemon's netlink work for the links
# as median, p10, p90 and max (ms). The daemon's log lines are stamped by
# jq as they leave its stderr pipe, and ip stamps its own lines, so each
# stamp is a little late (scheduling on a busy machine), never early.
# The daemon runs on the host in a network namespace of the script's own;
# engines are started (and later stopped) only when none answers, with the
# test harness's code (tests/lib/engine.bash).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CONLINK=${CONLINK:-$TOP/build/conlink}
ROUNDS=${ROUNDS:-3}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 10 50)
[ "$(id -u)" = 0 ] || { echo "bench-event-latency: needs root" >&2; exit 1; }
[ -x "$CONLINK" ] || { echo "bench-event-latency: $CONLINK missing: run make" >&2; exit 1; }

. "$TOP/scripts/bench-engine-lib.sh" evlat 10.50.0.1/16
project=clevlat$$
export COMPOSE_PROJECT_NAME=$project

die() { echo "bench-event-latency: $*" >&2; exit 1; }

# start_watchers DIR: the events listener, the netlink monitor and the
# daemon, each writing stamped lines into DIR. The stampers run at a higher
# priority than the engine and the daemon: on two busy cores a stamper
# waiting for its turn would stamp late (seen: 20 ms at N=50).
start_watchers() {
	local d=$1 stamp="nice -n -15"
	# events: type filtered on the server, our project's starts in jq
	mkfifo "$d/events.fifo" "$d/log.fifo"
	$stamp jq --unbuffered -c --arg p "${project}_" '
		select((.Action // .status) == "start" and
		       ((.Actor.Attributes.name // "") | startswith($p)))
		| {rx: now, ev: .timeNano, name: .Actor.Attributes.name}' \
		<"$d/events.fifo" >"$d/events" &
	procs+=($!)
	$stamp curl -sN --unix-socket "$ENGINE_SOCK" \
		'http://d/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D' \
		>"$d/events.fifo" &
	procs+=($!)
	$stamp nsenter --net="$ns" ip -ts -o monitor all-nsid link address >"$d/mon" &
	procs+=($!)
	$stamp jq -R --unbuffered -r '"\(now) \(.)"' <"$d/log.fifo" >"$d/log" &
	procs+=($!)
	# nsenter execs conlink: $! is the daemon's own PID
	VERBOSE=1 nsenter --net="$ns" "$CONLINK" "${ENGINE_SOCKS[@]}" --compose-project "$project" \
		--default-bridge-mode linux --compose-file "$COMPOSE_FILE" 2>"$d/log.fifo" &
	procs+=($!)
	conlink_pid=$!
}

conlink_died() {
	local rc=0
	wait "$conlink_pid" || rc=$?
	sleep 0.2	# the stamper's last lines
	die "$ENGINE_NAME: conlink exited with status $rc: $(tail -5 "$d/log")"
}

# wait_for SECONDS CMD...: poll CMD every 20 ms.
wait_for() {
	local limit=$(($1 * 50)) i; shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		kill -0 "$conlink_pid" 2>/dev/null || conlink_died
		sleep 0.02
	done
	return 1
}

count() { grep -c -- "$1" "$2" || true; }
outer_links() { nsenter --net="$ns" ip -o link show | grep -c 'node_[0-9]*-eth0' || true; }
links_are() { [ "$(count "Creating veth link" "$d/log")" -ge "$1" ] && [ "$(outer_links)" = "$2" ]; }
events_are() { [ "$(wc -l <"$d/events")" -ge "$1" ]; }

# mon_epoch FILE: ip -ts prints local time and "[nsid K]" before each line;
# print them as "EPOCH.us K rest" (K: "current" for conlink's namespace).
mon_epoch() {
	awk '{
		ts = substr($1, 2, 26)	# 2026-01-02T03:04:05.123456
		min = substr(ts, 1, 16)
		if (!(min in base)) {
			cmd = "date -d " min ":00 +%s"
			cmd | getline base[min]
			close(cmd)
		}
		us = substr(ts, 18, 2) * 1000000 + substr(ts, 21, 6)
		sub(/^\[[^]]*\] \[nsid /, "")
		k = $0; sub(/\].*/, "", k)
		sub(/^[^]]*\]/, "")
		printf "%d.%06d %s %s\n", base[min] + int(us / 1000000), us % 1000000, k, $0
	}' "$1"
}

# analyse DIR FROM TO: one record per container whose start event falls in
# [FROM, TO) (epoch seconds): "name ev rx insp done" in seconds, "-" where a
# time is missing.
analyse() {
	local d=$1 from=$2 to=$3
	mon_epoch "$d/mon" >"$d/mon.epoch"
	{
		jq -r --argjson f "$from" --argjson t "$to" \
			'select(.ev / 1e9 >= $f and .ev / 1e9 < $t)
			 | "E \(.ev / 1e9) \(.rx) \(.name)"' "$d/events"
		awk -v f="$from" -v t="$to" '$1 >= f && $1 < t {print "L", $0}' "$d/log"
		awk -v f="$from" -v t="$to" '$1 >= f && $1 < t {print "M", $0}' "$d/mon.epoch"
	} >"$d/recs"
	# pass 1 (NR == FNR): containers, outer ends, nsids; pass 2: the times
	awk -v engine="$ENGINE_NAME" '
	function latest(a, b) { return a == "" || b > a ? b : a }
	NR == FNR && $1 == "E" { ev[$4] = $2 + 0; rx[$4] = $3 + 0; order[++n] = $4; next }
	NR == FNR && $1 == "L" && $3 == engine ":" && $4 == "container" && $7 == "started," {
		if (!($5 in insp)) insp[$5] = $2 + 0
		next
	}
	NR == FNR && $1 == "L" && $3 == "Creating" && $5 == "link" {
		split($6, a, ":")
		for (i = 7; i < NF; i++)
			if ($i == "<->") outer_of[$(i + 1)] = a[1]
		next
	}
	# "M EPOCH current IDX: DEV@PEER: <FLAGS> ... link-netnsid K"
	NR == FNR && $1 == "M" && $3 == "current" && $4 ~ /^[0-9]+:$/ {
		dev = $5; sub(/[@:].*/, "", dev)
		if (dev in outer_of)
			for (i = 6; i < NF; i++)
				if ($i == "link-netnsid") cont_of[$(i + 1)] = outer_of[dev]
		next
	}
	NR == FNR { next }
	$1 == "M" && $3 == "current" && $4 ~ /^[0-9]+:$/ {
		dev = $5; sub(/[@:].*/, "", dev)
		if ((dev in outer_of) && !((c = outer_of[dev]) in outer_t)) outer_t[c] = $2 + 0
		next
	}
	# the container side: its first link line, its first IPv4 address
	$1 == "M" && ($3 in cont_of) && $4 ~ /^[0-9]+:$/ {
		c = cont_of[$3]
		if ($6 == "inet") {
			if (!(c in addr_t)) addr_t[c] = $2 + 0
		} else if (!(c in inner_t)) {
			inner_t[c] = $2 + 0
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			c = order[i]
			done = ""
			if ((c in outer_t) && (c in inner_t) && (c in addr_t))
				done = latest(latest(outer_t[c], inner_t[c]), addr_t[c])
			printf "%s %.6f %.6f %s %s\n", c, ev[c], rx[c],
				(c in insp) ? sprintf("%.6f", insp[c]) : "-",
				done == "" ? "-" : sprintf("%.6f", done)
		}
	}' "$d/recs" "$d/recs"
}

# stats: records on stdin; one line "samples missing total... emit...
# to_insp... netlink..." with median/p10/p90/max in ms for total and
# median/p90 for the parts.
stats() {
	awk '
	function q(arr, m, p,   i) { i = int(p * (m - 1) + 0.5) + 1; return arr[i] }
	function summary(key, full,   m, i, vals, s) {
		m = split(list[key], vals, " ")
		# insertion sort: a few hundred values
		for (i = 2; i <= m; i++) {
			v = vals[i] + 0
			for (j = i - 1; j >= 1 && vals[j] + 0 > v; j--) vals[j + 1] = vals[j]
			vals[j + 1] = v
		}
		if (!m) return full ? "- - - -" : "- -"
		if (full)
			return sprintf("%.1f %.1f %.1f %.1f", q(vals, m, .5), q(vals, m, .1),
				       q(vals, m, .9), vals[m])
		return sprintf("%.1f %.1f", q(vals, m, .5), q(vals, m, .9))
	}
	function add(key, v) { list[key] = list[key] " " sprintf("%.3f", v * 1000) }
	{
		if ($4 == "-" || $5 == "-") { missing++; next }
		n++
		add("total", $5 - $2); add("emit", $3 - $2)
		add("to_insp", $4 - $2); add("netlink", $5 - $4)
	}
	END {
		printf "%d %d %s %s %s %s\n", n, missing, summary("total", 1),
		       summary("emit", 0), summary("to_insp", 0), summary("netlink", 0)
	}'
}

printf '%-7s %3s %7s %4s | %-28s | %-13s | %-15s | %-15s\n' engine N samples miss \
	"total_ms med p10 p90 max" "emit med p90" "to_insp med p90" "netlink med p90"
for ENGINE_NAME in $ENGINES_ALL; do
	bench_engine_use "$ENGINE_NAME" || continue
	d=$work/$ENGINE_NAME
	mkdir -p "$d"
	start_watchers "$d"
	wait_for 30 grep -qs "Using $ENGINE_NAME engine" "$d/log" || die "conlink did not start"
	sleep 1	# the listener's stream is live (nothing to wait on but time)
	made=0 seen=0
	for n in "${counts[@]}"; do
		: >"$d/all.$n"
		for ((r = 1; r <= ROUNDS; r++)); do
			from=$(date +%s.%N)
			docker-compose --ansi never up -d --scale "node=$n" >"$work/up.log" 2>&1 ||
				{ cat "$work/up.log" >&2; die "compose up failed"; }
			made=$((made + n)) seen=$((seen + n))
			wait_for 120 links_are "$made" "$n" ||
				die "$ENGINE_NAME N=$n: $(outer_links) of $n links"
			wait_for 30 events_are "$seen" || die "$ENGINE_NAME N=$n: start events missing"
			sleep 0.3	# the monitor's last lines
			to=$(date +%s.%N)
			analyse "$d" "$from" "$to" >>"$d/all.$n"
			docker-compose --ansi never down -t 0 >/dev/null 2>&1
			wait_for 60 links_are "$made" 0 || die "links left after down"
		done
		[ -n "${KEEP_RAW:-}" ] && mkdir -p "$KEEP_RAW" && cp "$d/all.$n" "$KEEP_RAW/$ENGINE_NAME.$n"
		# shellcheck disable=SC2046
		printf '%-7s %3s %7s %4s | %6s %6s %6s %6s | %6s %6s | %7s %7s | %7s %7s\n' \
			"$ENGINE_NAME" "$n" $(stats <"$d/all.$n")
	done
	if [ -n "${KEEP_RAW:-}" ]; then
		for f in log mon events; do cp "$d/$f" "$KEEP_RAW/$ENGINE_NAME.$f"; done
	fi
	stop_procs
done
