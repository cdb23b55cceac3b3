/* netgraph.h - a conlink network config (the JSON `conlink --show-config`
 * prints) as the graph net2dot draws: container interfaces grouped by
 * container or service, the outer ends on conlink's bridges, host NICs
 * that vlan/macvlan/ipvlan links hang off, tunnels and their remote hosts.
 * One model, two writers (GraphViz DOT, Mermaid); a running daemon's
 * status (core/daemon/status.h's JSON) marks each edge with its state and
 * netem. The first replica of a service stands for all of its replicas;
 * with a status, the edge's label says each replica's state.
 * With "hosts" (multi-host, docs/multi-host.md) each host is drawn with
 * its own containers, bridges and tunnels, and each meshed bridge's
 * tunnel devices (as the daemons name them) are joined host to host. */
#ifndef CONLINK_NETGRAPH_H
#define CONLINK_NETGRAPH_H

#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>
#include <jansson.h>

/* What a daemon's status says of one drawn edge. */
struct ng_live {
	char *label;		/* "made", "1 made, 2 failed", "drifted (down)",
				 * "down" (admin down: ctl link down), with
				 * "netem ..." after; NULL: not marked */
	const char *worst;	/* the worst state of its replicas: the colour */
};

/* One interface in a container (upstream's link-instance-enrich names it
 * for replica 1: outer-dev SERVICE_1-DEV or CONTAINER-DEV). */
struct ng_intf {
	char *owner;		/* cluster id: "S_svc" or the container name */
	const char *name;	/* the service's or container's name */
	bool service;
	char *dev_id;		/* owner:dev */
	const char *dev, *type, *bridge, *base;
	char *outer_dev;	/* NULL for local (dummy) links */
	const char *host;	/* the host its owner is placed on; NULL: no hosts */
	json_int_t vlanid;
	bool has_vlanid;
	struct ng_live live;
};

struct ng_tunnel {
	char name[IFNAMSIZ];	/* TYPE-VNI, as the daemon names it */
	const char *bridge, *remote;
	const char *host;	/* its "host"; NULL: made on every host */
	struct ng_live live;
};

/* One host of a many-host config. */
struct ng_host {
	const char *name, *address;
};

/* A bridge spanning hosts and its tunnel mesh. */
struct ng_mesh {
	const char *bridge, *kind;	/* kind: "vxlan" or "geneve" */
	json_int_t vni;
	const json_t *hosts;	/* the bridge's hosts, sorted (strings) */
};

struct netgraph {
	json_t *cfg;		/* borrowed: outlives the graph */
	struct ng_intf *intf;	/* by kind (containers, services), name, order */
	size_t n;
	struct ng_tunnel *tun;
	size_t ntun;
	char **bridges;		/* sorted, NULL-terminated: those a conlink
				 * link or a tunnel is on */
	struct ng_host *hosts;	/* sorted by name; none without "hosts" */
	size_t nhosts;
	struct ng_mesh *mesh;	/* by bridge name */
	size_t nmesh;
	bool live;		/* marked with a status */
	const json_t *status_mesh;	/* borrowed: the status's "mesh" */
	const char *status_host;	/* borrowed: the status's daemon's host */
};

/* Build G from CFG. Returns 0, or -1 with a message in err_msg() when CFG
 * is not a --show-config JSON (no "bridges" mapping). */
int netgraph_build(struct netgraph *g, json_t *cfg);

/* Mark G's edges with STATUS ({"links": [..], "tunnels": [..], "mesh":
 * [..]}): each interface with the status links of its container (by link
 * name) or service (by service and dev, every replica), each tunnel by
 * name. An edge no status link matches is labelled "not in status".
 * STATUS's "mesh" is kept (borrowed: STATUS outlives the writers) for
 * netgraph_mesh_live. */
void netgraph_mark(struct netgraph *g, const json_t *status);

void netgraph_free(struct netgraph *g);

/* The bridge mode of BRIDGE in the config ("linux", "patch", "ovs"), or NULL. */
const char *netgraph_bridge_mode(const struct netgraph *g, const char *bridge);

/* Is an item placed on ITEM_HOST drawn in HOST's cluster? Always without
 * hosts (HOST NULL) and for an item of every host (ITEM_HOST NULL). */
bool netgraph_here(const char *item_host, const char *host);

/* Is BRIDGE drawn on HOST: a conlink link of that host or a tunnel made
 * there is on it (always when HOST is NULL). */
bool netgraph_bridge_here(const struct netgraph *g, const char *bridge, const char *host);

/* HOST's place in M's hosts, or -1 when M does not span it. */
long netgraph_mesh_pos(const struct ng_mesh *m, const char *host);

/* The tunnel device the daemon of one of M's hosts makes toward its host
 * number PEER (a place in M's hosts): vxlan-VNI (one for all peers),
 * gnvVNI-PEER (geneve: one per peer), as core/daemon/mesh.c names them. */
void netgraph_mesh_dev(const struct ng_mesh *m, size_t peer, char dev[IFNAMSIZ]);

/* The mark of tunnel T's copy on HOST (NULL: no hosts): T's own, or "not
 * in status" when the status is another host's daemon's. */
const struct ng_live *netgraph_tunnel_live(const struct netgraph *g, const struct ng_tunnel *t,
					   const char *host);

/* With a status, the mark of the tunnel between M's hosts number A and B
 * (places in its hosts): what the status's daemon (one host) says of its
 * end, "h1 up", "h1 deleted", else "not in status"; LIVE->label is the
 * caller's to free. Without a status LIVE->label is NULL. */
void netgraph_mesh_live(const struct netgraph *g, const struct ng_mesh *m, size_t a, size_t b,
			struct ng_live *live);

/* How an edge in STATE is drawn: a colour ("#rrggbb") and whether dashed
 * (not made, or made and then changed by hand). */
const char *netgraph_state_colour(const char *state, bool *dashed);

/* Writers, each to OUT. A label's '\n' is a line break. */
void netgraph_dot(const struct netgraph *g, FILE *out);
void netgraph_mermaid(const struct netgraph *g, FILE *out);

#endif
