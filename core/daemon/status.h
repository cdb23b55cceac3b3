/* status.h - the daemon's state as one JSON object: the state table
 * (state.h) joined with what the kernel says now (link_live.h).
 *
 *   {"instance": I, "project": P|null, "summary": {expected, made,
 *    failed, retrying, pending, drifted, heals, containers, events,
 *    engine_reconnects},
 *    "links": [{link, container, id, service, replica, type, dev,
 *               outer_dev, bridge, state, error, drift, heals, carrier,
 *               mac, mtu, addresses: [..], netem, netem_changed,
 *               admin ("up", "down": taken down on purpose), timeline
 *               (timeline.h, when it has one), stats: {rx_bytes,
 *               rx_packets, rx_dropped, tx_bytes, tx_packets,
 *               tx_dropped}}],
 *    "bridges": [{name, mode, exists, up, carrier, mac, mtu}],
 *    "tunnels": [the links' fields]}
 * A link's counters are its outer end's (a veth's end on the bridge: rx
 * is what the container sent) where it has one in conlink's namespace,
 * else its container end's; absent when neither is there. netem is the
 * one in force: set at run time (netem_changed, impair.h; null when
 * removed), else the configured string or list.
 */
#ifndef CONLINK_STATUS_H
#define CONLINK_STATUS_H

#include <jansson.h>
#include <linux/if_link.h>

/* CFG (the enriched config), SELF_NS (conlink's namespace, where bridges
 * are) and INSTANCE must outlive the status calls. */
void status_init(const json_t *cfg, int self_ns, const char *instance);

/* The state now; NULL when out of memory. Netlink queries in conlink's
 * namespace and in each linked container's (one socket each). */
json_t *status_json(void);

/* An interface's IFLA_STATS64 as status shows them: {rx_bytes, rx_packets,
 * rx_dropped, tx_bytes, tx_packets, tx_dropped}. A new reference. */
json_t *status_stats_json(const struct rtnl_link_stats64 *s);

#endif
