/* events_log.c - events as JSON lines to the control socket's
 * subscribers (see events_log.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "events_log.h"

static long sent;

long events_count(void)
{
	return sent;
}

/* RFC 3339 in UTC with nanoseconds, as containerlab and Docker write. */
static void timestamp(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09ldZ", base, ts.tv_nsec);
}

void events_emit(const char *type, const char *action, const char *actor_name,
		 const char *actor_id, json_t *attributes)
{
	char ts[48], *line;
	json_t *ev;

	sent++;
	if (!control_subscribers()) {
		json_decref(attributes);
		return;
	}
	timestamp(ts, sizeof(ts));
	ev = json_pack("{s:s, s:s, s:s, s:s, s:s*, s:o}", "timestamp", ts, "type", type,
		       "action", action, "actor_name", actor_name ? actor_name : "",
		       "actor_id", actor_id, "attributes",
		       attributes ? attributes : json_object());
	if (!ev)
		return;
	line = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	if (line)
		control_broadcast(line);
	free(line);
}
