/* nat.h - NAT and port forwards with nftables (libnftnl over netlink).
 *
 * Everything lives in one table "conlink" per namespace and family (ip, or
 * ip6 for a link's IPv6 nat; forwards are IPv4); each
 * link gets its own pair of nat chains NAME-pre/NAME-post so it can be
 * removed alone; the table is dropped when its last link goes.
 *
 * The table is ours by name: the first time this process touches a
 * namespace's table (no link of ours uses it), what is there is a
 * previous life's (conlink killed, the namespace kept) and is replaced in
 * the same transaction, so a changed address wins and nothing is doubled.
 */
#ifndef CONLINK_NAT_H
#define CONLINK_NAT_H

#include <stdint.h>

#include "addr.h"
#include "forward.h"

/* The "nat" link option in namespace NS: traffic arriving on DEV is
 * DNATed to TARGET, traffic leaving DEV is SNATed to SELF (both IPv4 or
 * both IPv6: table ip or ip6 conlink). */
int nat_link_add(int ns, const char *name, const char *dev,
		 const struct ipaddr *target, const struct ipaddr *self);

/* Port forwards in NS (conlink's): arriving on EXT for port_a DNAT to
 * IP:port_b, masqueraded when leaving through BRIDGE. */
int nat_forward_add(int ns, const char *name, const char *ext, const char *bridge,
		    const struct ipaddr *ip, const struct nat_forward *fw, int nfw);

/* Remove the chains of NAME in NS from the table of FAMILY (AF_INET or
 * AF_INET6: the family they were added with), and the table after its last
 * link. Tolerates a namespace where they are already gone. */
void nat_del(int ns, const char *name, int family);

/* Drop the table "conlink" (ip and ip6) in NS unless a link of this
 * process uses it: a previous life's. 0 or -errno. */
int nat_drop_stale(int ns);

#endif
