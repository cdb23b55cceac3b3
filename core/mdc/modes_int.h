/* modes_int.h - internals shared by the mdc resolver's files: the modes a
 * request reaches, numbered locally, and bitsets over those numbers.
 * resolve.c numbers them and orders the result; search.c picks
 * the set. Not for use outside core/modes_*.c. */
#ifndef CONLINK_MODES_INT_H
#define CONLINK_MODES_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "modes.h"

/* Local node 0 stands for the request itself; the modes it reaches through
 * REQUIRE and ANY names follow in breadth-first discovery order, which is
 * also the tie-break's clause order (see search.c). */
struct mode_reach {
	struct mode_graph *g;
	struct mode_dep *start_deps;	/* the request, as deps of node 0 */
	size_t start_ndeps;
	size_t nn;		/* local nodes: 0 is the request, then modes by discovery */
	size_t *gidx;		/* local -> graph index (gidx[0] unused) */
	ssize_t *local;		/* graph -> local index, -1 when unreached */
};

/* Sets of local nodes: (nn + 63) / 64 words each. */
#define BIT(set, i) (((set)[(i) / 64] >> ((i) % 64)) & 1)
#define SETBIT(set, i) ((set)[(i) / 64] |= (uint64_t)1 << ((i) % 64))
#define CLRBIT(set, i) ((set)[(i) / 64] &= ~((uint64_t)1 << ((i) % 64)))

/* The deps of local node V (the request's for node 0), *N of them. */
static inline const struct mode_dep *reach_deps(const struct mode_reach *m,
						size_t v, size_t *n)
{
	if (v == 0) {
		*n = m->start_ndeps;
		return m->start_deps;
	}
	*n = m->g->v[m->gidx[v]].ndeps;
	return m->g->v[m->gidx[v]].deps;
}

/* The smallest set of local nodes holding node 0 that is closed under
 * REQUIRE and meets every ANY clause of its members, the first such set in
 * the reference enumeration when several tie (search.c). Returns it
 * as a malloc'd bitset (the caller frees); one always exists. */
uint64_t *mode_search(const struct mode_reach *m);

#endif
