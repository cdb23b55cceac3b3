/* srcmap.h - where each node of a loaded jansson tree came from
 * (file:line:col), for messages that point at the input.
 *
 * jansson nodes carry no user data, so positions live in a side table (a
 * srcmap) keyed by node address. The shared singletons true/false/null are
 * never recorded: ask for their parent's position instead.
 */
#ifndef CONLINK_SRCMAP_H
#define CONLINK_SRCMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct srcpos {
	const char *file;	/* as given to the loader */
	const char *origin;	/* property path of the enclosing item ("links[3]"), or NULL */
	unsigned line, col;	/* 1-based */
	bool reported;		/* a problem with this node was already shown */
};

struct srcmap;

struct srcmap *srcmap_new(void);
void srcmap_free(struct srcmap *m);
/* Copy s into storage that lives as long as the map. */
const char *srcmap_intern(struct srcmap *m, const char *s);
/* Record where node came from (file must be interned or outlive the map). */
void srcmap_set(struct srcmap *m, const json_t *node, const struct srcpos *pos);
/* Where node came from, or NULL when unknown. */
const struct srcpos *srcmap_get(const struct srcmap *m, const json_t *node);
/* Set the origin path of node (an interned string) if node is recorded. */
void srcmap_set_origin(struct srcmap *m, const json_t *node, const char *origin);
/* Deep copy of node, recording each copy at its original's position. */
json_t *srcmap_copy(struct srcmap *m, const json_t *node);

#endif
