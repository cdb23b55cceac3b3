/* state_priv.h - the state table's records, shared by state.c (which owns
 * them: containers, their links, counts, retries) and state_view.c (which
 * walks them for status, metrics and heal). Not for other modules. */
#ifndef CONLINK_STATE_PRIV_H
#define CONLINK_STATE_PRIV_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "undo.h"

/* A name under "containers" or "services" of the config. */
struct cfg_entry {
	const char *name;
	const json_t *links, *commands;
	size_t nlinks;
	int seen;		/* live containers matched to it */
};

/* Where a link stands; each state but NONE has a counter. PENDING is
 * neither made nor unconnected for the summary. */
enum link_st {
	LS_NONE,	/* not tried yet, or forgotten */
	LS_MADE,
	LS_FAILED,	/* for good: reported, not tried again */
	LS_RETRYING,	/* failed for a reason that may clear: tried again on a timer */
	LS_PENDING,	/* made, its ethtool programs still running (not counted) */
};

struct link_state {
	const json_t *cfg;	/* the configured link (borrowed from the config) */
	struct cont_state *owner;	/* its container; NULL for a tunnel */
	struct undo *undo;
	char *error;		/* why it failed or is retried; NULL when made */
	enum link_st st;
	struct loop_timer *retry;	/* the next attempt (LS_RETRYING) */
	struct ethtool_wait *ethtool;	/* its ethtool programs (LS_PENDING) */
	long delay;		/* ms from the last failure to the next attempt */
	int attempts;		/* failed attempts in a row */
	int64_t first_failed;	/* loop_now_ms() of the first of them */
	char outer[IFNAMSIZ];	/* its outer end (or tunnel) name, "" when none */
	char bridge[IFNAMSIZ];	/* the bridge its outer end is on, "" when none */
	const char *drift;	/* what heal.c saw changed by hand, NULL: nothing */
	long heals;		/* times heal.c restored it */
	int healing;		/* the next "made" is a restore */
	/* impair.c's, both undone when the link is made again (forget) */
	char *netem_now;	/* netem set at run time, NULL: the configured one */
	int admin_down;		/* taken down on purpose (ctl link ... down) */
	struct timeline *timeline;	/* its config's timeline, running while made */
};

struct cont_state {
	struct cont_state *next;	/* newest first */
	const struct source *src;
	struct cfg_entry *by_name, *by_service;
	char *id, *name, *netns_path;	/* point into strings[] */
	int index;		/* compose replica number */
	int nsfd;		/* kept open until its links are undone */
	size_t nlinks;
	struct link_state *links;	/* points into the same allocation */
	char strings[];
};

/* The live containers, newest first (->next). */
const struct cont_state *state_newest(void);
/* The config's "containers" and "services" entries, sorted by name. */
void state_entries(const struct cfg_entry **by_name, size_t *n_name,
		   const struct cfg_entry **by_svc, size_t *n_svc);
/* The tunnels, in config order; *N of them. */
const struct link_state *state_tunnel_list(size_t *n);

/* "container:dev" of a configured link (CNAME NULL: "type-vni" of a tunnel). */
void state_link_name(char *buf, size_t size, const char *cname, const json_t *link);
/* The namespace LS's outer end (or tunnel) lives in, -1: none. */
int state_outer_ns_of(const struct link_state *ls);
/* The service S is a replica of, or NULL. */
const char *state_service_of(const struct cont_state *s);

#endif
