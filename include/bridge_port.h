/* bridge_port.h - what a port of a bridge is told besides its master:
 * forwarding database entries of a vxlan port (head-end replication
 * toward the remotes that share its bridge) and port isolation.
 */
#ifndef CONLINK_BRIDGE_PORT_H
#define CONLINK_BRIDGE_PORT_H

#include <stdbool.h>

#include "addr.h"
#include "nl.h"

/* Queue "bridge fdb append 00:00:00:00:00:00 dev IFINDEX dst DST self
 * permanent": a vxlan device sends each broadcast, multicast and unknown
 * unicast frame to every DST so added (head-end replication). */
void fdb_flood_append_batch(struct nl_batch *b, int ifindex, const struct ipaddr *dst,
			    const char *what);

/* Queue "bridge link set dev IFINDEX isolated on|off": an isolated port
 * forwards to non-isolated ports only, never to another isolated one. */
void bridge_port_isolated_batch(struct nl_batch *b, int ifindex, bool on, const char *what);

#endif
