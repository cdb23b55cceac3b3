/* srcmap.c - the srcmap: node address -> file:line:col, an open-addressing hash. */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xwrap.h"
#include "srcmap.h"

struct srcent {
	const json_t *key;
	struct srcpos pos;
};

struct srcmap {
	struct srcent *tab;
	size_t cap, n;		/* cap is a power of two */
	char **strs;		/* interned strings */
	size_t nstrs, capstrs;
};

struct srcmap *srcmap_new(void)
{
	struct srcmap *m = xzalloc(sizeof(*m));

	m->cap = 1024;
	m->tab = xzalloc(m->cap * sizeof(*m->tab));
	return m;
}

void srcmap_free(struct srcmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->strs);
	free(m->tab);
	free(m);
}

const char *srcmap_intern(struct srcmap *m, const char *s)
{
	if (m->nstrs == m->capstrs) {
		m->capstrs = m->capstrs ? 2 * m->capstrs : 64;
		m->strs = xrealloc(m->strs, m->capstrs * sizeof(*m->strs));
	}
	return m->strs[m->nstrs++] = xstrdup(s);
}

static size_t slot_of(const struct srcmap *m, const json_t *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key;

	/* jansson nodes are malloc-aligned: mix the high bits in */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	size_t i = h & (m->cap - 1);

	while (m->tab[i].key && m->tab[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct srcmap *m)
{
	struct srcent *old = m->tab;
	size_t oldcap = m->cap;

	m->cap *= 2;
	m->tab = xzalloc(m->cap * sizeof(*m->tab));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			m->tab[slot_of(m, old[i].key)] = old[i];
	free(old);
}

static bool is_singleton(const json_t *node)
{
	return json_is_true(node) || json_is_false(node) || json_is_null(node);
}

void srcmap_set(struct srcmap *m, const json_t *node, const struct srcpos *pos)
{
	struct srcpos copy = *pos;	/* pos may point into the table, which can move */

	if (!node || is_singleton(node))
		return;
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	size_t i = slot_of(m, node);

	if (!m->tab[i].key)
		m->n++;
	m->tab[i].key = node;
	m->tab[i].pos = copy;
}

const struct srcpos *srcmap_get(const struct srcmap *m, const json_t *node)
{
	if (!m || !node || is_singleton(node))
		return NULL;
	size_t i = slot_of(m, node);

	return m->tab[i].key ? &m->tab[i].pos : NULL;
}

void srcmap_set_origin(struct srcmap *m, const json_t *node, const char *origin)
{
	struct srcpos *p = (struct srcpos *)srcmap_get(m, node);

	if (p)
		p->origin = origin;
}

json_t *srcmap_copy(struct srcmap *m, const json_t *node)
{
	const struct srcpos *pos = srcmap_get(m, node);
	struct srcpos saved;
	json_t *copy;

	if (pos)
		saved = *pos;	/* the table may move while we copy */
	if (json_is_object(node)) {
		const char *k;
		json_t *v;

		copy = json_object();
		json_object_foreach((json_t *)node, k, v)
			json_object_set_new(copy, k, srcmap_copy(m, v));
	} else if (json_is_array(node)) {
		size_t i;
		json_t *v;

		copy = json_array();
		json_array_foreach(node, i, v)
			json_array_append_new(copy, srcmap_copy(m, v));
	} else {
		copy = json_copy((json_t *)node);
	}
	if (pos)
		srcmap_set(m, copy, &saved);
	return copy;
}
