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

/* The longest event line read: Docker's are under 4 KiB, with many labels
 * tens of KiB. A longer line (an endless one: no newline) is dropped up to
 * its newline, never kept whole. */
#define ENGINE_EVENT_LINE_MAX (1L << 20)

struct engine_event_parser {
	char *buf;		/* an incomplete line kept from earlier reads */
	size_t len, cap;
	size_t skipped;		/* lines that were not JSON (logged by caller) */
	size_t dropped;		/* lines over ENGINE_EVENT_LINE_MAX (logged by caller) */
	int dropping;		/* inside a line over the cap: until its newline */
};

/* Feed N bytes; FN is called for each container start or die completed by
 * them, in order. Other events (exec, health, networks) are skipped. Each
 * byte is looked at a bounded number of times: time is linear in what is
 * fed, however it is split. 0, or -ENOMEM. */
int engine_events_feed(struct engine_event_parser *p, const char *bytes, size_t n,
		       engine_event_fn *fn, void *arg);
/* Drop a kept partial line (stream ended or reconnecting). */
void engine_events_reset(struct engine_event_parser *p);

#endif
