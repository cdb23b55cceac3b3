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

int engine_events_feed(struct engine_event_parser *p, const char *bytes, size_t n,
		       engine_event_fn *fn, void *arg)
{
	size_t start = 0;
	char *nl;

	if (engine_buf_append(&p->buf, &p->len, bytes, n))
		return -ENOMEM;
	while ((nl = memchr(p->buf + start, '\n', p->len - start))) {
		parse_line(p, p->buf + start, nl - (p->buf + start), fn, arg);
		start = nl - p->buf + 1;
	}
	if (start) {
		memmove(p->buf, p->buf + start, p->len - start);
		p->len -= start;
		p->buf[p->len] = 0;
	}
	return 0;
}

void engine_events_reset(struct engine_event_parser *p)
{
	free(p->buf);
	p->buf = NULL;
	p->len = 0;
}
