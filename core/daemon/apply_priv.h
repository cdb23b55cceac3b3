/* apply_priv.h - what the apply files (apply, bridge, tunnel, ns_sockets) share (not for other modules). */
#ifndef CONLINK_APPLY_PRIV_H
#define CONLINK_APPLY_PRIV_H

#include <jansson.h>

#include "link.h"
#include "nl.h"
#include "undo.h"

/* Fill REQ's typed kind options (mode, vlanid, vni, remote: those K
 * takes) from CFG, an enriched link or tunnel. 0 or -EINVAL. */
int link_req_opts(const struct link_kind *k, const json_t *cfg, struct link_req *req);

/* A cached NETLINK_ROUTE socket in the long-lived namespace NS (conlink's
 * or the host's; -1: the current one). NULL with errno and err_msg(). */
struct nl *nsock_nl(int ns);

/* The interface group of what we make in NS (nsock_nl's namespace), 0: none.
 * nsock_exit deletes the whole group at once. */
uint32_t nsock_group(int ns);

/* Mode of a bridge made by bridge_make ("linux", "patch", "ovs"), or NULL. */
const char *bridge_mode(const char *bridge);

/* ifindex of linux bridge BRIDGE in NL's namespace, or -errno. */
int bridge_index(struct nl *nl, const char *bridge);

/* Join DEV (in NS) to patch bridge BRIDGE; the second member gets the
 * mirred filters both ways; a third is an error. */
int patch_add(const char *bridge, int ns, const char *dev);
/* undo step: a = dev, b = bridge */
void patch_undo(const struct undo_step *s);

/* Turn IPv4 forwarding on for interface NAME (best effort). */
void nsock_forwarding(struct nl *nl, const char *name);

#endif
