/* modes.h - mdc's mode graph: modes found in directories, their deps files,
 * and the resolver that picks and orders the modes a request needs
 * (compatible with Viasat/resolve-deps). */
#ifndef CONLINK_MODES_H
#define CONLINK_MODES_H

#include <stddef.h>
#include <sys/types.h>

enum mode_dep_kind {
	MODE_DEP_REQUIRE,	/* "a": a must be in the result */
	MODE_DEP_ANY,		/* "a|b": at least one of them */
	MODE_DEP_AFTER,		/* "+a": order only, a first when present */
};

struct mode_dep {
	enum mode_dep_kind kind;
	size_t n;		/* 1 for REQUIRE/AFTER, the alternatives for ANY */
	char **names;
};

struct mode {
	char *name;
	char *path;		/* its directory; NULL for a leaf named without one */
	char *dep_str;		/* the deps file as read ("" when none); NULL for a leaf */
	struct mode_dep *deps;
	size_t ndeps;
};

struct mode_graph {
	struct mode *v;
	size_t n, cap;
};

/* Parse deps text: names separated by whitespace or commas, '#' to end of
 * line a comment, "a|b" alternatives, "+a" order only. */
int mode_deps_parse(const char *text, struct mode_dep **deps, size_t *ndeps);
void mode_deps_free(struct mode_dep *deps, size_t ndeps);

/* Load every subdirectory of each directory in DIRS (colon-separated) as a
 * mode, reading its optional deps file. A name found twice is an error
 * naming both paths. */
int mode_graph_load(struct mode_graph *g, const char *dirs);
/* Index of the mode NAME, or -1. */
ssize_t mode_graph_find(const struct mode_graph *g, const char *name);
/* Index of the mode NAME, added as a leaf (no directory, no deps) if new. */
size_t mode_graph_get(struct mode_graph *g, const char *name);
void mode_graph_free(struct mode_graph *g);

/* Resolve REQUEST (deps syntax, e.g. "a,b|c") into the fewest modes that
 * satisfy every dependency, in dependency order: *ORDER gets *N indexes
 * into G (malloc'd; the caller frees). Unknown names become leaves of G.
 * A cycle among the result fails with -ELOOP naming the modes in it. */
int mode_graph_resolve(struct mode_graph *g, const char *request,
		       size_t **order, size_t *n);

#endif
