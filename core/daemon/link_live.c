/* link_live.c - one interface's live facts over rtnetlink (see link_live.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "err.h"
#include "link_live.h"

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_live *o = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	o->index = ifi->ifi_index;
	o->flags = ifi->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		size_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case IFLA_MTU:
			if (len >= 4)
				o->mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_MASTER:
			if (len >= 4)
				o->master = mnl_attr_get_u32(a);
			break;
		case IFLA_ADDRESS:
			if (len == 6) {
				memcpy(o->mac, mnl_attr_get_payload(a), 6);
				o->has_mac = true;
			}
			break;
		case IFLA_STATS64:
			/* an older kernel's struct is shorter: take what it has */
			memcpy(&o->stats, mnl_attr_get_payload(a),
			       len < sizeof(o->stats) ? len : sizeof(o->stats));
			o->has_stats = true;
			break;
		}
	}
	return MNL_CB_OK;
}

int link_live_get(struct nl *nl, const char *name, struct link_live *out)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETLINK, 0);
	int ret;

	memset(out, 0, sizeof(*out));
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	snprintf(what, sizeof(what), "cannot read link '%s'", name);
	ret = nl_talk(nl, nlh, link_cb, out, what);
	return ret == -ENODEV || ret == -ENOENT ? -ENODEV : ret;
}

struct addr_ctx {
	int ifindex;
	json_t *arr;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_ctx *c = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const void *addr = NULL;
	char text[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];
	struct nlattr *at;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != c->ifindex)
		return MNL_CB_OK;
	if (ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK)
		return MNL_CB_OK;
	mnl_attr_for_each(at, nlh, sizeof(*ifa)) {
		/* IFA_LOCAL is a point-to-point link's own end; else IFA_ADDRESS */
		if (mnl_attr_get_type(at) == IFA_LOCAL ||
		    (mnl_attr_get_type(at) == IFA_ADDRESS && !addr))
			addr = mnl_attr_get_payload(at);
	}
	if (!addr || !inet_ntop(ifa->ifa_family, addr, a, sizeof(a)))
		return MNL_CB_OK;
	snprintf(text, sizeof(text), "%s/%u", a, ifa->ifa_prefixlen);
	json_array_append_new(c->arr, json_string(text));
	return MNL_CB_OK;
}

int link_live_addrs(struct nl *nl, int ifindex, json_t *arr)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETADDR, 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct addr_ctx c = { ifindex, arr };

	ifa->ifa_family = AF_UNSPEC;
	ifa->ifa_index = ifindex;
	return nl_dump(nl, nlh, addr_cb, &c, "cannot list addresses");
}
