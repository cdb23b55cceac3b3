/* state.h - the daemon's state table: which configured links each
 * container has (made, failed, undo records), the expected-link count, and
 * the startup summary ("All links connected" / "N of M links connected").
 */
#ifndef CONLINK_STATE_H
#define CONLINK_STATE_H

#include <jansson.h>

#include "container.h"

/* Where links go: namespaces and names every link shares. */
struct link_env {
	int self_ns;			/* conlink's own network namespace */
	int host_ns;			/* "host" for base host links, -1 when unusable */
	const char *host_ns_path;	/* for messages */
	const char *external_intf;
};

/* Index the enriched config's containers, services and tunnels. CFG and
 * ENV must outlive the table. 0 or -errno. */
int state_init(const json_t *cfg, const struct link_env *env);

/* Create the config's tunnels (in conlink's namespace); a failed one is
 * counted and reported like a failed link. */
void state_tunnels_make(void);

/* Hold the summary while sources report the containers present at start
 * (0), then allow it and check once (1). */
void state_summary_enable(int on);

/* One configured link as status and metrics show it (state_links_each). */
struct link_view {
	const char *link;	/* "container:dev", "type-vni" of a tunnel, or
				 * "ENTRY:dev" while waiting for its container */
	const char *container;	/* container name, NULL while waiting */
	const char *id;		/* container id, NULL while waiting */
	const char *service;	/* compose service (a service entry), or NULL */
	int replica;		/* compose replica number, 0 while waiting */
	const json_t *cfg;	/* the configured link or tunnel */
	const char *dev, *outer_dev, *bridge;	/* outer_dev, bridge: "" when none */
	const char *state;	/* made failed retrying pending drifted waiting */
	const char *error;	/* why failed or retried, NULL when not */
	const char *drift;	/* what drifted (heal.c): NULL when nothing */
	long heals;		/* times heal.c restored it */
	const char *netem_now;	/* netem set at run time (impair.c), NULL: configured */
	int admin_down;		/* taken down on purpose (impair.c) */
	const struct timeline *timeline;	/* its running timeline, NULL: none */
	int cont_ns;		/* the container's namespace fd, -1: none */
	int outer_ns;		/* where its outer end lives, -1: none */
	int tunnel;		/* 1 for a tunnel (in conlink's namespace) */
};

typedef void state_view_fn(const struct link_view *v, void *arg);

/* Every configured link to FN: those of live containers (oldest first),
 * then those still waiting for a container, then the tunnels. */
void state_links_each(state_view_fn *fn, void *arg);

struct state_counts {
	long expected, made, failed, retrying, pending, drifted, heals;
	long containers;	/* live containers with links */
};
void state_counts_get(struct state_counts *c);

/* The compose project services are matched in (NULL: any). */
const char *state_compose_project(void);

/* Undo every container's links (newest container first, each in reverse),
 * then the tunnels; free the table. */
void state_free(void);

#endif
