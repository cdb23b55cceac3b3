/* ethtool_wait.h - a link's ethtool programs watched on the loop (their
 * pidfds and one timeout), never waited for: the link counts as made once
 * every one exited 0; a failure, or the time running out, fails it; a
 * container going away or SIGTERM kills them (by process group) and goes on.
 */
#ifndef CONLINK_ETHTOOL_WAIT_H
#define CONLINK_ETHTOOL_WAIT_H

#include "ethtool.h"

struct ethtool_wait;

/* RET: 0 when every program exited 0, else -errno with err_msg(). */
typedef void ethtool_wait_fn(void *arg, int ret);

/* Watch KIDS (ethtool_apply's list; taken over). DONE(ARG, RET) is called
 * once, from the loop: at the first program that fails (the others
 * killed), when TIMEOUT_MS pass first (all killed), or when the last one
 * exited 0; the watch is freed after it. NULL with err_msg() when they
 * cannot be watched (then they are killed). */
struct ethtool_wait *ethtool_wait(struct ethtool_child *kids, long timeout_ms,
				  ethtool_wait_fn *done, void *arg);

/* Kill what W still watches and forget W; DONE is not called. NULL is
 * fine. */
void ethtool_wait_cancel(struct ethtool_wait *w);

/* Kill KIDS (a list ethtool_apply started for a link that then failed). */
void ethtool_kill(struct ethtool_child *kids);

/* At exit: forget the killed programs not reaped yet (their fds closed;
 * whoever inherits them reaps them). */
void ethtool_wait_exit(void);

#endif
