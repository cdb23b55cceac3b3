/* sysctl_ns.h - a network sysctl (/proc/sys/net) of another namespace.
 *
 * /proc/sys/net shows the namespace of whoever opens it, at open time, so
 * the file is opened inside NS and written from here. There is no netlink
 * for IPv6's per-interface conf (the kernel takes only the address
 * generation mode and token that way).
 */
#ifndef CONLINK_SYSCTL_NS_H
#define CONLINK_SYSCTL_NS_H

/* Write VALUE to /proc/sys/net/KEY as seen in NS (an fd; -1: ours).
 * 0 or -errno with err_msg() naming the key. */
int sysctl_ns_write(int ns, const char *key, const char *value);

/* Turn IPv6 on for interface DEV in NS only (its conf.DEV.disable_ipv6 = 0),
 * as Docker does for its IPv6 networks; `all` and `default` stay as they
 * are. A no-op when it is already on. 0 or -errno with err_msg(). */
int ipv6_dev_enable(int ns, const char *dev);

#endif
