/* nsenter.c - open a process's namespaces and join them with setns(2). */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "nsenter.h"

static const struct {
	const char *name;
	int clone_flag;
} kinds[NS_KINDS] = {
	[NS_USER] = { "user", CLONE_NEWUSER },
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
	[NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NS_UTS] = { "uts", CLONE_NEWUTS },
	[NS_NET] = { "net", CLONE_NEWNET },
	[NS_PID] = { "pid", CLONE_NEWPID },
	[NS_MNT] = { "mnt", CLONE_NEWNS },
};

void nsenter_init(struct ns_fds *ns)
{
	for (int k = 0; k < NS_KINDS; k++)
		ns->fd[k] = -1;
}

void nsenter_close(struct ns_fds *ns)
{
	for (int k = 0; k < NS_KINDS; k++) {
		if (ns->fd[k] >= 0)
			close(ns->fd[k]);
		ns->fd[k] = -1;
	}
}

int nsenter_has_pid(const struct ns_fds *ns)
{
	return ns->fd[NS_PID] >= 0;
}

/* 1 when FD is the namespace of KIND we are in, -1 when this kernel has no
 * namespaces of KIND at all, else 0. */
static int own_namespace(int fd, enum ns_kind kind)
{
	char path[64];
	struct stat self, other;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[kind].name);
	if (stat(path, &self))
		return errno == ENOENT ? -1 : 0;
	if (fd < 0 || fstat(fd, &other))
		return 0;
	return self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

int nsenter_open_pid(struct ns_fds *ns, pid_t pid, unsigned mask)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (pid <= 0 || stat(path, &st))
		return err_fail(ESRCH, "no %s", path);
	for (int k = 0; k < NS_KINDS; k++) {
		if (!(mask & NS_BIT(k)))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kinds[k].name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			int e = errno;

			if (e == ENOENT && own_namespace(-1, k) < 0)
				continue;	/* the kernel lacks this kind */
			nsenter_close(ns);
			if (e == ENOENT)	/* it exited meanwhile */
				return err_fail(ESRCH, "no %s", path);
			return err_fail(e, "cannot open '%s': %s", path, strerror(e));
		}
		if (own_namespace(fd, k) == 1) {
			close(fd);
			continue;
		}
		if (ns->fd[k] >= 0)
			close(ns->fd[k]);
		ns->fd[k] = fd;
	}
	return 0;
}

int nsenter_open_netns(struct ns_fds *ns, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_fail(errno, "cannot open '%s': %s", path, strerror(errno));
	/* An ordinary file (a namespace file whose bind mount is gone) or
	 * another kind of namespace would only fail later, in setns. */
	int type = ioctl(fd, NS_GET_NSTYPE);

	if (type != CLONE_NEWNET) {
		close(fd);
		return err_fail(EINVAL, "'%s' is not a network namespace", path);
	}
	if (ns->fd[NS_NET] >= 0)
		close(ns->fd[NS_NET]);
	ns->fd[NS_NET] = fd;
	return 0;
}

int nsenter_enter(const struct ns_fds *ns)
{
	for (int k = 0; k < NS_KINDS; k++) {
		if (ns->fd[k] < 0)
			continue;
		if (setns(ns->fd[k], kinds[k].clone_flag))
			return err_fail(errno, "cannot enter the %s namespace: %s",
					kinds[k].name, strerror(errno));
	}
	return 0;
}
