/* timeline_check.c - a link's or tunnel's "timeline" checked at load
 * (every problem, file:line:col) and written in its one normal form:
 *   [{"at"|"every": DURATION, "for": DURATION?, "netem": "OPTIONS"|"down": true|"up": true}]
 * durations as duration_format writes them, netem a list joined. The
 * daemon's runner (core/daemon/timeline.c) reads only that form. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "err.h"
#include "netcfg.h"
#include "netcfg_int.h"
#include "spell.h"
#include "xwrap.h"

/* What one timeline may hold: a loss ramp is a few dozen steps. */
#define TIMELINE_STEPS_MAX 64

static const char *const step_keys[] = {"at", "every", "for", "netem", "down", "up", NULL};

/* The loop's timers count milliseconds. */
#define US_PER_MS 1000

/* Step S's duration KEY into *US; false (reported) when bad or absent. */
static bool step_duration(struct netcfg_ctx *c, json_t *s, const char *key, const char *path,
			  bool above_zero, int64_t *us)
{
	json_t *v = json_object_get(s, key);
	char *p, *f;
	bool ok = false;

	if (!v)
		return false;
	p = xasprintf("%s.%s", path, key);
	f = netcfg_describe(v);
	if (json_is_integer(v) && json_integer_value(v) == 0) {
		*us = 0;
		ok = true;
	} else if (!json_is_string(v)) {
		netcfg_error(c, v, s, p, "found %s, expected %s", f, DURATION_EXPECTED);
	} else if (duration_parse(json_string_value(v), us) < 0) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err_msg());
		netcfg_error(c, v, s, p, "found %s, expected %s: %s", f, DURATION_EXPECTED, why);
	} else if (*us % US_PER_MS) {
		netcfg_error(c, v, s, p, "found %s, expected a whole number of milliseconds "
			     "(the daemon's timers count milliseconds)", f);
	} else {
		ok = true;
	}
	if (ok && above_zero && *us == 0) {
		netcfg_error(c, v, s, p, "found %s, expected a duration above 0", f);
		ok = false;
	}
	free(f);
	free(p);
	return ok;
}

/* "down: true" / "up: true": anything else is reported. */
static bool step_flag(struct netcfg_ctx *c, json_t *s, const char *key, const char *path)
{
	json_t *v = json_object_get(s, key);
	char *p, *f;

	if (json_is_true(v))
		return true;
	p = xasprintf("%s.%s", path, key);
	f = netcfg_describe(v);
	netcfg_error(c, v, s, p, "found %s, expected true (a step with '%s: true' %s)", f, key,
		     !strcmp(key, "down") ? "takes the link down; 'up: true' brings it back"
					  : "brings the link up; 'down: true' takes it down");
	free(f);
	free(p);
	return false;
}

/* A netem string or list, checked by netem's parser; its normal form. */
static json_t *step_netem(struct netcfg_ctx *c, json_t *s, const char *path)
{
	json_t *v = json_object_get(s, "netem"), *e;
	char *p = xasprintf("%s.netem", path), *joined;
	int before = c->nerrors;
	size_t i;

	if (!json_is_string(v) && !json_is_array(v)) {
		char *f = netcfg_describe(v);

		netcfg_error(c, v, s, p, "found %s, expected netem options (a string, \"\" "
			     "removes the qdisc) or a list of strings", f);
		free(f);
		free(p);
		return NULL;
	}
	json_array_foreach(v, i, e)
		if (!json_is_string(e)) {
			char *f = netcfg_describe(e), *ep = xasprintf("%s[%zu]", p, i);

			netcfg_error(c, e, v, ep, "found %s, expected a string", f);
			free(f);
			free(ep);
		}
	if (json_is_array(v) && json_array_size(v) > NETCFG_LIST_MAX)
		netcfg_error(c, v, s, p, "found a list of %zu, expected at most %d",
			     json_array_size(v), NETCFG_LIST_MAX);
	if (c->nerrors == before)
		value_check_netem(c, s, v, p);
	free(p);
	if (c->nerrors != before)
		return NULL;
	if (json_is_string(v))
		return json_string(json_string_value(v));
	joined = xstrdup("");
	json_array_foreach(v, i, e) {
		char *t = xasprintf("%s%s%s", joined, i ? " " : "", json_string_value(e));

		free(joined);
		joined = t;
	}
	e = json_string(joined);
	free(joined);
	return e;
}

/* One step: every problem reported; its normal form, or NULL. */
static json_t *check_step(struct netcfg_ctx *c, json_t *s, const char *path)
{
	const char *key, *action = NULL, *second = NULL;
	int before = c->nerrors;
	int64_t when = 0, every = 0, dur = 0;
	bool has_at, has_every, has_for;
	json_t *v, *out, *netem = NULL;

	if (!json_is_object(s)) {
		char *f = netcfg_describe(s);

		netcfg_error(c, s, NULL, path, "found %s, expected a timeline step (a mapping: "
			     "at or every, an action, optionally for)", f);
		free(f);
		return NULL;
	}
	json_object_foreach(s, key, v) {
		const char *const *k2;
		char *p;

		for (k2 = step_keys; *k2 && strcmp(*k2, key); k2++)
			;
		if (*k2)
			continue;
		char h[SPELL_HINT_MAX];

		p = xasprintf("%s.%s", path, key);
		netcfg_error(c, v, s, p, "unknown timeline step property '%s'%s; expected one of "
			     "at, every, for, netem, down, up", key,
			     spell_hint(key, step_keys, sizeof(char *), h));
		free(p);
	}
	has_at = json_object_get(s, "at");
	has_every = json_object_get(s, "every");
	has_for = json_object_get(s, "for");
	if (has_at && has_every)
		netcfg_error(c, s, NULL, path, "has both 'at' and 'every', expected exactly one "
			     "of them (once at an offset, or repeating)");
	else if (!has_at && !has_every)
		netcfg_error(c, s, NULL, path, "has neither 'at' nor 'every', expected exactly one "
			     "of them (when the step runs)");
	if (has_at)
		step_duration(c, s, "at", path, false, &when);
	if (has_every)
		step_duration(c, s, "every", path, true, &every);
	if (has_for && step_duration(c, s, "for", path, true, &dur) && every && dur >= every) {
		char *p = xasprintf("%s.for", path), *f = netcfg_describe(json_object_get(s, "for"));
		char ev[32];

		netcfg_error(c, json_object_get(s, "for"), s, p, "found %s, expected less than "
			     "'every' (%s): the action is undone before it runs again", f,
			     duration_format(every, ev, sizeof(ev)));
		free(f);
		free(p);
	}
	for (const char *const *a = step_keys + 3; *a; a++)
		if (json_object_get(s, *a)) {
			if (action && !second)
				second = *a;
			else if (!action)
				action = *a;
		}
	if (!action)
		netcfg_error(c, s, NULL, path, "has no action, expected one of 'netem: OPTIONS', "
			     "'down: true', 'up: true'");
	else if (second)
		netcfg_error(c, s, NULL, path, "has both '%s' and '%s', expected one action a step "
			     "(make two steps)", action, second);
	else if (!strcmp(action, "netem"))
		netem = step_netem(c, s, path);
	else
		step_flag(c, s, action, path);
	if (c->nerrors != before) {
		json_decref(netem);
		return NULL;
	}
	char t[32];

	out = json_object();
	json_object_set_new(out, has_at ? "at" : "every",
			    json_string(duration_format(has_at ? when : every, t, sizeof(t))));
	if (has_for)
		json_object_set_new(out, "for", json_string(duration_format(dur, t, sizeof(t))));
	json_object_set_new(out, action, netem ? netem : json_true());
	return out;
}

void value_check_timeline(struct netcfg_ctx *c, json_t *item, json_t *v, const char *path)
{
	json_t *norm, *s;
	size_t i;

	if (!json_is_array(v)) {
		char *f = netcfg_describe(v);

		netcfg_error(c, v, item, path, "found %s, expected a list of timeline steps", f);
		free(f);
		return;
	}
	if (json_array_size(v) > TIMELINE_STEPS_MAX) {
		netcfg_error(c, v, item, path, "found a list of %zu steps, expected at most %d",
			     json_array_size(v), TIMELINE_STEPS_MAX);
		return;
	}
	norm = json_array();
	json_array_foreach(v, i, s) {
		char *sp = xasprintf("%s[%zu]", path, i);
		json_t *n = check_step(c, s, sp);

		if (n)
			json_array_append_new(norm, n);
		free(sp);
	}
	/* the normal form only when every step is good: an error's position
	 * is the original node's */
	if (json_array_size(norm) == json_array_size(v))
		json_object_set_new(item, "timeline", norm);
	else
		json_decref(norm);
}
