/* nsenter.h - enter another process's namespaces with setns(2).
 *
 * Open every namespace first (paths under /proc resolve in our own mount
 * namespace), then enter them in one go, in the order the kernel needs.
 * No libraries: this file is part of the static build.
 */
#ifndef CONLINK_NSENTER_H
#define CONLINK_NSENTER_H

#include <sys/types.h>

/* Namespace kinds, in the order nsenter_enter() joins them: user first
 * (joining it grants the capabilities the other setns calls need when the
 * target lives in its own user namespace), mount last (it replaces our
 * root and working directory). */
enum ns_kind { NS_USER, NS_CGROUP, NS_IPC, NS_UTS, NS_NET, NS_PID, NS_MNT, NS_KINDS };

#define NS_BIT(kind) (1u << (kind))
#define NS_ALL ((1u << NS_KINDS) - 1)

/* Open namespace descriptors, -1 where none. */
struct ns_fds {
	int fd[NS_KINDS];
};

/* Mark every slot empty. */
void nsenter_init(struct ns_fds *ns);

/* Open /proc/PID/ns/KIND for each kind in MASK. A namespace the caller is
 * already in is left out (setns into one's own user namespace fails), as is
 * a kind this kernel does not have. 0, -ESRCH when there is no process PID,
 * or -errno (-EACCES when we may not look at PID's namespaces); on failure
 * nothing stays open. */
int nsenter_open_pid(struct ns_fds *ns, pid_t pid, unsigned mask);

/* Open a network namespace bound to a file (ip netns add, unshare
 * --net=FILE). 0, -ENOENT, -EINVAL when PATH is not a network namespace,
 * or -errno. */
int nsenter_open_netns(struct ns_fds *ns, const char *path);

/* Join every open namespace (see enum ns_kind for the order). Joining the
 * pid namespace affects only children forked afterwards. 0 or -errno
 * (-EPERM without CAP_SYS_ADMIN); a failure can leave us half switched. */
int nsenter_enter(const struct ns_fds *ns);

/* Whether the pid namespace is among the open ones (the caller must fork). */
int nsenter_has_pid(const struct ns_fds *ns);

void nsenter_close(struct ns_fds *ns);

#endif
