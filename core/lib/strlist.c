/* strlist.c - a growable list of owned strings. */
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "xwrap.h"

void strlist_add(struct strlist *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 2) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
	l->v[l->n] = NULL;
}

void strlist_add_split(struct strlist *l, const char *colon_list)
{
	const char *p = colon_list;

	while (*p) {
		size_t len = strcspn(p, ":");

		if (len) {
			char *s = strndup(p, len);

			strlist_add(l, s);
			free(s);
		}
		p += len + (p[len] == ':');
	}
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
