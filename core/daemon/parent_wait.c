/* parent_wait.c - the parent interfaces links wait for, watched while
 * one waits (see parent_wait.h). A notification wakes a link only on a
 * change the link waits for (its parent's ifindex new, or IFF_UP newly
 * set): a failed attempt itself makes the parent send RTM_NEWLINK (an
 * upper device registered and let go), which must not wake it again. */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "link.h"
#include "log.h"
#include "loop.h"
#include "netns.h"
#include "nl.h"
#include "parent_wait.h"
#include "rtwatch.h"

struct waiter {
	struct waiter *next;
	void *link;
	char name[IFNAMSIZ];
	int index;		/* the parent's ifindex last seen, 0: none */
	bool up;		/* IFF_UP last seen */
};

static struct waiter *waiters;
static int mon_fd = -1, mon_ns = -1;

/* A notification about interface NAME at INDEX: DELETED, or now with
 * FLAGS. */
static void on_parent(const char *name, int index, bool deleted, unsigned int flags)
{
	bool up = !deleted && (flags & IFF_UP);

	for (struct waiter *w = waiters; w; w = w->next) {
		bool wake;

		if (strcmp(w->name, name))
			continue;
		if (deleted) {
			if (w->index == index)
				w->index = 0, w->up = false;
			continue;
		}
		wake = index != w->index || (up && !w->up);
		w->index = index;
		w->up = up;
		if (wake) {
			log_verbose("parent %s %s: trying its link now", name,
				    up ? "is up" : "appeared");
			state_parent_ready(w->link);
		}
	}
}

static void on_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
	    ifi->ifi_family == AF_BRIDGE)
		return;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFNAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			on_parent(mnl_attr_get_str(a), ifi->ifi_index,
				  nlh->nlmsg_type == RTM_DELLINK, ifi->ifi_flags);
			return;
		}
}

static void on_lost(void *arg)
{
	/* changes lost: every waiting link tries once more */
	for (struct waiter *w = waiters; w; w = w->next)
		state_parent_ready(w->link);
}

static void on_readable(int fd, uint32_t events, void *arg)
{
	rtwatch_read(fd, on_msg, on_lost, NULL);
}

static void mon_close(void)
{
	if (mon_fd < 0)
		return;
	loop_del_fd(mon_fd);
	close(mon_fd);
	mon_fd = -1;
	netns_release(mon_ns);
	mon_ns = -1;
}

/* The monitor in NS, opened when none is. 0, or -1: none there. */
static int mon_open(int ns)
{
	int saved, fd;

	if (mon_fd >= 0)
		return netns_same(ns, mon_ns) ? 0 : -1;
	if (netns_enter(ns, &saved) < 0)
		return -1;
	fd = rtwatch_open(RTMGRP_LINK);
	netns_leave(saved);
	if (fd < 0)
		return -1;
	if (loop_add_fd(fd, EPOLLIN, on_readable, NULL) < 0) {
		close(fd);
		return -1;
	}
	mon_fd = fd;
	mon_ns = netns_hold(ns);
	return 0;
}

void parent_wait(void *link, int ns, const char *name, int err)
{
	struct link_info li = { 0 };
	struct waiter *w;
	struct nl nl;

	for (w = waiters; w; w = w->next)
		if (w->link == link)
			return;
	if (mon_open(ns) < 0) {
		log_verbose("parent %s not watched: its link is retried on its timer only", name);
		if (!waiters)
			mon_close();
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		if (!waiters)
			mon_close();
		return;
	}
	w->link = link;
	snprintf(w->name, sizeof(w->name), "%s", name);
	/* as it is now, after the monitor opened: a change from here on is
	 * notified; one between the failure and now wakes the link at once */
	if (nl_open(&nl, NETLINK_ROUTE, ns) == 0) {
		if (link_get(&nl, name, &li) == 0) {
			w->index = li.index;
			w->up = li.flags & IFF_UP;
		}
		nl_close(&nl);
	}
	w->next = waiters;
	waiters = w;
	if ((err == ENODEV && w->index) || (err == ENETDOWN && w->up))
		state_parent_ready(link);
}

void parent_unwait(void *link)
{
	for (struct waiter **pp = &waiters; *pp; pp = &(*pp)->next)
		if ((*pp)->link == link) {
			struct waiter *w = *pp;

			*pp = w->next;
			free(w);
			break;
		}
	if (!waiters)
		mon_close();
}
