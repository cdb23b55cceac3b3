/* netem.h - tc netem's option grammar to TCA_NETEM attributes
 * (core/nl/netem.c parses, core/nl/netem_nl.c builds the qdisc message).
 *
 *   limit PACKETS | delay TIME [JITTER [CORR]] | distribution
 *   {uniform|normal|pareto|paretonormal|NAME} |
 *   loss [random] PCT [CORR] | loss state P13 [P31 [P32 [P23 [P14]]]] |
 *   loss gemodel PCT [R [1-H [1-K]]] | duplicate PCT [CORR] |
 *   corrupt PCT [CORR] | reorder PCT [CORR] | gap N |
 *   rate RATE [OVERHEAD [CELLSIZE [CELLOVERHEAD]]] |
 *   slot {MIN [MAX] | distribution NAME DELAY JITTER} [packets N] [bytes N] |
 *   ecn
 *
 * As tc: a percentage is "5%" or "5"; a bare time is microseconds.
 */
#ifndef CONLINK_NETEM_H
#define CONLINK_NETEM_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/pkt_sched.h>

#include "nl.h"

struct netem_opts {
	uint32_t limit, loss, gap, duplicate;
	uint32_t delay_corr, loss_corr, dup_corr;
	int64_t latency_ns, jitter_ns;
	uint32_t reorder, reorder_corr, corrupt, corrupt_corr;
	int loss_model;			/* NETEM_LOSS_GI, _GE, 0: random */
	struct tc_netem_gimodel gi;	/* loss state */
	struct tc_netem_gemodel ge;	/* loss gemodel */
	uint64_t rate;			/* bytes/s, 0: none */
	int32_t rate_overhead, cell_overhead;
	uint32_t cell_size;
	bool has_slot;
	int64_t slot_min, slot_max;	/* ns */
	int64_t slot_dist_delay, slot_dist_jitter;	/* ns */
	int32_t slot_packets, slot_bytes;
	int ecn;
	char dist[16];			/* delay distribution name or "" */
	char slot_dist[16];		/* slot distribution name or "" */
};

/* Parse TEXT (netem options, words separated by spaces): the one netem
 * grammar, for the loader and the link path. 0 or -EINVAL with err_msg()
 * naming the option, the bad word and what was expected there, e.g.
 * "bad value for 'delay': 'banana', expected a time such as 100ms (...)"
 * (the caller adds which netem). */
int netem_parse(const char *text, struct netem_opts *o);

/* PARTS[0..N) joined by spaces, then netem_parse(): a "netem" list is
 * more options, as upstream passes each. */
int netem_parse_list(const char *const *parts, int n, struct netem_opts *o);

/* Queue "tc qdisc add dev IFINDEX root netem O" in B. 0, or -errno when
 * a distribution table cannot be read. */
int netem_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
		const char *what);

/* Queue "tc qdisc replace dev IFINDEX root netem O" in B: a netem there
 * already is changed in place (same qdisc, same handle, its queue kept),
 * else one is made. Every setting is sent, those O leaves out as zero, so
 * none of the old qdisc's stays (a change keeps what it is not given).
 * NEW_HANDLE (not 0, one no qdisc of IFINDEX has): a new qdisc with it is
 * grafted at the root in the old one's place instead (a delay
 * distribution table cannot be taken off a netem). 0 or -errno. */
int netem_replace_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
			uint32_t new_handle, const char *what);

/* IFINDEX's root qdisc, in one dump: its handle in *HANDLE (0: the
 * default one), whether it is a netem in *NETEM (either may be NULL).
 * 0 or -errno. */
int netem_root(struct nl *nl, int ifindex, uint32_t *handle, bool *netem);

/* Queue "tc qdisc del dev IFINDEX root". */
void netem_del_batch(struct nl_batch *b, int ifindex, const char *what);

/* The built-in table of distribution NAME (normal, pareto, paretonormal;
 * netem_dist.c): 0 with *TABLE (kept, not to be freed) and its *N
 * entries, -ENOENT for another name, -ENOMEM. */
int netem_dist_builtin(const char *name, const int16_t **table, int *n);

#endif
