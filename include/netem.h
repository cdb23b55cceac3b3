/* netem.h - tc netem's option grammar to TCA_NETEM attributes.
 *
 *   limit PACKETS | delay TIME [JITTER [CORR]] | distribution
 *   {uniform|normal|pareto|paretonormal} | loss [random] PCT [CORR] |
 *   duplicate PCT [CORR] | corrupt PCT [CORR] | reorder PCT [CORR] |
 *   gap N | rate RATE [OVERHEAD [CELLSIZE [CELLOVERHEAD]]] |
 *   slot MIN [MAX] [packets N] [bytes N] | ecn
 */
#ifndef CONLINK_NETEM_H
#define CONLINK_NETEM_H

#include <stdint.h>

#include "nl.h"

struct netem_opts {
	uint32_t limit, loss, gap, duplicate;
	uint32_t delay_corr, loss_corr, dup_corr;
	int64_t latency_ns, jitter_ns;
	uint32_t reorder, reorder_corr, corrupt, corrupt_corr;
	uint64_t rate;			/* bytes/s, 0: none */
	int32_t rate_overhead, cell_overhead;
	uint32_t cell_size;
	int64_t slot_min, slot_max;	/* ns, 0: no slot */
	int32_t slot_packets, slot_bytes;
	int ecn;
	char dist[16];			/* distribution name or "" */
};

/* Parse TEXT (netem options, words separated by spaces). 0 or -EINVAL
 * with err_msg() naming the word. */
int netem_parse(const char *text, struct netem_opts *o);

/* Queue "tc qdisc add dev IFINDEX root netem O" in B. 0, or -errno when
 * a distribution table cannot be read. */
int netem_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
		const char *what);

#endif
