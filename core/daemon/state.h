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

/* Undo every container's links (newest container first, each in reverse),
 * then the tunnels; free the table. */
void state_free(void);

#endif
