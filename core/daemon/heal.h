/* heal.h - the interfaces conlink made, watched (RTNLGRP_LINK) in the
 * namespace their outer ends live in: one deleted or taken off its bridge
 * by hand is restored (unless --no-heal), one set down is reported as
 * drift and left alone; carrier changes become events. A linux bridge of
 * ours deleted by hand is made again, with the links that were on it.
 */
#ifndef CONLINK_HEAL_H
#define CONLINK_HEAL_H

#include <stdbool.h>

/* Watch for changes in conlink's namespace SELF_NS; HEAL false: report
 * only. 0 or -errno with err_msg(). */
int heal_start(int self_ns, bool heal);
void heal_stop(void);

/* Link LINK (state.c's, opaque here) was made: its outer end NAME in NS
 * (fd), on BRIDGE ("" none), is watched from now on. */
void heal_watch(void *link, int ns, const char *name, const char *bridge);
/* LINK is undone or forgotten: watched no more. */
void heal_unwatch(void *link);

/* What heal calls for something it watches that is not a link of the
 * state table (a mesh tunnel, mesh.c), in place of state_heal_*: RELINK
 * when it is deleted or taken off its bridge (made again whole: a port
 * put back would lose its isolation and flood entries), DRIFT as
 * state_heal_drift. */
struct heal_ops {
	void (*relink)(void *owner);
	void (*drift)(void *owner, const char *what);
};
/* heal_watch for OWNER (unwatched with heal_unwatch(OWNER)). */
void heal_watch_ops(void *owner, const struct heal_ops *ops, int ns, const char *name,
		    const char *bridge);

/* Called back into the state table (state.c). */
/* LINK's outer end went: undo the rest and make it again. */
void state_heal_relink(void *link);
/* LINK drifted (WHAT: "down", "deleted", "detached"; NULL: back as made). */
void state_heal_drift(void *link, const char *what);
/* LINK was restored in place (its outer end put back on its bridge):
 * counted as a heal. */
void state_heal_counted(void *link);
/* LINK made something on its bridge beyond its port (a forward's route):
 * made again, not only put back, when the bridge is. */
bool state_heal_needs_bridge(void *link);

#endif
