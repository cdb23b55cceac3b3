/* route.h - routes in `ip route add` syntax, added over rtnetlink.
 *
 * Grammar: (default | PREFIX[/LEN]) [via [inet|inet6] GW] [dev NAME]
 *          [metric|priority|preference N] [src ADDR]
 *          [table ID|main|local|default] [onlink]
 *          [scope global|universe|site|link|host|nowhere|N]
 *          [proto kernel|boot|static|dhcp|N]
 * Anything else is an error naming the word.
 */
#ifndef CONLINK_ROUTE_H
#define CONLINK_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "nl.h"

struct route_spec {
	struct ipaddr dst;	/* prefix -1 never: default is /0 */
	struct ipaddr gw;	/* family 0: none */
	struct ipaddr src;	/* family 0: none */
	char dev[16];		/* "" : the link's own dev */
	long metric;		/* -1: none */
	uint32_t table;
	int scope;		/* -1: by gateway (universe) or link */
	int proto;
	bool onlink;
};

/* Parse TEXT: the one route grammar, for the loader and the link path.
 * Families must agree: gateway, src and destination ("default" takes the
 * gateway's or src's). 0 or -EINVAL with err_msg() naming the bad word and
 * what was expected there, e.g. "bad gateway '10.0.0.300', expected an IP
 * address without a prefix length" (the caller adds which route). */
int route_parse(const char *text, struct route_spec *r);

/* Queue "ip route add R dev IFINDEX" (NLM_F_CREATE|EXCL) in batch B; with
 * DEL, queue the RTM_DELROUTE of it instead. */
void route_batch(struct nl_batch *b, const struct route_spec *r, int ifindex,
		 bool del, const char *what);

#endif
