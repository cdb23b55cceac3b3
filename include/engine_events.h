/* engine_events.h - the engine's /events stream: newline-delimited JSON,
 * parsed into container start/die events. Pure: bytes in, events out.
 *
 * One event may arrive split over several reads, and several in one read:
 * bytes are kept until their line is complete. Both field sets are read:
 * Action and Actor.ID (the only ones from API 1.52 on), else the old
 * status and id. Podman's "died" is a die.
 */
#ifndef CONLINK_ENGINE_EVENTS_H
#define CONLINK_ENGINE_EVENTS_H

#include <stddef.h>

enum engine_event_kind { ENGINE_EV_START, ENGINE_EV_DIE };

struct engine_event {
	enum engine_event_kind kind;
	const char *id;		/* container id, valid during the callback */
};

typedef void engine_event_fn(void *arg, const struct engine_event *ev);

struct engine_event_parser {
	char *buf;		/* an incomplete line kept from earlier reads */
	size_t len;
	size_t skipped;		/* lines that were not JSON (logged by caller) */
};

/* Feed N bytes; FN is called for each container start or die completed by
 * them, in order. Other events (exec, health, networks) are skipped.
 * 0, or -ENOMEM. */
int engine_events_feed(struct engine_event_parser *p, const char *bytes, size_t n,
		       engine_event_fn *fn, void *arg);
/* Drop a kept partial line (stream ended or reconnecting). */
void engine_events_reset(struct engine_event_parser *p);

#endif
