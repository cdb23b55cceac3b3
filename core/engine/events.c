/* events.c - newline-delimited JSON events to container start/die
 * (see engine_events.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine_events.h"
#include "http.h"

static const char *str_at(const json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* One complete line: report it when it is a container start or die. */
static void parse_line(struct engine_event_parser *p, const char *line, size_t n,
		       engine_event_fn *fn, void *arg)
{
	const char *type, *action, *id;
	struct engine_event ev;
	json_t *j;

	while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (!n)
		return;
	j = json_loadb(line, n, 0, NULL);
	if (!json_is_object(j)) {
		p->skipped++;
		json_decref(j);
		return;
	}
	/* the old format has no Type and speaks only of containers */
	type = str_at(j, "Type");
	action = str_at(j, "Action");
	if (!action)
		action = str_at(j, "status");
	id = str_at(json_object_get(j, "Actor"), "ID");
	if (!id || !*id)
		id = str_at(j, "id");
	if ((!type || !strcmp(type, "container")) && action && id && *id) {
		if (!strcmp(action, "start"))
			ev.kind = ENGINE_EV_START;
		else if (!strcmp(action, "die") || !strcmp(action, "died"))
			ev.kind = ENGINE_EV_DIE;
		else
			goto out;
		ev.id = id;
		fn(arg, &ev);
	}
out:
	json_decref(j);
}

/* A line over the cap: counted once, its bytes skipped to its newline. */
static void drop_line(struct engine_event_parser *p)
{
	p->dropped++;
	p->dropping = 1;
	p->len = 0;
}

int engine_events_feed(struct engine_event_parser *p, const char *bytes, size_t n,
		       engine_event_fn *fn, void *arg)
{
	const char *end = bytes + n, *nl;

	while (bytes < end) {
		nl = memchr(bytes, '\n', end - bytes);
		if (p->dropping) {
			if (!nl)
				return 0;
			p->dropping = 0;
		} else if (!nl) {
			/* only the new bytes were searched: the kept ones hold no newline */
			if (p->len + (end - bytes) > ENGINE_EVENT_LINE_MAX)
				drop_line(p);
			else if (engine_buf_append(&p->buf, &p->len, &p->cap, bytes, end - bytes))
				return -ENOMEM;
			return 0;
		} else if (p->len + (nl - bytes) > ENGINE_EVENT_LINE_MAX) {
			p->dropped++;
			p->len = 0;
		} else if (p->len) {
			if (engine_buf_append(&p->buf, &p->len, &p->cap, bytes, nl - bytes))
				return -ENOMEM;
			parse_line(p, p->buf, p->len, fn, arg);
			p->len = 0;
		} else {
			parse_line(p, bytes, nl - bytes, fn, arg);
		}
		bytes = nl + 1;
	}
	return 0;
}

void engine_events_reset(struct engine_event_parser *p)
{
	free(p->buf);
	p->buf = NULL;
	p->len = p->cap = 0;
	p->dropping = 0;
}
