#!/usr/bin/env bats
# --metrics ADDR:PORT: Prometheus text exposition at /metrics, served from
# the daemon's loop (libmicrohttpd); the counters are status's, the text
# parses line by line against the format, an idle client delays nobody,
# an engine's event stream dropped and live again is counted; a link taken
# down on purpose is a gauge of its own; a real
# Prometheus scrapes it.

load ../lib/netns
load ../lib/fake_engine

PORT=9464

setup() {
	netns_setup
	SOCK=$BATS_TEST_TMPDIR/conlink.sock
	cat >"$CFG" <<-'Y'
	links:
	  - {container: c1, bridge: s1, ip: 10.0.0.1/24}
	  - {service: web, bridge: s1, ip: 10.0.0.10/24}
	Y
	netns_add "$NS" c1
	netns_add "$NS" web_1
}

scrape() { in_ns "$CONLINK_NETNS" curl -sf --max-time 5 "http://127.0.0.1:$PORT${1:-/metrics}"; }

rx_status() {
	"$CONLINK" ctl --control "$SOCK" status --json |
		jq -r '.links[] | select(.link == "c1:eth0") | .stats.rx_bytes'
}

@test "metrics: per-link counters match status, states and totals, labels" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" \
		--metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	grep -q "Metrics at http://127.0.0.1:$PORT/metrics" "$CONLINK_LOG"
	ping_ok "$NS/c1" 10.0.0.10
	local before after m
	before=$(rx_status)
	m=$(scrape)
	after=$(rx_status)
	local rx
	rx=$(echo "$m" | grep '^conlink_link_rx_bytes_total{.*link="c1:eth0"}' | awk '{print $2}')
	echo "status $before .. $after, metrics $rx"
	[ "$before" -le "$rx" ] && [ "$rx" -le "$after" ]
	[ "$rx" -gt 0 ]
	# labels: project, service, replica, container, dev, bridge
	echo "$m" | grep -qF 'conlink_link_state{project="",service="",replica="1",container="c1",dev="eth0",bridge="s1",link="c1:eth0",state="made"} 1'
	echo "$m" | grep -qF 'conlink_link_state{project="",service="web",replica="1",container="web_1",dev="eth0",bridge="s1",link="web_1:eth0",state="made"} 1'
	echo "$m" | grep -qF 'conlink_link_state{project="",service="",replica="1",container="c1",dev="eth0",bridge="s1",link="c1:eth0",state="failed"} 0'
	echo "$m" | grep -qE '^conlink_links_expected\{conlink_instance="conlink"\} 2$'
	echo "$m" | grep -qE '^conlink_links_made\{conlink_instance="conlink"\} 2$'
	echo "$m" | grep -qE '^conlink_links_failed\{conlink_instance="conlink"\} 0$'
	echo "$m" | grep -qE '^conlink_link_carrier\{.*link="c1:eth0"\} 1$'
	# other paths and methods
	run in_ns "$CONLINK_NETNS" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/"
	[ "$output" = 404 ]
	run in_ns "$CONLINK_NETNS" curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/metrics"
	[ "$output" = 405 ]
	conlink_stop_clean
}

@test "metrics: a link taken down on purpose (ctl link) is admin down, its carrier gone; back up, 0 again" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" \
		--metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	scrape | grep -qE '^conlink_link_admin_down\{.*link="c1:eth0"\} 0$'
	"$CONLINK" ctl --control "$SOCK" link c1:eth0 down
	wait_until 5 bash -c "nsenter --net='$NS/c1' ip link show eth0 | grep -q NO-CARRIER"
	local m
	m=$(scrape)
	echo "$m" | grep -qE '^conlink_link_admin_down\{.*link="c1:eth0"\} 1$'
	echo "$m" | grep -qE '^conlink_link_carrier\{.*link="c1:eth0"\} 0$'
	# the other link is not
	echo "$m" | grep -qE '^conlink_link_admin_down\{.*link="web_1:eth0"\} 0$'
	# made, not drifted: down on purpose is not drift
	echo "$m" | grep -qF 'link="c1:eth0",state="made"} 1'
	echo "$m" | grep -qE '^conlink_links_drifted\{conlink_instance="conlink"\} 0$'
	"$CONLINK" ctl --control "$SOCK" link c1:eth0 up
	wait_until 5 bash -c "nsenter --net='$NS/c1' ip link show eth0 | grep -q LOWER_UP"
	scrape | grep -qE '^conlink_link_admin_down\{.*link="c1:eth0"\} 0$'
	conlink_stop_clean
}

@test "metrics: the exposition parses (text format 0.0.4, line by line)" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" curl -sf -D "$BATS_TEST_TMPDIR/h" -o "$BATS_TEST_TMPDIR/m" \
		"http://127.0.0.1:$PORT/metrics"
	grep -qi '^content-type: text/plain; version=0.0.4' "$BATS_TEST_TMPDIR/h"
	# every line: HELP, TYPE (before the family's samples, once), or a
	# sample NAME{LABEL="VALUE",...} NUMBER of a family TYPE declared
	run awk '
	function fail(why) { print "line " NR ": " why ": " $0; bad = 1; exit 1 }
	/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* / { next }
	/^# TYPE / {
		if ($0 !~ /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/) fail("bad TYPE")
		if ($3 in typed) fail("TYPE twice"); typed[$3] = $4; next }
	/^#/ { fail("unknown comment") }
	{
		if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? -?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) fail("bad sample")
		name = $0; sub(/[{ ].*/, "", name)
		if (!(name in typed)) fail("sample before its TYPE")
		if (typed[name] == "counter" && name !~ /_total$/) fail("counter without _total")
		n++
	}
	END { if (!bad) print n " samples"; if (!bad && n < 20) { print "too few"; exit 1 } }
	' "$BATS_TEST_TMPDIR/m"
	echo "$output"
	[ "$status" -eq 0 ]
	conlink_stop_clean
}

@test "metrics: a client that connects and sends nothing delays neither scrapes nor links" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	in_ns "$CONLINK_NETNS" python3 -c '
import socket, time
s = socket.create_connection(("127.0.0.1", '"$PORT"'))
s.sendall(b"GET /metrics HTTP/1.1\r\n")
time.sleep(30)' &
	IDLE_PID=$!
	sleep 0.3
	local t0 t1
	t0=$(date +%s%N)
	scrape >/dev/null
	t1=$(date +%s%N)
	echo "scrape with an idle client: $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 1000 ]
	netns_add "$NS" web_2
	wait_until 3 addr_is "$NS/web_2" eth0 10.0.0.11/24
	kill "$IDLE_PID"
	conlink_stop_clean
}

@test "metrics: a bad address is a startup error" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --metrics nonsense
	conlink_wait_exit
	[ "$CONLINK_STATUS" -eq 1 ]
	grep -qF "ERROR: --metrics 'nonsense': not ADDR:PORT" "$CONLINK_LOG"
	# nothing was made
	! has_link "$CONLINK_NETNS" s1 || false
}

reconnects() {	# the counter in /metrics
	scrape | sed -n 's/^conlink_engine_stream_reconnects_total{conlink_instance="conlink"} //p'
}

@test "metrics: each time the engine's event stream is live again after a drop is counted" {
	fake_engine_start
	fake_container_proc
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" \
		--metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	conlink_wait_log "Using docker engine"
	[ "$(reconnects)" = 0 ]
	"$CONLINK" ctl --control "$SOCK" events --json >"$BATS_TEST_TMPDIR/ev" &
	EV_PID=$!
	sleep 0.2
	fake_engine_restart
	conlink_wait_log "reconnected to $FAKE_SOCK" 15
	[ "$(reconnects)" = 1 ]
	fake_engine_restart
	wait_until 15 eval '[ "$(conlink_log_count "reconnected to $FAKE_SOCK")" = 2 ]'
	[ "$(reconnects)" = 2 ]
	[ "$("$CONLINK" ctl --control "$SOCK" status --json | jq .summary.engine_reconnects)" = 2 ]
	grep -c '"type":"engine","action":"reconnected","actor_name":"docker"' "$BATS_TEST_TMPDIR/ev" | grep -qx 2
	kill "$EV_PID"
	conlink_stop_clean
}

# prom_query PROMQL: the result array of Prometheus' instant query API
prom_query() {
	in_ns "$CONLINK_NETNS" curl -sf --max-time 5 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
		--data-urlencode "query=$1" | jq -c '.data.result'
}

# the value of the one series PROMQL gives, "" while it has none
prom_value() {
	prom_query "$1" | jq -r '.[0].value[1] // empty'
}

@test "metrics: a real Prometheus scrapes /metrics; its query API has each link's series with its labels, and the counter grows" {
	command -v prometheus >/dev/null ||
		skip "prometheus is not installed (Debian's prometheus; scripts/install-deps.sh installs it)"
	PROM_PORT=9465
	conlink_start --netns-dir "$NS" --network-file "$CFG" --metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	local dir=$BATS_TEST_TMPDIR/prom
	mkdir -p "$dir/data"
	cat >"$dir/prometheus.yml" <<-Y
	global: {scrape_interval: 1s, scrape_timeout: 1s}
	scrape_configs:
	  - job_name: conlink
	    static_configs: [{targets: ["127.0.0.1:$PORT"]}]
	Y
	# nsenter execs prometheus: $! is its PID
	nsenter --net="$CONLINK_NETNS" prometheus --config.file="$dir/prometheus.yml" \
		--storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$PROM_PORT" \
		--log.level=warn >"$dir/log" 2>&1 3>&- &
	PROM_PID=$!
	wait_until 20 eval '[ "$(prom_value "up{job=\"conlink\"}")" = 1 ]' || { cat "$dir/log"; false; }
	# one series per link, with the labels conlink gives (and the target's;
	# an empty label, project and service here, is no label to Prometheus)
	local s
	s=$(prom_query 'conlink_link_rx_bytes_total{link="c1:eth0"}')
	echo "$s"
	[ "$(echo "$s" | jq length)" = 1 ]
	echo "$s" | jq -e '.[0].metric == {"__name__": "conlink_link_rx_bytes_total",
		"job": "conlink", "instance": "127.0.0.1:'"$PORT"'",
		"replica": "1", "container": "c1", "dev": "eth0", "bridge": "s1", "link": "c1:eth0"}'
	s=$(prom_query 'conlink_link_state{link="web_1:eth0", state="made"}')
	echo "$s" | jq -e '.[0].metric.service == "web" and .[0].value[1] == "1"'
	# the totals keep their own label; the target's instance is Prometheus'
	s=$(prom_query 'conlink_links_made')
	echo "$s" | jq -e '.[0].metric.conlink_instance == "conlink" and
		.[0].metric.instance == "127.0.0.1:'"$PORT"'" and .[0].value[1] == "2"'
	# traffic crosses: the counter Prometheus stored grows past what it had
	local rx0
	rx0=$(prom_value 'conlink_link_rx_bytes_total{link="c1:eth0"}')
	in_ns "$NS/c1" ping -c5 -i0.2 -W2 10.0.0.10 >/dev/null
	wait_until 10 eval '[ "$(prom_value "conlink_link_rx_bytes_total{link=\"c1:eth0\"}")" -ge $((rx0 + 5 * 84)) ]'
	# the docs' Grafana query (docs/live-state.md): c1's bits per second
	wait_until 10 eval '[ -n "$(prom_query "sum by (container, dev) (rate(conlink_link_rx_bytes_total[1m])) * 8" |
		jq -r ".[] | select(.metric.container == \"c1\" and .metric.dev == \"eth0\" and (.value[1] | tonumber) > 0) | 1")" ]'
	kill "$PROM_PID"
	wait "$PROM_PID" || true
	PROM_PID=
	conlink_stop_clean
}

teardown() {
	[ -z "${PROM_PID:-}" ] || { kill "$PROM_PID"; wait "$PROM_PID"; } 2>/dev/null || true
	netns_teardown
}

# ms to link container NAME (netns_add until its address is there)
link_ms() {	# NAME ADDR
	local t0
	t0=$(date +%s%N)
	netns_add "$NS" "$1"
	wait_until 10 addr_is "$NS/$1" eth0 "$2"
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

@test "slow clients on the control socket and on /metrics (half a request, never reading) do not delay a new container's links" {
	conlink_start --netns-dir "$NS" --network-file "$CFG" --control "$SOCK" \
		--metrics "127.0.0.1:$PORT"
	conlink_wait_log "All links connected"
	local usual hung
	usual=$(link_ms web_2 10.0.0.11/24)
	# control: half a request line, and a status asked and never read; HTTP:
	# half a request, and scrapes asked and never read (receive buffer at
	# its smallest: conlink's answer stays unsent in its socket)
	in_ns "$CONLINK_NETNS" python3 - "$SOCK" "$PORT" <<-'P' 3>&- &
	import socket, sys, time
	def small(s):
	    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
	    return s
	a = socket.socket(socket.AF_UNIX); a.connect(sys.argv[1]); a.sendall(b'{"cmd": "sta')
	b = small(socket.socket(socket.AF_UNIX)); b.connect(sys.argv[1])
	b.sendall(b'{"cmd": "status"}\n' * 50)
	c = socket.create_connection(("127.0.0.1", int(sys.argv[2]))); c.sendall(b"GET /metr")
	d = small(socket.socket()); d.connect(("127.0.0.1", int(sys.argv[2])))
	d.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 300)
	print("hanging", flush=True)
	time.sleep(30)
	P
	SLOW_PID=$!
	sleep 0.5
	hung=$(link_ms web_3 10.0.0.12/24)
	echo "a new container linked in $usual ms, with the slow clients hanging $hung ms (bound 2000 ms: the loop waited on none of them)"
	[ "$hung" -lt 2000 ]
	# and the daemon still answers others on both
	scrape | grep -q 'conlink_link_state{.*link="web_3:eth0",state="made"} 1'
	"$CONLINK" ctl --control "$SOCK" status --json | jq -e '.summary.made == 4'
	kill "$SLOW_PID"
	conlink_stop_clean
}
