/* resolve.c - resolve an mdc request: number the modes it reaches,
 * pick the fewest it needs (search.c), then order them.
 *
 * The problem. Each mode may require modes (REQUIRE), require at least one
 * of several (ANY, "a|b": an inclusive or) and ask to come after others
 * (AFTER, "+a": order only). The result is a smallest set S holding the
 * request, closed under REQUIRE, in which every ANY clause of a member has
 * an alternative in S; then S in an order where each mode follows every
 * dependency of it that is in S (REQUIRE, ANY members and AFTER alike).
 * How S is chosen among sets of equal size, and what that costs, is told
 * where it is done, in search.c.
 *
 * Ordering is a depth-first post-order (O(N + E)) from the request, visiting
 * deps in written order, so independent modes keep the request's order; a
 * back edge is a cycle, reported with the modes on it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "modes_int.h"
#include "xwrap.h"

/* Breadth-first walk over REQUIRE and ANY names from the request: numbers
 * the local nodes (unknown names become leaf modes of the graph). */
static void discover(struct mode_reach *m)
{
	size_t cap = 16, lcap = m->g->n + 16;

	m->gidx = xmalloc(cap * sizeof(*m->gidx));
	m->local = xmalloc(lcap * sizeof(*m->local));
	for (size_t i = 0; i < lcap; i++)
		m->local[i] = -1;
	m->nn = 1;
	for (size_t v = 0; v < m->nn; v++) {
		size_t nd;
		const struct mode_dep *d = reach_deps(m, v, &nd);

		for (size_t i = 0; i < nd; i++) {
			if (d[i].kind == MODE_DEP_AFTER)
				continue;
			for (size_t j = 0; j < d[i].n; j++) {
				size_t gi = mode_graph_get(m->g, d[i].names[j]);

				/* adding a leaf may move g->v: re-read d */
				d = reach_deps(m, v, &nd);
				if (gi >= lcap) {
					size_t old = lcap;

					lcap = 2 * gi + 16;
					m->local = xrealloc(m->local, lcap * sizeof(*m->local));
					for (size_t k = old; k < lcap; k++)
						m->local[k] = -1;
				}
				if (m->local[gi] >= 0)
					continue;
				if (m->nn == cap)
					m->gidx = xrealloc(m->gidx, (cap *= 2) * sizeof(*m->gidx));
				m->local[gi] = m->nn;
				m->gidx[m->nn++] = gi;
			}
		}
	}
}

/* Depth-first post-order over the chosen set; a back edge is a cycle. */
struct order_walk {
	const struct mode_reach *m;
	const uint64_t *in;
	unsigned char *state;	/* 0 new, 1 on the path, 2 done */
	size_t *path, npath;
	size_t *out, nout;
};

static int order_visit(struct order_walk *o, size_t v);

static int order_dep(struct order_walk *o, const char *name)
{
	ssize_t gi = mode_graph_find(o->m->g, name);
	ssize_t u = gi < 0 ? -1 : o->m->local[gi];

	if (u <= 0 || !BIT(o->in, (size_t)u))
		return 0;
	return order_visit(o, u);
}

static int cycle_error(struct order_walk *o, size_t v)
{
	struct mode_graph *g = o->m->g;
	size_t from = 0, len = 0;
	char *msg, *p;

	while (o->path[from] != v)
		from++;
	for (size_t k = from; k < o->npath; k++)
		len += strlen(g->v[o->m->gidx[o->path[k]]].name) + 4;
	len += strlen(g->v[o->m->gidx[v]].name) + 1;
	p = msg = xmalloc(len);
	for (size_t k = from; k < o->npath; k++)
		p += sprintf(p, "%s -> ", g->v[o->m->gidx[o->path[k]]].name);
	strcpy(p, g->v[o->m->gidx[v]].name);
	err_fail(ELOOP, "Graph contains a cycle: %s", msg);
	free(msg);
	return -ELOOP;
}

static int order_visit(struct order_walk *o, size_t v)
{
	size_t nd;
	const struct mode_dep *d;
	int ret = 0;

	if (o->state[v] == 2)
		return 0;
	if (o->state[v] == 1)
		return cycle_error(o, v);
	o->state[v] = 1;
	o->path[o->npath++] = v;
	d = reach_deps(o->m, v, &nd);
	for (size_t i = 0; i < nd && !ret; i++)
		for (size_t j = 0; j < d[i].n && !ret; j++)
			ret = order_dep(o, d[i].names[j]);
	if (ret)
		return ret;
	o->npath--;
	o->state[v] = 2;
	if (v)
		o->out[o->nout++] = o->m->gidx[v];
	return 0;
}

int mode_graph_resolve(struct mode_graph *g, const char *request,
		       size_t **order, size_t *n)
{
	struct mode_reach m = { .g = g };
	struct order_walk o = { .m = &m };
	uint64_t *chosen;
	int ret;

	*order = NULL;
	*n = 0;
	ret = mode_deps_parse(request, &m.start_deps, &m.start_ndeps);
	if (ret < 0)
		return err_wrap(ret, "modes '%s'", request);
	discover(&m);
	chosen = mode_search(&m);
	o.in = chosen;
	o.state = xzalloc(m.nn);
	o.path = xmalloc(m.nn * sizeof(*o.path));
	o.out = xmalloc(m.nn * sizeof(*o.out));
	ret = order_visit(&o, 0);
	free(o.state);
	free(o.path);
	free(chosen);
	free(m.gidx);
	free(m.local);
	mode_deps_free(m.start_deps, m.start_ndeps);
	if (ret < 0) {
		free(o.out);
		return ret;
	}
	*order = o.out;
	*n = o.nout;
	return 0;
}
