/* ethtool.h - ethtool settings of a link, as upstream's "ethtool" strings
 * ("--offload tx off", "-K rx off gso on", ...).
 *
 * -K/--features/--offload NAME on|off... are done natively (SIOCETHTOOL
 * feature ioctls on a socket in the interface's namespace; the legacy names
 * tx, rx, sg, tso, gso, gro, lro, ... map to kernel features as ethtool
 * does). The other options ethtool_check() knows start the ethtool program
 * in the namespace (argv, never a shell) and leave it to the caller to
 * watch, so a daemon's loop never waits on it (a hung ethtool must not
 * hang linking or SIGTERM); one not installed fails clearly. An option it
 * does not know is refused when the config loads.
 */
#ifndef CONLINK_ETHTOOL_H
#define CONLINK_ETHTOOL_H

#include <sys/types.h>

/* An ethtool program ethtool_apply started. It leads a process group of
 * its own; its stdout is discarded, its stderr kept for the message. */
struct ethtool_child {
	struct ethtool_child *next;
	pid_t pid;
	int pidfd;		/* readable once it exited (pidfd_open) */
	int errfd;		/* read end of its stderr, non-blocking */
	char what[];		/* "ethtool 'SETTING' on DEV", for messages */
};

/* The one ethtool grammar, for the loader and the link path (ethtool_apply
 * parses with it too): an option this program knows (-K/--features/
 * --offload with feature names from the kernel's and ethtool's tables;
 * -s, -A, -C, -G, -L, --set-eee, --set-tunable with their parameters;
 * --set-priv-flags NAME on|off; -r; -N/-U, -X, --set-fec,
 * --set-phy-tunable, -W with arguments left to ethtool). 0 or -EINVAL with
 * err_msg() naming the bad word and what was expected (the caller adds
 * which setting). */
int ethtool_check(const char *setting);

/* Apply SETTING to IFNAME. SOCK is any socket made in the namespace NS
 * (fd) of IFNAME. A feature setting is done on return; any other starts
 * the ethtool program and pushes it on *STARTED: the caller watches its
 * pidfd, reaps it (waitpid) and asks ethtool_child_result what its status
 * means. 0 or -errno with err_msg(). */
int ethtool_apply(int sock, int ns, const char *ifname, const char *setting,
		  struct ethtool_child **started);

/* What CH's exit STATUS (as from waitpid) means: 0 for exit 0, else
 * -errno with err_msg() naming the setting and the first line the program
 * wrote on stderr (-ENOENT when ethtool is not installed). */
int ethtool_child_result(const struct ethtool_child *ch, int status);

/* SIGKILL CH's process group. Not waited for: reap it when its pidfd
 * says it exited. */
void ethtool_child_kill(const struct ethtool_child *ch);

/* Close CH's fds and free it (NULL is fine). */
void ethtool_child_free(struct ethtool_child *ch);

#endif
