/* undo.c - the undo stack of the apply files. */
#include <stdio.h>
#include <stdlib.h>

#include "netns.h"
#include "undo.h"

void undo_push(struct undo **u, undo_fn *fn, int ns, const char *a, const char *b, int i)
{
	struct undo_step *s = calloc(1, sizeof(*s));

	if (!*u)
		*u = calloc(1, sizeof(**u));
	if (!s || !*u) {
		free(s);
		return;
	}
	s->fn = fn;
	s->ns = netns_hold(ns);
	snprintf(s->a, sizeof(s->a), "%s", a ? a : "");
	snprintf(s->b, sizeof(s->b), "%s", b ? b : "");
	s->i = i;
	s->next = (*u)->top;
	(*u)->top = s;
}

void undo_run(struct undo *u)
{
	if (!u)
		return;
	while (u->top) {
		struct undo_step *s = u->top;

		u->top = s->next;
		s->fn(s);
		netns_release(s->ns);
		free(s);
	}
	free(u);
}
