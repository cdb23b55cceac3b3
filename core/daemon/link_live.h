/* link_live.h - what the kernel says of one interface now: flags,
 * carrier, MAC, MTU, master, 64-bit counters (IFLA_STATS64), addresses.
 * For status and metrics; read-only, one GETLINK (+ one address dump). */
#ifndef CONLINK_LINK_LIVE_H
#define CONLINK_LINK_LIVE_H

#include <stdbool.h>
#include <linux/if_link.h>
#include <jansson.h>

#include "nl.h"

/* carrier: in linux/if.h, which clashes with net/if.h (glibc has none) */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct link_live {
	int index, mtu, master;
	unsigned int flags;		/* IFF_UP, IFF_LOWER_UP (carrier) */
	unsigned char mac[6];
	bool has_mac, has_stats;
	struct rtnl_link_stats64 stats;
};

/* Interface NAME in NL's namespace: 0 and *out, -ENODEV when absent,
 * else -errno. */
int link_live_get(struct nl *nl, const char *name, struct link_live *out);

/* The addresses of IFINDEX ("ADDR/PREFIX", global and link scope but
 * IPv6 link-local) appended to ARR. 0 or -errno. */
int link_live_addrs(struct nl *nl, int ifindex, json_t *arr);

#endif
