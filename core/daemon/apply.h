/* apply.h - turn one instantiated link, bridge or tunnel into kernel
 * state over netlink, recording how to undo it.
 *
 * The daemon (core/daemon/daemon.c) instantiates links (replica offsets applied,
 * "outer-dev" named) and opens the namespaces; this layer does the netlink
 * work and returns an undo record. Undo runs in reverse and tolerates
 * things that already vanished (a dead container's netns takes its end of
 * a veth with it).
 *
 * Notes for callers (core/daemon/daemon.c):
 * - fds passed in are only borrowed; what an undo needs later is held by
 *   this layer (one fd per distinct namespace, see netns_hold).
 * - sockets to outer_ns/self_ns are cached and reused; a container's
 *   socket is opened per call and closed (it would pin the namespace).
 * - bridge_make must run before link_make/tunnel_make of links on that bridge
 *   (a tunnel's "bridge" is a bare name: its mode is what bridge_make
 *   recorded; a link's is enrich's {"bridge", "mode"}).
 * - the JSON is enrich's (core/config): its defaults (type, dev, mtu, mac,
 *   bridge mode) are there and are not applied again here.
 * - struct undo is defined in undo.h; treat it as opaque.
 */
#ifndef CONLINK_APPLY_H
#define CONLINK_APPLY_H

#include <jansson.h>
#include <stdbool.h>

struct undo;

struct link_ctx {
	const json_t *link;	/* enriched link + instance fields (ip, mac,
				 * forward offset; "outer-dev") */
	const char *id;		/* "container:dev", for messages */
	int cont_ns;		/* fd of the container's network namespace */
	int outer_ns;		/* fd where the outer end lives: conlink's own
				 * (base conlink) or the host's (base host);
				 * -1 for base local */
	int self_ns;		/* fd of conlink's own network namespace */
	const char *external_intf;	/* where forwards arrive (DOCKER-ETH0) */
	struct ethtool_child **ethtool;	/* ethtool programs started (ethtool.h):
					 * the caller watches them, also when
					 * link_make fails (then kills them) */
};

/* Create everything LC describes. On success 0 and *undo (may be NULL when
 * nothing needs undoing). On failure -errno, err_msg() names the link and
 * the step (and the missing kernel feature when that is the cause), and
 * whatever this call made is already undone. */
int link_make(const struct link_ctx *lc, struct undo **undo);

/* Create a bridge from its enriched config ({"bridge","mode"}) in netns NS
 * (conlink's own). An existing interface of that name with our mark is
 * adopted (a linux bridge) or replaced (owner.h); one without our mark is
 * an error. */
int bridge_make(const json_t *bridge, int ns, struct undo **undo);
/* The linux bridge NAME that bridge_make made (or adopted) is at IFINDEX. */
bool bridge_linux_at(const char *name, int ifindex);
/* That bridge was deleted by hand: made again in NS. Its new ifindex, or
 * -errno with err_msg(). */
int bridge_remake(const char *name, int ns);

/* Create a tunnel ({"type","bridge","remote","vni",...}) in NS, attached to
 * its bridge. */
int tunnel_make(const json_t *tunnel, int ns, struct undo **undo);

/* Undo in reverse order and free. NULL is fine. */
void undo_run(struct undo *u);

/* At exit, just before the undo records run: delete everything made in
 * the long-lived namespaces (outer veth ends with their container peers,
 * bridges, tunnels: they carry the interface group of this instance) with
 * one request per namespace. The kernel then unregisters them in one
 * batch, one RCU wait for all instead of ~20 ms each (500 links: ~0.1 s
 * instead of ~10 s). The undo records must still run afterwards (NAT
 * tables, patch filters, ovs ports, links made in containers); their
 * deletions of what is gone are quick no-ops. */
void nsock_exit(void);

#endif
