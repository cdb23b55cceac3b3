/* link.c - RTM_NEWLINK/DELLINK/GETLINK/SETLINK and the table of link kinds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "err.h"
#include "link.h"

extern const struct link_kind link_veth, link_vlan, link_macvlan, link_macvtap,
	link_ipvlan, link_ipvtap, link_dummy, link_vxlan, link_geneve, link_bridge;

/* Link types first, in upstream's schema order, then tunnels, then ours:
 * messages list the kinds in this order. */
const struct link_kind *const link_kinds[] = {
	&link_veth, &link_dummy, &link_vlan, &link_ipvlan, &link_ipvtap,
	&link_macvlan, &link_macvtap, &link_geneve, &link_vxlan, &link_bridge, NULL,
};

static const char *const prop_names[LINK_P_COUNT] = {
	"bridge", "outer-dev", "mac", "mode", "vlanid", "forward", "vni", "remote",
};

const struct link_kind *link_kind_find(const char *kind)
{
	for (size_t i = 0; kind && link_kinds[i]; i++)
		if (!strcmp(link_kinds[i]->name, kind))
			return link_kinds[i];
	return NULL;
}

const char *link_prop_name(enum link_prop p)
{
	for (int i = 0; i < LINK_P_COUNT; i++)
		if (p == 1u << i)
			return prop_names[i];
	return NULL;
}

enum link_prop link_prop_find(const char *key)
{
	for (int i = 0; i < LINK_P_COUNT; i++)
		if (!strcmp(prop_names[i], key))
			return 1u << i;
	return 0;
}

const struct link_range *link_kind_range(const struct link_kind *k, enum link_prop p)
{
	if (!(k->takes & p))
		return NULL;
	return p == LINK_P_VLANID ? &k->vlanid : p == LINK_P_VNI ? &k->vni : NULL;
}

const struct link_mode *link_kind_mode(const struct link_kind *k, const char *name)
{
	for (const struct link_mode *m = k->modes; m && m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

const char *link_base_name(enum link_base base)
{
	return base == LINK_BASE_CONLINK ? "conlink" : base == LINK_BASE_HOST ? "host" : "local";
}

int link_parse_mac(const char *s, unsigned char mac[6])
{
	return mac_parse(s, mac);
}

/* The attributes both ends of a veth share with any link. */
static int put_common(struct nlmsghdr *nlh, const struct link_req *req)
{
	if (req->name && !mnl_attr_put_strz_check(nlh, NL_MSG_MAX, IFLA_IFNAME, req->name))
		return -EMSGSIZE;
	if (req->ns >= 0 && !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_NET_NS_FD, req->ns))
		return -EMSGSIZE;
	if (req->mtu > 0 && !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_MTU, req->mtu))
		return -EMSGSIZE;
	if (req->mac && !mnl_attr_put_check(nlh, NL_MSG_MAX, IFLA_ADDRESS, 6, req->mac))
		return -EMSGSIZE;
	if (req->master > 0 && !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_MASTER, req->master))
		return -EMSGSIZE;
	if (req->parent > 0 && !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_LINK, req->parent))
		return -EMSGSIZE;
	if (req->group && !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_GROUP, req->group))
		return -EMSGSIZE;
	return 0;
}

static void put_ifinfo(struct nlmsghdr *nlh, const struct link_req *req)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	/* addrgen_none: up only with the mode, in link_add's second message */
	if (req->up && !req->addrgen_none) {
		/* Up in the create message saves a SETLINK per end. */
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
}

/* Build the RTM_NEWLINK body for REQ into NLH (fresh header).
 * 0 or -EMSGSIZE. */
static int link_add_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	const struct link_kind *k = link_kind_find(req->kind);
	int ret;

	put_ifinfo(nlh, req);
	ret = put_common(nlh, req);
	if (ret < 0)
		return ret;
	struct nlattr *li = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_LINKINFO);

	if (!li || !mnl_attr_put_strz_check(nlh, NL_MSG_MAX, IFLA_INFO_KIND, req->kind))
		return -EMSGSIZE;
	if (k && k->fill) {
		ret = k->fill(nlh, req);
		if (ret < 0)
			return ret;
	}
	mnl_attr_nest_end(nlh, li);
	return 0;
}

/* Fill a veth peer: an ifinfomsg then attributes, inside VETH_INFO_PEER. */
int link_fill_peer(struct nlmsghdr *nlh, const struct link_req *peer)
{
	struct ifinfomsg *ifi;

	if (mnl_nlmsg_size(nlh->nlmsg_len) + sizeof(*ifi) > NL_MSG_MAX)
		return -EMSGSIZE;
	ifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(ifi, 0, sizeof(*ifi));
	if (peer->up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*ifi));
	return put_common(nlh, peer);
}

int link_add(struct nl *nl, const struct link_req *req)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	int ret = link_add_fill(nlh, req);

	if (ret < 0)
		return err_fail(-ret, "link %s: message too large", req->name);
	snprintf(what, sizeof(what), "cannot create %s link '%s'", req->kind, req->name);
	ret = nl_talk(nl, nlh, NULL, NULL, what);
	if (ret == -EOPNOTSUPP)
		return err_fail(EOPNOTSUPP, "kernel has no '%s' link type (Unknown device type)",
				req->kind);
	/* The kernel ignores IFLA_IFALIAS at creation (rtnl_create_link): set
	 * it once the link is ours, never in the same send (a create that
	 * fails on a name someone else has would leave our mark on theirs). */
	if (ret == 0 && req->alias && req->name && req->ns < 0) {
		struct ifinfomsg *ifi;

		nlh = nl_msg(buf, RTM_NEWLINK, 0);
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		mnl_attr_put_strz(nlh, IFLA_IFNAME, req->name);
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, req->alias);
		/* The kernel refuses IFLA_AF_SPEC in a create (EAFNOSUPPORT):
		 * the mode goes here, and the link comes up in this message,
		 * after the mode (do_setlink takes AF_SPEC before the flags),
		 * so it never makes the link-local address it would drop. */
		if (req->addrgen_none) {
			struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
			struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);

			mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
			mnl_attr_nest_end(nlh, in6);
			mnl_attr_nest_end(nlh, af);
			if (req->up) {
				ifi->ifi_flags = IFF_UP;
				ifi->ifi_change = IFF_UP;
			}
		}
		snprintf(what, sizeof(what), "cannot mark link '%s'", req->name);
		ret = nl_talk(nl, nlh, NULL, NULL, what);
		if (ret < 0) {
			char msg[128];

			snprintf(msg, sizeof(msg), "%s", err_msg());
			link_del(nl, req->name);
			ret = err_fail(-ret, "%s", msg);
		}
	}
	return ret;
}

int link_del(struct nl *nl, const char *name)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_DELLINK, 0);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	snprintf(what, sizeof(what), "cannot delete link '%s'", name);
	return nl_talk(nl, nlh, NULL, NULL, what);
}

int link_del_group(struct nl *nl, uint32_t group)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_DELLINK, 0);

	/* no index and no name: the kernel takes the group (rtnl_group_dellink) */
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_GROUP, group);
	snprintf(what, sizeof(what), "cannot delete interface group %u", group);
	return nl_talk(nl, nlh, NULL, NULL, what);
}

struct group_pick {
	uint32_t candidate;
	const char *alias;
	bool taken;
};

static int group_pick_cb(const struct link_info *li, void *data)
{
	struct group_pick *gp = data;

	if (li->group == gp->candidate && (!gp->alias || strcmp(li->alias, gp->alias)))
		gp->taken = true;
	return 0;
}

/* The k-th candidate of SEED, in 65536..0x7ffffffe (FNV-1a mixed). */
static uint32_t group_candidate(uint32_t seed, uint32_t k)
{
	uint32_t h = (seed ^ (k * 0x9e3779b9u)) * 16777619u;

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return 0x10000 + h % (0x7fffffffu - 0x10000);
}

int link_group_pick(struct nl *nl, uint32_t seed, const char *alias, uint32_t *group)
{
	/* Our one delete at exit takes the whole group: a group that holds
	 * an interface without our mark (another conlink's, the admin's)
	 * is not ours to take. */
	for (uint32_t k = 0; k < 64; k++) {
		struct group_pick gp = { group_candidate(seed, k), alias, false };
		int ret = link_dump(nl, group_pick_cb, &gp);

		if (ret < 0)
			return ret;
		if (!gp.taken) {
			*group = gp.candidate;
			return 0;
		}
	}
	return err_fail(EBUSY, "no free interface group");
}

static int linkinfo_kind_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(data, 16, "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int link_get_attr_cb(const struct nlattr *a, void *data)
{
	struct link_info *info = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
			snprintf(info->name, sizeof(info->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_IFALIAS:
		/* longer than we keep: not a mark of ours, and never read as one */
		if (mnl_attr_validate(a, MNL_TYPE_STRING) >= 0 &&
		    strlen(mnl_attr_get_str(a)) < sizeof(info->alias))
			snprintf(info->alias, sizeof(info->alias), "%s", mnl_attr_get_str(a));
		else
			snprintf(info->alias, sizeof(info->alias), "?");
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			info->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_GROUP:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			info->group = mnl_attr_get_u32(a);
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			info->master = mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_kind_cb, info->kind);
		break;
	}
	return MNL_CB_OK;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info *info = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	info->index = ifi->ifi_index;
	info->flags = ifi->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_get_attr_cb, info);
}

int link_get(struct nl *nl, const char *name, struct link_info *info)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETLINK, 0);

	memset(info, 0, sizeof(*info));
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	/* Skip the statistics: the reply stays small. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	snprintf(what, sizeof(what), "no interface '%s'", name);
	return nl_talk(nl, nlh, link_get_cb, info, what);
}

struct link_dump_ctx {
	link_dump_fn *fn;
	void *arg;
	int ret;
};

static int link_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_dump_ctx *d = data;
	struct link_info li;

	memset(&li, 0, sizeof(li));
	if (link_get_cb(nlh, &li) < 0 || d->ret)
		return MNL_CB_OK;
	d->ret = d->fn(&li, d->arg);
	return MNL_CB_OK;
}

int link_dump(struct nl *nl, link_dump_fn *fn, void *arg)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct link_dump_ctx d = { fn, arg, 0 };
	int ret;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = nl_dump(nl, nlh, link_dump_cb, &d, "cannot list interfaces");
	return ret < 0 ? ret : d.ret;
}

int link_set(struct nl *nl, const char *name, int mtu, const unsigned char *mac,
	     int master, bool up)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct link_req req = { .name = name, .ns = -1, .mtu = mtu, .mac = mac,
				.master = master, .up = up };

	put_ifinfo(nlh, &req);
	put_common(nlh, &req);
	snprintf(what, sizeof(what), "cannot set up link '%s'", name);
	return nl_talk(nl, nlh, NULL, NULL, what);
}

int link_set_updown(struct nl *nl, int ifindex, bool up)
{
	char buf[NL_MSG_MAX], what[64];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	snprintf(what, sizeof(what), "cannot set link #%d %s", ifindex, up ? "up" : "down");
	return nl_talk(nl, nlh, NULL, NULL, what);
}

void link_up_batch(struct nl_batch *b, int ifindex, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWLINK, NLM_F_ACK, what);

	if (!nlh)
		return;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
}

void link_alias_batch(struct nl_batch *b, int ifindex, bool up, const char *alias,
		      const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWLINK, NLM_F_ACK, what);

	if (!nlh)
		return;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (alias && !mnl_attr_put_strz_check(nlh, NL_MSG_MAX, IFLA_IFALIAS, alias))
		nl_batch_overflow(b);
}

void link_group_batch(struct nl_batch *b, int ifindex, uint32_t group, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWLINK, NLM_F_ACK, what);

	if (!nlh)
		return;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_GROUP, group);
}

void link_del_group_batch(struct nl_batch *b, uint32_t group, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_DELLINK, NLM_F_ACK, what);

	if (!nlh)
		return;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_GROUP, group);
}
