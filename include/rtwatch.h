/* rtwatch.h - rtnetlink change notifications and route queries on a raw
 * NETLINK_ROUTE socket (no libmnl: this is in the static binary). */
#ifndef CONLINK_RTWATCH_H
#define CONLINK_RTWATCH_H

/* Open a non-blocking NETLINK_ROUTE socket subscribed to GROUPS (RTMGRP_*
 * bits, e.g. RTMGRP_LINK | RTMGRP_IPV4_ROUTE). Returns the fd or -errno. */
int rtwatch_open(unsigned groups);

/* Discard every queued notification on FD. Returns 0, or -errno on a real
 * error; an overrun (ENOBUFS) only means "something changed" and is 0. */
int rtwatch_drain(int fd);

struct nlmsghdr;

/* Read every notification queued on non-blocking FD: ON_MSG(message, ARG)
 * for each, ON_LOST(ARG) when the socket overran (notifications were
 * lost: look again at what was watched). Returns when none is left. */
void rtwatch_read(int fd, void (*on_msg)(const struct nlmsghdr *nlh, void *arg),
		  void (*on_lost)(void *arg), void *arg);

/* 1 when interface IFINDEX carries an IPv4 route in the main table (what
 * /proc/net/route lists), 0 when not, -errno when the dump failed. */
int rtnl_ipv4_route_via(int ifindex);

#endif
