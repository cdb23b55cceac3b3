/* netns.h - network namespaces by file descriptor: open, enter, leave, hold.
 *
 * A namespace is named by an fd (from open("/proc/PID/ns/net") or a bind
 * mount such as /var/run/netns/NAME). Sockets keep the namespace they were
 * made in, so callers enter a namespace only long enough to make a socket.
 */
#ifndef CONLINK_NETNS_H
#define CONLINK_NETNS_H

/* Enter NS (an fd); *saved receives an fd of the namespace left, for
 * netns_leave(). NS < 0 means "stay": *saved is -1. 0 or -errno. */
int netns_enter(int ns, int *saved);

/* Go back to SAVED (from netns_enter) and close it. -1 is a no-op. */
void netns_leave(int saved);

/* Take a shared reference on the namespace NS: returns an fd this module
 * owns (one per distinct namespace, whatever fd names it), valid until the
 * matching netns_release(). -1 in, -1 out. */
int netns_hold(int ns);
void netns_release(int held);

/* Nonzero when fds A and B name the same namespace. */
int netns_same(int a, int b);

#endif
