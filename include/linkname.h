/* linkname.h - the names conlink builds for links and tunnels: one
 * formatter each, for the loader, the daemon and net2dot alike. */
#ifndef CONLINK_LINKNAME_H
#define CONLINK_LINKNAME_H

#include <net/if.h>

/* "OWNER:DEV", a link's id in messages, the state table and the merge key
 * of the loader (OWNER: its container or service). malloc'd; NULL on
 * ENOMEM. */
char *linkname_id(const char *owner, const char *dev);

/* "TYPE-VNI", a tunnel's interface name, into BUF. 0, or -ENAMETOOLONG
 * when that has more than 15 characters. */
int linkname_tunnel(char buf[IFNAMSIZ], const char *type, long vni);

/* Upstream's outer interface name of a link: "SERVICE_INDEX-DEV" for a
 * service link, "CONTAINER-DEV" otherwise, and when that is longer than 15
 * characters "c" + the first 8 of ID + "-" + the first 5 of DEV (the last 8
 * of ID for a service link whose ID is "SERVICE_N", a --netns-dir name: its
 * first 8 would be the same for every replica). Returns 1 when it took that
 * fallback (which depends on ID), else 0. */
int linkname_outer(char buf[IFNAMSIZ], const char *service, const char *container,
		   int index, const char *id, const char *dev);

#endif
