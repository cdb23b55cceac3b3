/* events_log.h - what happens to containers and links, as events for the
 * control socket's subscribers (conlink ctl events).
 *
 * One JSON object per event, field names after containerlab's events:
 *   {"timestamp": "2026-01-02T03:04:05.123456789Z", "type": "container",
 *    "action": "start", "actor_name": "c1", "actor_id": "...",
 *    "attributes": {...}}
 * types and actions (ctl's usage lists the same): container start/die;
 * link (and tunnel) made, failed, removed, restored, netem, down, up
 * (impair.h), timeline (a step run, timeline.h); interface carrier-up,
 * carrier-down, drifted, recovered, deleted, detached, restored (heal.h);
 * engine reconnected.
 */
#ifndef CONLINK_EVENTS_LOG_H
#define CONLINK_EVENTS_LOG_H

#include <jansson.h>

/* Send one event to every subscriber. ACTOR_ID may be NULL; ATTRIBUTES
 * (taken over) may be NULL. Costs nothing without subscribers. */
void events_emit(const char *type, const char *action, const char *actor_name,
		 const char *actor_id, json_t *attributes);

/* Events sent since start (status, metrics). */
long events_count(void);

#endif
