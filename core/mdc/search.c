/* search.c - pick the fewest modes a request needs (mdc's resolver).
 *
 * The problem. Each mode may require modes (REQUIRE), require at least one
 * of several (ANY, "a|b": an inclusive or) and ask to come after others
 * (AFTER, "+a": order only, which only resolve.c's ordering reads).
 * Wanted: a smallest set S holding the request, closed under REQUIRE, in
 * which every ANY clause of a member has an alternative in S.
 *
 * Tie-break (the exact rule). Among all smallest sets, the one met first by
 * this plain depth-first enumeration: start from the request and everything
 * it requires; take the FIRST clause that the set does not yet satisfy, in
 * clause order (clauses are ordered by the breadth-first discovery index of
 * the mode that owns them, walking the request's names and then each mode's
 * deps in written order as discover() in resolve.c does, then by
 * their position in that mode's deps file);
 * try its alternatives left to right, each adding the alternative and
 * everything it requires, and recurse. A clause that some member already
 * satisfies is never branched on: that only adds modes the smaller set did
 * not need. So "e: a d|c" picks d when d and c cost the same (upstream's
 * "pick first alternate"), and a requested c satisfies it with no d.
 *
 * The search, in two phases, exact for that rule:
 *  1. the smallest size k, by branch and bound with free branching (bb()):
 *     each alternative adds its whole REQUIRE closure (precomputed
 *     bitsets), so only ANY clauses branch; it branches on the open clause
 *     with the fewest usable alternatives (one left: forced, no branching),
 *     then on the one whose alternative serves most open clauses, cheapest
 *     alternative first; it prunes on |S| + lower bound >= best, the bound
 *     summing, over open clauses whose possible additions are pairwise
 *     disjoint, the cheapest alternative's count of new modes; after an
 *     alternative x was explored from S, its later siblings and everything
 *     under them skip alternatives whose closure holds x (a set holding x
 *     completes S + x, already searched); a state S met again is skipped
 *     (memo, at most MEMO_MAX states).
 *  2. the tie-break (choose()): walk the reference enumeration itself and
 *     at each first unsatisfied clause take the first alternative that
 *     still has a completion of size k. Its witness set from phase 1 (or
 *     the last check) answers most of these for free; otherwise bb() is
 *     asked with target k and stops at the first set of size k. An
 *     alternative with no such completion is excluded from then on.
 * Complexity: minimum set cover is NP-hard, so the worst case stays
 * exponential: O(prod over open clauses of their alternative counts)
 * search states, each O(C log C + C * A * N/64) for C clauses of A
 * alternatives over N modes, and phase 2 repeats that at most once per
 * rejected alternative. In practice the bound, forced clauses and
 * exclusion keep 200-mode graphs with an alternative each, including
 * random vertex-cover instances, in milliseconds (scripts/bench-mdc.sh).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modes_int.h"
#include "xwrap.h"

#define MEMO_MAX (1u << 18)

struct clause {
	size_t owner;		/* local node index */
	size_t nalt;
	size_t *alt;		/* local node indexes */
};

struct resolver {
	const struct mode_reach *m;	/* the local nodes searched over */
	size_t words;		/* bitset words per set of local nodes */
	uint64_t *clo;		/* nn sets: REQUIRE closure of each node */
	struct clause *cl;
	size_t ncl;
	uint64_t *excl;		/* exclusion set (see above) */
	uint64_t *best;
	size_t best_size;	/* SIZE_MAX until a set is found */
	uint64_t *memo;		/* open addressing table of states */
	size_t memo_cap, memo_n;
	uint64_t *scratch;	/* lower bound's addition sets, one per open clause */
	struct open_clause {
		const struct clause *c;
		size_t usable, cheapest, width, idx;
	} *open;
	size_t *deg;		/* open clauses each node could serve */
	size_t target;		/* bb() stops once best_size <= target */
	size_t nodes, nodes1;	/* search nodes expanded (all, phase 1) */
};

static int cmp_open(const void *a, const void *b)
{
	const struct open_clause *x = a, *y = b;

	if (x->width != y->width)
		return x->width < y->width ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static uint64_t *set_of(struct resolver *r, uint64_t *base, size_t i)
{
	return base + i * r->words;
}

static size_t local_of(const struct resolver *r, const char *name)
{
	ssize_t gi = mode_graph_find(r->m->g, name);

	return gi < 0 || r->m->local[gi] < 0 ? 0 : (size_t)r->m->local[gi];
}

/* REQUIRE closures as bitsets, and the ANY clauses in clause order. */
static void build(struct resolver *r)
{
	bool changed = true;

	r->words = (r->m->nn + 63) / 64;
	r->clo = xzalloc(r->m->nn * r->words * sizeof(uint64_t));
	for (size_t v = 0; v < r->m->nn; v++) {
		size_t nd;
		const struct mode_dep *d = reach_deps(r->m, v, &nd);

		SETBIT(set_of(r, r->clo, v), v);
		for (size_t i = 0; i < nd; i++) {
			struct clause *c;

			if (d[i].kind != MODE_DEP_ANY)
				continue;
			r->cl = xrealloc(r->cl, (r->ncl + 1) * sizeof(*r->cl));
			c = &r->cl[r->ncl++];
			c->owner = v;
			c->nalt = d[i].n;
			c->alt = xmalloc(c->nalt * sizeof(*c->alt));
			for (size_t j = 0; j < d[i].n; j++)
				c->alt[j] = local_of(r, d[i].names[j]);
		}
	}
	/* Fixpoint, nodes in reverse discovery order so a DAG mostly settles
	 * in one pass; cycles of REQUIRE just share one closure. */
	while (changed) {
		changed = false;
		for (size_t v = r->m->nn; v-- > 0;) {
			uint64_t *cv = set_of(r, r->clo, v);
			size_t nd;
			const struct mode_dep *d = reach_deps(r->m, v, &nd);

			for (size_t i = 0; i < nd; i++) {
				if (d[i].kind != MODE_DEP_REQUIRE)
					continue;
				uint64_t *cd = set_of(r, r->clo, local_of(r, d[i].names[0]));

				for (size_t w = 0; w < r->words; w++) {
					uint64_t nw = cv[w] | cd[w];

					if (nw != cv[w]) {
						cv[w] = nw;
						changed = true;
					}
				}
			}
		}
	}
}

static size_t popcount(const uint64_t *s, size_t words)
{
	size_t n = 0;

	for (size_t w = 0; w < words; w++)
		n += __builtin_popcountll(s[w]);
	return n;
}

static bool intersects(const uint64_t *a, const uint64_t *b, size_t words)
{
	for (size_t w = 0; w < words; w++)
		if (a[w] & b[w])
			return true;
	return false;
}

/* |clo \ S| */
static size_t added_count(const uint64_t *clo, const uint64_t *s, size_t words)
{
	size_t n = 0;

	for (size_t w = 0; w < words; w++)
		n += __builtin_popcountll(clo[w] & ~s[w]);
	return n;
}

static bool clause_open(const struct resolver *r, const struct clause *c, const uint64_t *s)
{
	if (!BIT(s, c->owner))
		return false;
	for (size_t j = 0; j < c->nalt; j++)
		if (BIT(s, c->alt[j]))
			return false;
	return true;
}

/* One pass over the open clauses of S: a lower bound on the modes still to
 * add (SIZE_MAX when some open clause has no usable alternative left), and
 * in *pick the clause to branch on, NULL when none is open: the fewest
 * usable alternatives, then the one holding the alternative found in most
 * open clauses (r->deg), then the first. The bound packs clauses whose
 * possible additions are disjoint, smallest addition sets first. */
static size_t lower_bound(struct resolver *r, const uint64_t *s,
			  const struct clause **pick)
{
	uint64_t *used = r->scratch, *mine;
	size_t lb = 0, nopen = 0, fewest = SIZE_MAX, most = 0;

	*pick = NULL;
	memset(r->deg, 0, r->m->nn * sizeof(*r->deg));
	for (size_t i = 0; i < r->ncl; i++) {
		const struct clause *c = &r->cl[i];
		size_t cheapest = SIZE_MAX, usable = 0;

		if (!clause_open(r, c, s))
			continue;
		mine = r->scratch + (1 + nopen) * r->words;
		memset(mine, 0, r->words * sizeof(*mine));
		for (size_t j = 0; j < c->nalt; j++) {
			const uint64_t *ca = set_of(r, r->clo, c->alt[j]);
			size_t k;

			if (intersects(ca, r->excl, r->words))
				continue;
			usable++;
			r->deg[c->alt[j]]++;
			k = added_count(ca, s, r->words);
			if (k < cheapest)
				cheapest = k;
			for (size_t w = 0; w < r->words; w++)
				mine[w] |= ca[w] & ~s[w];
		}
		if (!usable)
			return SIZE_MAX;
		r->open[nopen].c = c;
		r->open[nopen].usable = usable;
		r->open[nopen].cheapest = cheapest;
		r->open[nopen].width = popcount(mine, r->words);
		r->open[nopen].idx = nopen;
		nopen++;
	}
	for (size_t i = 0; i < nopen; i++) {
		const struct clause *c = r->open[i].c;
		size_t d = 0;

		for (size_t j = 0; j < c->nalt; j++)
			if (r->deg[c->alt[j]] > d)
				d = r->deg[c->alt[j]];
		if (r->open[i].usable < fewest || (r->open[i].usable == fewest && d > most)) {
			fewest = r->open[i].usable;
			most = d;
			*pick = c;
		}
	}
	qsort(r->open, nopen, sizeof(*r->open), cmp_open);
	memset(used, 0, r->words * sizeof(*used));
	for (size_t i = 0; i < nopen; i++) {
		mine = r->scratch + (1 + r->open[i].idx) * r->words;
		if (intersects(mine, used, r->words))
			continue;
		lb += r->open[i].cheapest;
		for (size_t w = 0; w < r->words; w++)
			used[w] |= mine[w];
	}
	return lb;
}

/* Branch order: fewest modes added first, then most open clauses served. */
static bool alt_before(struct resolver *r, const uint64_t *s, size_t a, size_t b)
{
	size_t ca = added_count(set_of(r, r->clo, a), s, r->words);
	size_t cb = added_count(set_of(r, r->clo, b), s, r->words);

	return ca != cb ? ca < cb : r->deg[a] > r->deg[b];
}

static uint64_t hash_set(const uint64_t *s, size_t words)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (size_t w = 0; w < words; w++) {
		h ^= s[w];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 33;
	}
	return h;
}

/* True when S was searched before; else remember it (while room remains). */
static bool memo_seen(struct resolver *r, const uint64_t *s)
{
	size_t i;

	if (!r->memo) {
		r->memo_cap = 1024;
		r->memo = xzalloc(r->memo_cap * (r->words + 1) * sizeof(uint64_t));
	}
	i = hash_set(s, r->words) & (r->memo_cap - 1);
	for (;; i = (i + 1) & (r->memo_cap - 1)) {
		uint64_t *slot = r->memo + i * (r->words + 1);

		if (!slot[0])
			break;
		if (!memcmp(slot + 1, s, r->words * sizeof(*s)))
			return true;
	}
	if (r->memo_n >= MEMO_MAX)
		return false;
	if (2 * (r->memo_n + 1) > r->memo_cap) {
		uint64_t *old = r->memo;
		size_t old_cap = r->memo_cap;

		r->memo_cap *= 2;
		r->memo = xzalloc(r->memo_cap * (r->words + 1) * sizeof(uint64_t));
		r->memo_n = 0;
		for (size_t k = 0; k < old_cap; k++)
			if (old[k * (r->words + 1)])
				memo_seen(r, old + k * (r->words + 1) + 1);
		free(old);
		return memo_seen(r, s);
	}
	uint64_t *slot = r->memo + i * (r->words + 1);

	slot[0] = 1;
	memcpy(slot + 1, s, r->words * sizeof(*s));
	r->memo_n++;
	return false;
}

/* Branch and bound from state S (|S| = SIZE) for a completion smaller than
 * r->best_size, avoiding r->excl; stops once r->best_size <= r->target.
 * Branches on the most constrained open clause, cheapest alternative first. */
static void bb(struct resolver *r, const uint64_t *s, size_t size)
{
	const struct clause *c;
	size_t lb, *took, ntook = 0, *alts;
	uint64_t *child;

	if (r->best_size <= r->target)
		return;
	lb = lower_bound(r, s, &c);
	if (lb == SIZE_MAX)
		return;
	if (!c) {
		if (size < r->best_size) {
			r->best_size = size;
			memcpy(r->best, s, r->words * sizeof(*s));
		}
		return;
	}
	if (size + lb >= r->best_size)
		return;
	if (memo_seen(r, s))
		return;
	r->nodes++;
	child = xmalloc(r->words * sizeof(*child));
	took = xmalloc(2 * c->nalt * sizeof(*took));
	alts = took + c->nalt;
	/* good sets first, hence tight bounds early (insertion sort, stable) */
	for (size_t j = 0; j < c->nalt; j++) {
		size_t k = j;

		while (k > 0 && alt_before(r, s, c->alt[j], alts[k - 1])) {
			alts[k] = alts[k - 1];
			k--;
		}
		alts[k] = c->alt[j];
	}
	for (size_t j = 0; j < c->nalt && r->best_size > r->target; j++) {
		size_t a = alts[j];
		const uint64_t *ca = set_of(r, r->clo, a);

		if (intersects(ca, r->excl, r->words))
			continue;
		for (size_t w = 0; w < r->words; w++)
			child[w] = s[w] | ca[w];
		bb(r, child, popcount(child, r->words));
		SETBIT(r->excl, a);
		took[ntook++] = a;
	}
	for (size_t k = 0; k < ntook; k++)
		CLRBIT(r->excl, took[k]);
	free(took);
	free(child);
}

static void memo_clear(struct resolver *r)
{
	if (r->memo && r->memo_n)
		memset(r->memo, 0, r->memo_cap * (r->words + 1) * sizeof(uint64_t));
	r->memo_n = 0;
}

static bool subset(const uint64_t *a, const uint64_t *b, size_t words)
{
	for (size_t w = 0; w < words; w++)
		if (a[w] & ~b[w])
			return false;
	return true;
}

/* From state S (changed; not r->best), which bb() overwrites.
 * Phase 1: k, the smallest size, and a witness set of that size (any).
 * Phase 2: walk the reference enumeration: at each first unsatisfied
 * clause (clause order) take the first alternative that still has a
 * completion of size k: free when the witness contains it, else asked of
 * bb() with target k (its set becomes the witness). An alternative with
 * none is excluded from then on (every set holding it is bigger than k).
 * Leaves the chosen set in r->best. */
static void choose(struct resolver *r, uint64_t *s)
{
	uint64_t *witness = xmalloc(r->words * sizeof(*witness));
	uint64_t *child = xmalloc(r->words * sizeof(*child));
	size_t k;

	r->best_size = SIZE_MAX;
	r->target = 0;
	bb(r, s, popcount(s, r->words));
	k = r->best_size;
	r->nodes1 = r->nodes;
	memcpy(witness, r->best, r->words * sizeof(*witness));
	for (;;) {
		const struct clause *c = NULL;

		for (size_t i = 0; i < r->ncl && !c; i++)
			if (clause_open(r, &r->cl[i], s))
				c = &r->cl[i];
		if (!c)
			break;
		for (size_t j = 0; j < c->nalt; j++) {
			const uint64_t *ca = set_of(r, r->clo, c->alt[j]);

			if (intersects(ca, r->excl, r->words))
				continue;
			for (size_t w = 0; w < r->words; w++)
				child[w] = s[w] | ca[w];
			if (!subset(child, witness, r->words)) {
				memo_clear(r);
				r->best_size = k + 1;
				r->target = k;
				bb(r, child, popcount(child, r->words));
				if (r->best_size > k) {
					SETBIT(r->excl, c->alt[j]);
					continue;
				}
				memcpy(witness, r->best, r->words * sizeof(*witness));
			}
			memcpy(s, child, r->words * sizeof(*s));
			break;
		}
	}
	memcpy(r->best, s, r->words * sizeof(*s));
	r->best_size = k;
	free(witness);
	free(child);
}

static void resolver_free(struct resolver *r)
{
	for (size_t i = 0; i < r->ncl; i++)
		free(r->cl[i].alt);
	free(r->cl);
	free(r->clo);
	free(r->excl);
	free(r->best);
	free(r->memo);
	free(r->scratch);
	free(r->open);
	free(r->deg);
}

uint64_t *mode_search(const struct mode_reach *m)
{
	struct resolver r = { .m = m, .best_size = SIZE_MAX };
	uint64_t *start, *chosen;

	build(&r);
	r.excl = xzalloc(r.words * sizeof(uint64_t));
	r.best = xzalloc(r.words * sizeof(uint64_t));
	r.scratch = xzalloc((r.ncl + 2) * r.words * sizeof(uint64_t));
	r.open = xmalloc((r.ncl + 1) * sizeof(*r.open));
	r.deg = xmalloc(m->nn * sizeof(*r.deg));
	/* Node 0 (the request) and its closure are in every result; a set
	 * always exists (all modes reached), so choose() always finds one. */
	start = xmalloc(r.words * sizeof(*start));
	memcpy(start, set_of(&r, r.clo, 0), r.words * sizeof(*start));
	choose(&r, start);
	free(start);
	if (getenv("MDC_RESOLVE_STATS"))
		fprintf(stderr, "mdc: %zu modes, %zu clauses, %zu + %zu search nodes\n",
			m->nn - 1, r.ncl, r.nodes1, r.nodes - r.nodes1);
	chosen = r.best;
	r.best = NULL;
	resolver_free(&r);
	return chosen;
}
