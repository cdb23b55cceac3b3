/* heal.c - the outer ends conlink made, watched over RTNLGRP_LINK in its
 * own namespace (see heal.h). Matched by ifindex, never by name: a link
 * undone and made again under the same name is another interface, and a
 * notification about the old one may still be queued. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "apply.h"
#include "err.h"
#include "events_log.h"
#include "heal.h"
#include "impair.h"
#include "link.h"
#include "link_live.h"
#include "log.h"
#include "loop.h"
#include "netns.h"
#include "nl.h"
#include "rtwatch.h"

struct watched {
	struct watched *next;
	void *link;
	const struct heal_ops *ops;	/* NULL: LINK is the state table's */
	int ifindex;
	int master;		/* the bridge's ifindex it must stay on, 0: none */
	char bridge[IFNAMSIZ];	/* its name, when master is set */
	unsigned int flags;	/* last seen */
	bool drifted;		/* reported set down by hand */
	bool detached;		/* reported off its bridge */
	char name[IFNAMSIZ];
};

static struct watched *watched;
static int mon_fd = -1, self_ns = -1;
static bool healing;
static struct nl qnl;	/* queries and repairs in conlink's namespace */
static bool qnl_ok;

static struct watched *find_index(int ifindex)
{
	for (struct watched *w = watched; w; w = w->next)
		if (w->ifindex == ifindex)
			return w;
	return NULL;
}

static void relink(const struct heal_ops *ops, void *link)
{
	if (ops)
		ops->relink(link);
	else
		state_heal_relink(link);
}

static void drift(const struct heal_ops *ops, void *link, const char *what)
{
	if (ops)
		ops->drift(link, what);
	else
		state_heal_drift(link, what);
}

void heal_watch(void *link, int ns, const char *name, const char *bridge)
{
	heal_watch_ops(link, NULL, ns, name, bridge);
}

void heal_watch_ops(void *link, const struct heal_ops *ops, int ns, const char *name,
		    const char *bridge)
{
	struct link_info li, br;
	struct watched *w;

	if (!qnl_ok || !netns_same(ns, self_ns) || link_get(&qnl, name, &li) < 0)
		return;
	w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->link = link;
	w->ops = ops;
	w->ifindex = li.index;
	w->flags = li.flags;
	/* only a linux bridge's port has a master to keep (patch, ovs: none) */
	if (bridge && *bridge && li.master && link_get(&qnl, bridge, &br) == 0 &&
	    br.index == li.master) {
		w->master = li.master;
		snprintf(w->bridge, sizeof(w->bridge), "%s", bridge);
	}
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->next = watched;
	watched = w;
}

void heal_unwatch(void *link)
{
	for (struct watched **pp = &watched; *pp; pp = &(*pp)->next)
		if ((*pp)->link == link) {
			struct watched *w = *pp;

			*pp = w->next;
			free(w);
			return;
		}
}

static void iface_event(const struct watched *w, const char *action, const char *what)
{
	events_emit("interface", action, w->name, NULL,
		    json_pack("{s:s}", what ? "what" : "carrier", what ? what : action));
}

static void on_deleted(struct watched *w)
{
	void *link = w->link;
	const struct heal_ops *ops = w->ops;

	iface_event(w, "deleted", "deleted");
	if (!healing) {
		log_warn("%s was deleted by hand (not restored: --no-heal)", w->name);
		heal_unwatch(link);
		drift(ops, link, "deleted");
		return;
	}
	log_info("%s was deleted by hand: restoring %s", w->name, ops ? "it" : "its link");
	relink(ops, link);	/* unwatches W, watches the new one */
}

static void on_master(struct watched *w, int master);

/* W's bridge is no longer the one it was on. */
static bool bridge_gone(const struct watched *w)
{
	struct link_info br;

	return w->master && (link_get(&qnl, w->bridge, &br) < 0 || br.index != w->master);
}

/* Our linux bridge NAME at GONE (ifindex) was deleted by hand: made again,
 * each port that was on it put back (the container's end stays as it is),
 * and each link that had more on it (a forward's route) made again. True
 * when the bridge was made again. */
static bool on_bridge_deleted(const char *name, int gone)
{
	struct watched *w;
	int ret;

	events_emit("interface", "deleted", name, NULL, json_pack("{s:s}", "what", "bridge"));
	if (!healing) {
		log_warn("bridge %s was deleted by hand (not restored: --no-heal)", name);
		/* its ports, as their notifications would have (a resync comes
		 * here first), and once: the bridge stays gone */
		for (w = watched; w; w = w->next)
			if (w->master == gone) {
				if (!w->detached)
					on_master(w, 0);
				w->master = 0;
			}
		return false;
	}
	log_info("bridge %s was deleted by hand: making it again, with its ports", name);
	ret = bridge_remake(name, self_ns);
	if (ret < 0) {
		log_error("bridge %s cannot be made again: %s", name, err_msg());
		return false;
	}
	events_emit("interface", "restored", name, NULL, json_pack("{s:s}", "what", "bridge"));
	for (w = watched; w; w = w->next)
		if (w->master == gone && !w->ops && !state_heal_needs_bridge(w->link)) {
			w->master = ret;
			on_master(w, 0);
		}
again:
	for (w = watched; w; w = w->next)
		if (w->master == gone) {
			w->master = 0;	/* once, also if W stays watched */
			relink(w->ops, w->link);	/* unwatches W */
			goto again;
		}
	return true;
}

/* An RTM_DELLINK for no interface watched: one of our bridges? */
static void on_other_deleted(const struct nlmsghdr *nlh, const struct ifinfomsg *ifi)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(a) == IFLA_IFNAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			const char *name = mnl_attr_get_str(a);

			if (bridge_linux_at(name, ifi->ifi_index))
				on_bridge_deleted(name, ifi->ifi_index);
			return;
		}
}

static void on_master(struct watched *w, int master)
{
	int ret;

	/* one event per detachment (each port change sends a few messages) */
	if (!w->detached)
		iface_event(w, "detached", "detached");
	w->detached = true;
	/* the bridge itself went (its ports are let go first): its own
	 * RTM_DELLINK follows, and on_bridge_deleted restores it and them */
	if (healing && bridge_gone(w)) {
		log_verbose("%s left its bridge %s, which is gone", w->name, w->bridge);
		return;
	}
	if (!healing) {
		log_warn("%s left its bridge (not restored: --no-heal)", w->name);
		drift(w->ops, w->link, "detached");
		return;
	}
	if (w->ops) {
		log_info("%s left its bridge: made again", w->name);
		relink(w->ops, w->link);	/* unwatches W */
		return;
	}
	ret = link_set(&qnl, w->name, 0, NULL, w->master, false);
	if (ret == -ENODEV)
		return;		/* the port itself is gone: on_deleted makes it again */
	if (ret < 0) {
		log_warn("%s left its bridge and cannot be put back: %s", w->name, err_msg());
		state_heal_drift(w->link, "detached");
		return;
	}
	w->detached = false;
	log_info("%s left its bridge: put back", w->name);
	events_emit("interface", "restored", w->name, NULL, json_pack("{s:s}", "what", "reattached"));
	state_heal_drift(w->link, NULL);
	state_heal_counted(w->link);
}

static void on_flags(struct watched *w, unsigned int flags)
{
	unsigned int was = w->flags;

	w->flags = flags;
	/* down on purpose (ctl link ... down, impair.c): not drift */
	if ((was & IFF_UP) && !(flags & IFF_UP) && !w->ops && impair_down_on_purpose(w->link)) {
		log_verbose("%s set down on purpose", w->name);
	} else if ((was & IFF_UP) && !(flags & IFF_UP)) {
		log_warn("%s was set down by hand: drift, left as it is", w->name);
		iface_event(w, "drifted", "down");
		drift(w->ops, w->link, "down");
		w->drifted = true;
	} else if (!(was & IFF_UP) && (flags & IFF_UP) && w->drifted) {
		iface_event(w, "recovered", "up");
		drift(w->ops, w->link, NULL);
		w->drifted = false;
	}
	if ((was ^ flags) & IFF_LOWER_UP)
		iface_event(w, flags & IFF_LOWER_UP ? "carrier-up" : "carrier-down", NULL);
}

static void on_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct watched *w;
	struct link_info li;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return;
	if (!(w = find_index(ifi->ifi_index))) {
		if (nlh->nlmsg_type == RTM_DELLINK && ifi->ifi_family != AF_BRIDGE)
			on_other_deleted(nlh, ifi);
		return;
	}
	/* a port leaving its bridge also sends RTM_DELLINK, of family
	 * AF_BRIDGE (the bridge's port entry goes, not the interface) */
	if (nlh->nlmsg_type == RTM_DELLINK && ifi->ifi_family != AF_BRIDGE) {
		on_deleted(w);
		return;
	}
	/* the message only says "look": a queued one may be older than what
	 * heal_watch saw (the link's own making), so ask for now */
	if (link_get(&qnl, w->name, &li) < 0 || li.index != w->ifindex)
		return;		/* gone or renamed: its DELLINK follows */
	on_flags(w, li.flags);
	if (w->master && li.master != w->master)
		on_master(w, li.master);
}

/* Notifications were lost (the socket overran): look at each again. */
static void resync(void)
{
	struct watched *w, *next;
	struct link_info li;

	/* a bridge gone first: its ports are made again with it (--no-heal:
	 * reported as its RTM_DELLINK would have been) */
bridges:
	for (w = watched; w; w = w->next)
		if (bridge_gone(w) && bridge_linux_at(w->bridge, w->master)) {
			char name[IFNAMSIZ];

			snprintf(name, sizeof(name), "%s", w->bridge);
			/* the list or its masters changed: start over (--no-heal
			 * clears them: W is not seen again) */
			if (on_bridge_deleted(name, w->master) || !healing)
				goto bridges;
		}
	for (w = watched; w; w = next) {
		next = w->next;
		if (link_get(&qnl, w->name, &li) < 0 || li.index != w->ifindex) {
			on_deleted(w);
			next = watched;	/* the list changed: start over */
			continue;
		}
		on_flags(w, li.flags);
		if (w->master && li.master != w->master)
			on_master(w, li.master);
	}
}

static void on_lost(void *arg)
{
	log_warn("interface monitor: notifications lost (its socket overran): "
		 "looking at each interface again");
	resync();
}

static void on_readable(int fd, uint32_t events, void *arg)
{
	rtwatch_read(fd, on_msg, on_lost, NULL);
}

int heal_start(int ns, bool heal)
{
	int ret;

	self_ns = ns;
	healing = heal;
	if ((ret = nl_open(&qnl, NETLINK_ROUTE, ns)) < 0)
		return ret;
	qnl_ok = true;
	/* the daemon runs in conlink's namespace: the monitor is made there */
	mon_fd = rtwatch_open(RTMGRP_LINK);
	if (mon_fd < 0)
		return mon_fd;
	return loop_add_fd(mon_fd, EPOLLIN, on_readable, NULL);
}

void heal_stop(void)
{
	while (watched) {
		struct watched *w = watched;

		watched = w->next;
		free(w);
	}
	if (mon_fd >= 0) {
		loop_del_fd(mon_fd);
		close(mon_fd);
	}
	mon_fd = -1;
	if (qnl_ok)
		nl_close(&qnl);
	qnl_ok = false;
}
