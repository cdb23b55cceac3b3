/* timeline.c - a link's timeline on the loop's timers (see timeline.h).
 *
 * Every step has its own one-shot timer, armed for the step's next planned
 * time, an absolute offset from the moment the link was made: a late
 * firing never shifts the steps after it (every: 1s runs at 1, 2, 3 s
 * whatever each firing's delay).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duration.h"
#include "events_log.h"
#include "err.h"
#include "impair.h"
#include "log.h"
#include "loop.h"
#include "state.h"
#include "state_priv.h"
#include "timeline.h"

enum action { A_NETEM, A_DOWN, A_UP };

static const char *const action_names[] = {
	[A_NETEM] = "netem", [A_DOWN] = "down", [A_UP] = "up",
};

struct step {
	struct timeline *tl;
	size_t index;			/* in the config's list */
	enum action action;
	const char *netem;		/* A_NETEM: the options (borrowed from the config) */
	int64_t at_us, every_us, for_us;	/* every_us 0: once, at at_us; for_us 0: none */
	int64_t planned_us;		/* the next firing, since the link was made */
	bool undo;			/* the next firing undoes the action */
	char *before;			/* A_NETEM: the netem the action replaced */
	struct loop_timer *timer;	/* NULL: the step has run for good */
};

struct timeline {
	struct link_state *ls;
	int64_t t0_us;			/* CLOCK_MONOTONIC when the link was made */
	long ran;			/* firings so far */
	size_t n;
	struct step steps[];
};

/* The loop's clock (CLOCK_MONOTONIC) in microseconds. */
static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void fire(void *arg);

/* Arm S for its planned time. The loop's timers fire once their
 * millisecond has come (loop_now_ms() >= due): due rounded up never
 * fires before the planned microsecond. */
static void arm(struct step *s)
{
	int64_t due_ms = (s->tl->t0_us + s->planned_us + 999) / 1000;

	s->timer = loop_timer_add((long)(due_ms - loop_now_ms()), fire, s);
	if (!s->timer)
		log_error("timeline: out of memory, step %zu will not run", s->index);
}

static void link_name(const struct link_state *ls, char *buf, size_t size)
{
	state_link_name(buf, size, ls->owner ? ls->owner->name : NULL, ls->cfg);
}

/* Run S's action (or its undo); 0 or -errno with err_msg(). */
static int act(struct step *s)
{
	struct link_state *ls = s->tl->ls;
	char was[1024];
	int ret;

	switch (s->action) {
	case A_NETEM:
		if (s->undo)
			return impair_netem(ls, s->before ? s->before : "");
		impair_netem_text(ls, was, sizeof(was));
		ret = impair_netem(ls, s->netem);
		if (ret == 0 && s->for_us) {
			free(s->before);
			s->before = strdup(was);
		}
		return ret;
	case A_DOWN:
	case A_UP:
		return impair_set_up(ls, (s->action == A_UP) != s->undo);
	}
	return -EINVAL;
}

/* What a step's next firing is, after the one that just ran. */
static void plan_next(struct step *s)
{
	if (!s->undo && s->for_us) {
		s->undo = true;
		s->planned_us += s->for_us;
	} else if (s->every_us) {
		/* the next period's start (after an undo: back by its "for") */
		s->planned_us += s->every_us - (s->undo ? s->for_us : 0);
		s->undo = false;
	} else {
		s->timer = NULL;
		return;
	}
	arm(s);
}

static void fire(void *arg)
{
	struct step *s = arg;
	struct timeline *tl = s->tl;
	int64_t actual = now_us() - tl->t0_us;
	char name[300];
	json_t *a;
	int ret;

	s->timer = NULL;	/* the loop frees a fired timer */
	tl->ran++;
	ret = act(s);
	link_name(tl->ls, name, sizeof(name));
	a = json_pack("{s:I, s:s, s:b, s:I, s:I, s:I}", "step", (json_int_t)s->index,
		      "action", action_names[s->action], "undo", s->undo,
		      "planned_ms", (json_int_t)(s->planned_us / 1000),
		      "actual_ms", (json_int_t)(actual / 1000),
		      "late_us", (json_int_t)(actual - s->planned_us));
	if (a && s->action == A_NETEM)
		json_object_set_new(a, "netem", json_string(s->undo ? s->before ? s->before : ""
								    : s->netem));
	if (a && ret < 0)
		json_object_set_new(a, "error", json_string(err_msg()));
	if (ret < 0)
		log_warn("%s: timeline step %zu (%s%s): %s", name, s->index,
			 s->undo ? "undo " : "", action_names[s->action], err_msg());
	else
		log_verbose("%s: timeline step %zu: %s%s at %lld ms (planned %lld ms)", name,
			    s->index, s->undo ? "undo " : "", action_names[s->action],
			    (long long)(actual / 1000), (long long)(s->planned_us / 1000));
	events_emit(tl->ls->owner ? "link" : "tunnel", "timeline", name,
		    tl->ls->owner ? tl->ls->owner->id : NULL, a);
	plan_next(s);
}

/* A normal-form duration (the loader wrote it), 0 when absent. */
static int64_t step_us(const json_t *step, const char *key)
{
	const char *s = json_string_value(json_object_get(step, key));
	int64_t us = 0;

	if (s && duration_parse(s, &us) < 0)
		us = 0;
	return us;
}

struct timeline *timeline_start(struct link_state *ls)
{
	const json_t *list = json_object_get(ls->cfg, "timeline"), *j;
	size_t n = json_array_size(list), i;
	struct timeline *tl;

	if (!n)
		return NULL;
	tl = calloc(1, sizeof(*tl) + n * sizeof(tl->steps[0]));
	if (!tl) {
		log_error("timeline: out of memory, not started");
		return NULL;
	}
	tl->ls = ls;
	tl->n = n;
	tl->t0_us = now_us();
	json_array_foreach(list, i, j) {
		struct step *s = &tl->steps[i];

		s->tl = tl;
		s->index = i;
		s->netem = json_string_value(json_object_get(j, "netem"));
		s->action = s->netem ? A_NETEM : json_object_get(j, "down") ? A_DOWN : A_UP;
		s->at_us = step_us(j, "at");
		s->every_us = step_us(j, "every");
		s->for_us = step_us(j, "for");
		s->planned_us = s->every_us ? s->every_us : s->at_us;
		arm(s);
	}
	return tl;
}

void timeline_stop(struct timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n; i++) {
		loop_timer_cancel(tl->steps[i].timer);
		free(tl->steps[i].before);
	}
	free(tl);
}

json_t *timeline_status(const struct timeline *tl)
{
	const struct step *next = NULL;
	json_t *o;

	for (size_t i = 0; i < tl->n; i++) {
		const struct step *s = &tl->steps[i];

		if (s->timer && (!next || s->planned_us < next->planned_us))
			next = s;
	}
	o = json_pack("{s:I, s:I}", "steps", (json_int_t)tl->n, "ran", (json_int_t)tl->ran);
	if (!o)
		return NULL;
	if (next) {
		int64_t in = tl->t0_us + next->planned_us - now_us();

		json_object_set_new(o, "next", json_pack("{s:I, s:s, s:b, s:I, s:I}",
			"step", (json_int_t)next->index, "action", action_names[next->action],
			"undo", next->undo, "at_ms", (json_int_t)(next->planned_us / 1000),
			"in_ms", (json_int_t)(in > 0 ? in / 1000 : 0)));
	} else {
		json_object_set_new(o, "next", json_null());
	}
	return o;
}
