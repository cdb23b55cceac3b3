/* linkapply.h - turn one instantiated link, bridge or tunnel into kernel
 * state over netlink, recording how to undo it.
 *
 * The daemon (core/daemon.c) instantiates links (replica offsets applied,
 * "outer-dev" named) and opens the namespaces; this layer does the netlink
 * work and returns an undo record. Undo runs in reverse and tolerates
 * things that already vanished (a dead container's netns takes its end of
 * a veth with it).
 */
#ifndef CONLINK_LINKAPPLY_H
#define CONLINK_LINKAPPLY_H

#include <jansson.h>

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
};

/* Create everything LC describes. On success 0 and *undo (may be NULL when
 * nothing needs undoing). On failure -errno, err_msg() names the link and
 * the step (and the missing kernel feature when that is the cause), and
 * whatever this call made is already undone. */
int link_up(const struct link_ctx *lc, struct undo **undo);

/* Create a bridge from its enriched config ({"bridge","mode"}) in netns NS
 * (conlink's own). An existing interface of that name is an error. */
int bridge_up(const json_t *bridge, int ns, struct undo **undo);

/* Create a tunnel ({"type","bridge","remote","vni",...}) in NS, attached to
 * its bridge. */
int tunnel_up(const json_t *tunnel, int ns, struct undo **undo);

/* Undo in reverse order and free. NULL is fine. */
void undo_run(struct undo *u);

#endif
