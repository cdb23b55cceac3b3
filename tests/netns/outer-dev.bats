#!/usr/bin/env bats
# Generated outer-dev names never collide: where upstream's 15-character
# fallback ("c" + 8 of the id + "-" + 5 of the dev) is the same for two
# links, the later gets a hashed tail; the names stay across a restart.

load ../lib/netns

# the interface names in conlink's namespace, sorted, one a line
outer_names() {
	in_ns "$CONLINK_NETNS" ip -o link show | awk -F': ' '{print $2}' |
		cut -d@ -f1 | grep -vx -e lo -e s1 | sort
}

@test "colliding fallback names (prefix, suffix, dev): all 6 links, unique names, the same after a restart" {
	cat >"$CFG" <<-'Y'
	links:
	  # two long container names sharing a prefix
	  - {container: longcontainer-one, bridge: s1}
	  - {container: longcontainer-two, bridge: s1}
	  # two services whose replicas share a suffix
	  - {service: frontend-server, bridge: s1}
	  - {service: backend-server, bridge: s1}
	  # two devs sharing their first 5 characters
	  - {container: averylongcontainer, bridge: s1, dev: eth0long1}
	  - {container: averylongcontainer, bridge: s1, dev: eth0long2}
	Y
	for n in longcontainer-one longcontainer-two frontend-server_1 backend-server_1 \
		 averylongcontainer; do
		netns_add "$NS" "$n"
	done
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "links connected"
	grep -q "^All links connected" "$CONLINK_LOG"
	first=$(outer_names)
	echo "$first"
	[ "$(echo "$first" | wc -l)" -eq 6 ]
	[ "$(echo "$first" | sort -u | wc -l)" -eq 6 ]
	# upstream's name for the first of each pair, a hashed tail for the other
	echo "$first" | grep -qx clongcont-eth0
	echo "$first" | grep -qx cserver_1-eth0
	echo "$first" | grep -qx caverylon-eth0l
	[ "$(echo "$first" | grep -cE '^c(longcont|server_1|averylon)-[0-9a-f]{5}$')" -eq 3 ]
	# every container side is there
	has_link "$NS/longcontainer-two" eth0
	has_link "$NS/backend-server_1" eth0
	has_link "$NS/averylongcontainer" eth0long2
	conlink_stop_clean
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	[ "$(outer_names)" = "$first" ]
}

@test "a container that comes back gets the outer-dev name it had" {
	cat >"$CFG" <<-'Y'
	links:
	  - {container: longcontainer-one, bridge: s1}
	  - {container: longcontainer-two, bridge: s1}
	Y
	netns_add "$NS" longcontainer-one
	netns_add "$NS" longcontainer-two
	conlink_start --netns-dir "$NS" --network-file "$CFG"
	conlink_wait_log "All links connected"
	first=$(outer_names)
	[ "$(echo "$first" | sort -u | wc -l)" -eq 2 ]
	# the one with upstream's name goes; the other keeps its hashed name,
	# and the first, back, gets upstream's name again
	netns_del "$NS/longcontainer-one"
	wait_until 5 eval '[ "$(outer_names | wc -l)" -eq 1 ]'
	netns_add "$NS" longcontainer-one
	wait_until 5 eval '[ "$(outer_names | wc -l)" -eq 2 ]'
	[ "$(outer_names)" = "$first" ]
}
