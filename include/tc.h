/* tc.h - traffic control over rtnetlink: ingress qdisc, u32 match-all
 * filter with a mirred egress redirect (the "patch" bridge). Root qdiscs:
 * netem.h. */
#ifndef CONLINK_TC_H
#define CONLINK_TC_H

#include "nl.h"

/* Queue "tc qdisc add dev IFINDEX ingress". */
void tc_ingress_batch(struct nl_batch *b, int ifindex, const char *what);

/* Queue "tc filter add dev IFINDEX parent ffff: protocol all u32 match u32
 * 0 0 action mirred egress redirect dev TO". */
void tc_mirred_batch(struct nl_batch *b, int ifindex, int to, const char *what);

/* Queue "tc qdisc del dev IFINDEX ingress". */
void tc_ingress_del_batch(struct nl_batch *b, int ifindex, const char *what);

#endif
