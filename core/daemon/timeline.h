/* timeline.h - a link's or tunnel's configured timeline run on the
 * daemon's loop: each step's action (netem, down, up through impair.h)
 * at its planned time, counted from the moment the link was made, and
 * undone after its "for". The steps come in the normal form the loader
 * writes (core/config/timeline_check.c).
 *
 * Each step run is an event (events_log.h): type link (tunnel), action
 * "timeline", attributes {step, action ("netem", "down", "up"), undo
 * (true: the "for" ran out), netem (netem steps), planned_ms, actual_ms
 * (since the link was made), late_us (actual - planned, in
 * microseconds), error (when the action failed)}.
 */
#ifndef CONLINK_TIMELINE_H
#define CONLINK_TIMELINE_H

#include <jansson.h>

struct link_state;
struct timeline;

/* Start LS's timeline (its config's "timeline"), its offsets from now:
 * LS was just made. NULL when it has none (or out of memory, logged). */
struct timeline *timeline_start(struct link_state *ls);

/* Cancel every step still to run (NULL is fine): the link is undone. */
void timeline_stop(struct timeline *t);

/* For status: {"steps": N, "ran": steps run so far, "next": {"step",
 * "action", "undo", "at_ms" (since the link was made), "in_ms"} or null
 * once every step has run}. */
json_t *timeline_status(const struct timeline *t);

#endif
