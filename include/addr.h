/* addr.h - IP addresses: parse CIDR text, add to an interface (RTM_NEWADDR);
 * MAC addresses: parse. */
#ifndef CONLINK_ADDR_H
#define CONLINK_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"

struct ipaddr {
	int family;		/* AF_INET or AF_INET6 */
	int prefix;		/* -1 when the text had none */
	unsigned char a[16];
};

/* Parse "ADDR" or "ADDR/PREFIX" (IPv4 or IPv6): the one IP and CIDR
 * grammar, for the loader and the link path. 0 or -EINVAL with err_msg()
 * quoting the text and saying why. */
int addr_parse(const char *s, struct ipaddr *ip);

/* Clear the host bits of IP (those past its prefix length). */
void addr_mask(struct ipaddr *ip);

/* Are IP's host bits clear (a network address for its prefix)? */
bool addr_is_network(const struct ipaddr *ip);

/* Can IP (parsed from TEXT) be an interface's address? The kernel refuses
 * an IPv6 multicast, loopback (::1, but on lo) or unspecified (::) one;
 * IPv4 it takes. 0 or -EINVAL with err_msg(). */
int addr_check_iface(const struct ipaddr *ip, const char *text);

/* Can IP (parsed from TEXT) be a geneve/vxlan tunnel's remote, made with
 * no device? The kernel refuses a multicast or IPv6 link-local one then.
 * 0 or -EINVAL with err_msg(). */
int addr_check_remote(const struct ipaddr *ip, const char *text);

/* Parse a unicast MAC "aa:bb:cc:dd:ee:ff" (hex either case): the one MAC
 * grammar. A multicast address (first byte odd) or all zeros is refused:
 * the kernel will not give one to an interface. 0 or -EINVAL with err_msg(). */
int mac_parse(const char *s, unsigned char mac[6]);

/* Queue "ip addr add IP dev IFINDEX" in batch B. */
void addr_add_batch(struct nl_batch *b, int ifindex, const struct ipaddr *ip,
		    const char *what);

/* The address (no prefix) as text, into BUF of 64 bytes. */
const char *addr_str(const struct ipaddr *ip, char *buf);

#endif
