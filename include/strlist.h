/* strlist.h - a growable list of strings. */
#ifndef CONLINK_STRLIST_H
#define CONLINK_STRLIST_H

#include <stddef.h>

/* A growable list of strings (file names, ...). */
struct strlist {
	char **v;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s);
/* Add each element of a colon-separated list ("a.yaml:b.yaml"). */
void strlist_add_split(struct strlist *l, const char *colon_list);
void strlist_free(struct strlist *l);

#endif
