/* ns_sockets.c - the netlink sockets of the long-lived namespaces
 * (conlink's own, the host's), the interface group of what we make in
 * each, and turning on forwarding on an interface there.
 *
 * A container's socket is never cached: it would keep the namespace alive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link.h"
#include "apply.h"
#include "apply_priv.h"
#include "netns.h"
#include "owner.h"

static struct ns_sock {
	int ns;			/* held fd, -1: current namespace */
	struct nl nl;
	uint32_t group;		/* interface group of what we make there, 0: none */
} socks[8];
static int nsocks;

static struct ns_sock *nsock_find(int ns)
{
	int i, ret;

	for (i = 0; i < nsocks; i++)
		if (ns < 0 ? socks[i].ns < 0 : netns_same(socks[i].ns, ns))
			return &socks[i];
	if (nsocks == (int)(sizeof(socks) / sizeof(socks[0]))) {
		errno = EMFILE;
		err_fail(EMFILE, "too many namespaces");
		return NULL;
	}
	ret = nl_open(&socks[nsocks].nl, NETLINK_ROUTE, ns);
	if (ret < 0) {
		errno = -ret;
		return NULL;
	}
	/* The instance's group (owner.c), so a next life finds it too.
	 * Without a group (the dump failed) exit falls back to deleting
	 * interfaces one by one: slower, still right. */
	if (link_group_pick(&socks[nsocks].nl, owner_group_seed(), owner_alias(),
			    &socks[nsocks].group) < 0)
		socks[nsocks].group = 0;
	socks[nsocks].ns = netns_hold(ns);
	return &socks[nsocks++];
}

struct nl *nsock_nl(int ns)
{
	struct ns_sock *s = nsock_find(ns);

	return s ? &s->nl : NULL;
}

uint32_t nsock_group(int ns)
{
	struct ns_sock *s = nsock_find(ns);

	return s ? s->group : 0;
}

void nsock_exit(void)
{
	for (int i = 0; i < nsocks; i++)
		if (socks[i].group)
			link_del_group(&socks[i].nl, socks[i].group);
}

/* Forwarding is an IFLA_AF_SPEC inet conf attribute of the interface. */
void nsock_forwarding(struct nl *nl, const char *name)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in = mnl_attr_nest_start(nlh, AF_INET);
	struct nlattr *conf = mnl_attr_nest_start(nlh, IFLA_INET_CONF);

	mnl_attr_put_u32(nlh, IPV4_DEVCONF_FORWARDING, 1);
	mnl_attr_nest_end(nlh, conf);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, af);
	nl_talk(nl, nlh, NULL, NULL, "cannot turn on forwarding");
}
