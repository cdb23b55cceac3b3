/* netns.c - network namespaces by fd: enter/leave and shared holds. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "netns.h"

int netns_enter(int ns, int *saved)
{
	*saved = -1;
	if (ns < 0)
		return 0;
	int cur = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (cur < 0)
		return err_fail(errno, "cannot open own network namespace");
	if (setns(ns, CLONE_NEWNET) < 0) {
		int e = errno;

		close(cur);
		return err_fail(e, "cannot enter network namespace");
	}
	*saved = cur;
	return 0;
}

void netns_leave(int saved)
{
	if (saved < 0)
		return;
	/* Cannot fail for a namespace we were just in. */
	(void)setns(saved, CLONE_NEWNET);
	close(saved);
}

/* Held namespaces, keyed by inode: the daemon may hand us a fresh fd for
 * the same namespace on every call, but we keep one. */
struct held {
	dev_t dev;
	ino_t ino;
	int fd;
	int refs;
};
static struct held *held;
static int nheld;

int netns_same(int a, int b)
{
	struct stat sa, sb;

	if (a < 0 || b < 0)
		return a == b;
	if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int netns_hold(int ns)
{
	struct stat st;
	int i;

	if (ns < 0)
		return -1;
	if (fstat(ns, &st) < 0)
		return -1;
	for (i = 0; i < nheld; i++)
		if (held[i].refs && held[i].dev == st.st_dev && held[i].ino == st.st_ino) {
			held[i].refs++;
			return held[i].fd;
		}
	for (i = 0; i < nheld && held[i].refs; i++)
		;
	if (i == nheld) {
		struct held *h = realloc(held, (nheld + 16) * sizeof(*h));

		if (!h)
			return -1;
		held = h;
		for (int j = nheld; j < nheld + 16; j++)
			held[j].refs = 0;
		nheld += 16;
	}
	int fd = fcntl(ns, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return -1;
	held[i] = (struct held){ st.st_dev, st.st_ino, fd, 1 };
	return fd;
}

void netns_release(int fd)
{
	for (int i = 0; fd >= 0 && i < nheld; i++)
		if (held[i].refs && held[i].fd == fd) {
			if (--held[i].refs == 0)
				close(fd);
			return;
		}
}
