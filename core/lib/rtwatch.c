/* rtwatch.c - rtnetlink notifications and an IPv4 route dump, raw sockets. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "rtwatch.h"

static int rtnl_socket(unsigned groups, int type_flags)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | type_flags,
			NETLINK_ROUTE);

	if (fd < 0)
		return err_fail(errno, "netlink socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		return err_fail(e, "netlink bind: %s", strerror(e));
	}
	return fd;
}

int rtwatch_open(unsigned groups)
{
	return rtnl_socket(groups, SOCK_NONBLOCK);
}

int rtwatch_drain(int fd)
{
	char buf[8192];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n >= 0)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR && errno != ENOBUFS)
			return err_fail(errno, "netlink receive: %s", strerror(errno));
	}
}

void rtwatch_read(int fd, void (*on_msg)(const struct nlmsghdr *nlh, void *arg),
		  void (*on_lost)(void *arg), void *arg)
{
	char buf[16384];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			on_lost(arg);
			continue;
		}
		if (n <= 0)
			return;
		/* n, not an int: NLMSG_OK compares it with the u32 nlmsg_len */
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			on_msg(nlh, arg);
	}
}

/* Does route message NLH go out through IFINDEX in the main table? */
static int route_uses(const struct nlmsghdr *nlh, int ifindex)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	int len = RTM_PAYLOAD(nlh);
	unsigned table = rtm->rtm_table;
	int oif = 0, via_nexthop = 0;

	if (rtm->rtm_family != AF_INET)
		return 0;
	for (struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_TABLE && RTA_PAYLOAD(a) >= 4)
			table = *(unsigned *)RTA_DATA(a);
		else if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= 4)
			oif = *(int *)RTA_DATA(a);
		else if (a->rta_type == RTA_MULTIPATH) {
			struct rtnexthop *nh = RTA_DATA(a);
			int left = RTA_PAYLOAD(a);

			while (RTNH_OK(nh, left)) {
				if (nh->rtnh_ifindex == ifindex)
					via_nexthop = 1;
				left -= NLMSG_ALIGN(nh->rtnh_len);
				nh = RTNH_NEXT(nh);
			}
		}
	}
	return table == RT_TABLE_MAIN && (oif == ifindex || via_nexthop);
}

int rtnl_ipv4_route_via(int ifindex)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = (unsigned)time(NULL),
		},
		.rtm = { .rtm_family = AF_INET },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd = rtnl_socket(0, 0), found = 0, ret = 0;

	if (fd < 0)
		return fd;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		ret = err_fail(errno, "netlink route dump: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = err_fail(errno, "netlink route dump: %s", strerror(errno));
			goto out;
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != req.nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				goto out;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				ret = err_fail(-e->error, "netlink route dump: %s",
					       strerror(-e->error));
				goto out;
			}
			if (nlh->nlmsg_type == RTM_NEWROUTE && route_uses(nlh, ifindex))
				found = 1;
		}
	}
out:
	close(fd);
	return ret ? ret : found;
}
