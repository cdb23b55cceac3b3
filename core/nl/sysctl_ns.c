/* sysctl_ns.c - write a network sysctl as seen in another namespace. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "netns.h"
#include "sysctl_ns.h"

int sysctl_ns_write(int ns, const char *key, const char *value)
{
	char path[256];
	int saved, fd, e, ret;
	size_t len = strlen(value);

	snprintf(path, sizeof(path), "/proc/sys/net/%s", key);
	ret = netns_enter(ns, &saved);
	if (ret < 0)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	e = errno;
	netns_leave(saved);
	if (fd < 0)
		return err_fail(e, "cannot open %s", path);
	ret = write(fd, value, len) == (ssize_t)len ? 0 : -errno;
	close(fd);
	if (ret < 0)
		return err_fail(-ret, "cannot write %s", path);
	return 0;
}

int ipv6_dev_enable(int ns, const char *dev)
{
	char key[64];

	/* A new interface copies `default`, which Docker turns off together
	 * with `all` in a container without IPv6 networks; the interface's
	 * own value is what the kernel checks (addresses, send, receive). */
	snprintf(key, sizeof(key), "ipv6/conf/%s/disable_ipv6", dev);
	return sysctl_ns_write(ns, key, "0");
}
