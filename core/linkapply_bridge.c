/* linkapply_bridge.c - bridges (linux, patch, ovs), tunnels, and the
 * sockets of the long-lived namespaces they live in. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link.h"
#include "linkapply.h"
#include "linkapply_priv.h"
#include "netem.h"
#include "netns.h"
#include "ovs.h"
#include "tc.h"

/* ---- sockets of long-lived namespaces (a container's is never cached:
 * the socket would keep its namespace alive) ---- */

static struct ns_sock {
	int ns;			/* held fd, -1: current namespace */
	struct nl nl;
	uint32_t group;		/* interface group of what we make there, 0: none */
} socks[8];
static int nsocks;

static struct ns_sock *la_sock(int ns)
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
	/* Without a group (the dump failed) exit falls back to deleting
	 * interfaces one by one: slower, still right. */
	if (link_group_pick(&socks[nsocks].nl, &socks[nsocks].group) < 0)
		socks[nsocks].group = 0;
	socks[nsocks].ns = netns_hold(ns);
	return &socks[nsocks++];
}

struct nl *la_nl(int ns)
{
	struct ns_sock *s = la_sock(ns);

	return s ? &s->nl : NULL;
}

uint32_t la_group(int ns)
{
	struct ns_sock *s = la_sock(ns);

	return s ? s->group : 0;
}

void linkapply_exit(void)
{
	for (int i = 0; i < nsocks; i++)
		if (socks[i].group)
			link_del_group(&socks[i].nl, socks[i].group);
}

/* ---- bridge registry ---- */

struct bridge {
	char name[IFNAMSIZ];
	char mode[8];
	int ifindex;
	/* patch: the two peers (outer devs) and their namespace */
	char peer[2][IFNAMSIZ];
	int peer_ns[2];
	bool linked;
	struct bridge *next;
};
static struct bridge *bridges;

static struct bridge *bridge_find(const char *name)
{
	for (struct bridge *b = bridges; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

const char *bridge_mode(const char *name)
{
	struct bridge *b = bridge_find(name);

	return b ? b->mode : NULL;
}

int bridge_index(struct nl *nl, const char *name)
{
	struct bridge *b = bridge_find(name);
	struct link_info li;
	int ret;

	if (b && b->ifindex > 0)
		return b->ifindex;
	ret = link_get(nl, name, &li);
	if (ret < 0)
		return err_fail(-ret, "no bridge '%s'", name);
	return li.index;
}

static void bridge_forget(const char *name)
{
	for (struct bridge **pb = &bridges; *pb; pb = &(*pb)->next)
		if (!strcmp((*pb)->name, name)) {
			struct bridge *b = *pb;

			*pb = b->next;
			free(b);
			return;
		}
}

static void undo_bridge(const struct undo_step *s)
{
	struct nl *nl = la_nl(s->ns);

	if (!strcmp(s->b, "linux") && nl)
		link_del(nl, s->a);
	else if (!strcmp(s->b, "ovs"))
		ovs_bridge_del(s->a);
	bridge_forget(s->a);
}

int bridge_up(const json_t *cfg, int ns, struct undo **undo)
{
	const char *name = json_string_value(json_object_get(cfg, "bridge"));
	const char *mode = json_string_value(json_object_get(cfg, "mode"));
	struct nl *nl = la_nl(ns);
	struct link_info li;
	struct bridge *b;
	int ret;

	*undo = NULL;
	if (!name || strlen(name) >= IFNAMSIZ)
		return err_fail(EINVAL, "bridge needs a 'bridge' name of at most 15 characters");
	if (!mode)
		mode = "linux";
	if (!nl)
		return -errno;
	if (bridge_find(name))
		return err_fail(EEXIST, "bridge %s is already made", name);
	if (strcmp(mode, "linux") && strcmp(mode, "patch") && strcmp(mode, "ovs"))
		return err_fail(EINVAL, "bridge %s: unknown mode '%s'", name, mode);
	if (strcmp(mode, "patch") && link_get(nl, name, &li) == 0)
		return err_fail(EEXIST, "Bridge %s already exists", name);
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->mode, sizeof(b->mode), "%s", mode);
	if (!strcmp(mode, "linux")) {
		struct link_req req = { .name = name, .kind = "bridge", .ns = -1, .up = true,
					.group = la_group(ns) };

		ret = link_add(nl, &req);
		if (ret == 0 && (ret = link_get(nl, name, &li)) == 0)
			b->ifindex = li.index;
	} else if (!strcmp(mode, "ovs")) {
		ret = ovs_ready();
		if (ret == 0)
			ret = ovs_bridge_add(name);
		if (ret == 0)
			ret = link_set(nl, name, 0, NULL, 0, true);
	} else {
		ret = 0;
	}
	if (ret < 0) {
		if (!strcmp(mode, "ovs") && ret != -ENOENT)
			ovs_bridge_del(name);
		free(b);
		return err_wrap(ret, "bridge %s", name);
	}
	b->next = bridges;
	bridges = b;
	undo_push(undo, undo_bridge, ns, name, mode, 0);
	return 0;
}

/* ---- patch: two links joined by tc mirred ---- */

static int patch_link(struct bridge *b)
{
	struct nl *nl = la_nl(b->peer_ns[0]);
	struct link_info l0, l1;
	struct nl_batch batch;
	int ret;

	if (!nl)
		return -errno;
	if ((ret = link_get(nl, b->peer[0], &l0)) < 0 ||
	    (ret = link_get(nl, b->peer[1], &l1)) < 0)
		return ret;
	nl_batch_init(&batch);
	tc_ingress_batch(&batch, l0.index, "cannot add ingress qdisc");
	tc_ingress_batch(&batch, l1.index, "cannot add ingress qdisc");
	tc_mirred_batch(&batch, l0.index, l1.index, "cannot add mirred filter");
	tc_mirred_batch(&batch, l1.index, l0.index, "cannot add mirred filter");
	ret = nl_batch_run(nl, &batch);
	if (ret < 0) {
		nl_batch_init(&batch);
		tc_ingress_del_batch(&batch, l0.index, "");
		tc_ingress_del_batch(&batch, l1.index, "");
		nl_batch_run(nl, &batch);
		return ret;
	}
	b->linked = true;
	return 0;
}

int patch_add(const char *name, int ns, const char *dev)
{
	struct bridge *b = bridge_find(name);
	int i;

	if (!b)
		return err_fail(ENOENT, "no patch bridge '%s'", name);
	if (b->peer[0][0] && b->peer[1][0])
		return err_fail(EBUSY, "cannot add third peer link %s to patch bridge %s "
				"(already %s and %s)", dev, name, b->peer[0], b->peer[1]);
	i = b->peer[0][0] ? 1 : 0;
	snprintf(b->peer[i], IFNAMSIZ, "%s", dev);
	b->peer_ns[i] = netns_hold(ns);
	if (!b->peer[!i][0])
		return 0;
	int ret = patch_link(b);

	if (ret < 0) {
		b->peer[i][0] = 0;
		netns_release(b->peer_ns[i]);
	}
	return ret;
}

void patch_undo(const struct undo_step *s)
{
	struct bridge *b = bridge_find(s->b);
	int i;

	if (!b)
		return;
	for (i = 0; i < 2 && strcmp(b->peer[i], s->a); i++)
		;
	if (i == 2)
		return;
	if (b->linked) {
		/* the peer that stays keeps no filter toward a dead end */
		struct nl *nl = la_nl(b->peer_ns[!i]);
		struct link_info li;
		struct nl_batch batch;

		if (nl && link_get(nl, b->peer[!i], &li) == 0) {
			nl_batch_init(&batch);
			tc_ingress_del_batch(&batch, li.index, "");
			nl_batch_run(nl, &batch);
		}
		if (nl && link_get(nl, b->peer[i], &li) == 0) {
			nl_batch_init(&batch);
			tc_ingress_del_batch(&batch, li.index, "");
			nl_batch_run(nl, &batch);
		}
		b->linked = false;
	}
	b->peer[i][0] = 0;
	netns_release(b->peer_ns[i]);
}

/* ---- forwarding on an interface (IFLA_AF_SPEC inet conf) ---- */

void la_forwarding(struct nl *nl, const char *name)
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

/* ---- tunnels ---- */

static void undo_tunnel(const struct undo_step *s)
{
	struct nl *nl = la_nl(s->ns);

	if (nl)
		link_del(nl, s->a);
}

int tunnel_up(const json_t *t, int ns, struct undo **undo)
{
	const char *type = json_string_value(json_object_get(t, "type"));
	const json_t *br = json_object_get(t, "bridge");
	const char *bridge = json_is_object(br) ? json_string_value(json_object_get(br, "bridge"))
						: json_string_value(br);
	const struct link_kind *k = type ? link_kind_find(type) : NULL;
	struct nl *nl = la_nl(ns);
	struct netem_opts netem;
	const json_t *nv = json_object_get(t, "netem");
	char name[IFNAMSIZ + 8];
	int ret, master = 0;

	*undo = NULL;
	if (!k || (k != &link_vxlan && k != &link_geneve))
		return err_fail(EINVAL, "tunnel: 'type' must be geneve or vxlan");
	if ((ret = k->check(t)) < 0)
		return err_wrap(ret, "%s tunnel", type);
	snprintf(name, sizeof(name), "%s-%ld", type, link_opt_int(t, "vni", 0));
	if (strlen(name) >= IFNAMSIZ)
		return err_fail(EINVAL, "tunnel name %s is too long", name);
	if (nv && !json_is_null(nv)) {
		if (!json_is_string(nv))
			return err_fail(EINVAL, "%s: 'netem' must be a string", name);
		if ((ret = netem_parse(json_string_value(nv), &netem)) < 0)
			return err_wrap(ret, "%s", name);
	}
	if (!nl)
		return -errno;
	const char *mode = bridge ? bridge_mode(bridge) : NULL;

	if (bridge && mode && !strcmp(mode, "linux") &&
	    (master = bridge_index(nl, bridge)) < 0)
		return err_wrap(master, "%s", name);
	struct link_req req = { .name = name, .kind = type, .opts = t, .ns = -1,
				.master = master, .up = true, .group = la_group(ns) };

	ret = link_add(nl, &req);
	if (ret < 0)
		return err_wrap(ret, "%s", name);
	undo_push(undo, undo_tunnel, ns, name, NULL, 0);
	if (mode && !strcmp(mode, "ovs"))
		ret = ovs_port_add(bridge, name);
	else if (mode && !strcmp(mode, "patch") && (ret = patch_add(bridge, ns, name)) == 0)
		undo_push(undo, patch_undo, ns, name, bridge, 0);
	if (ret == 0 && nv && !json_is_null(nv)) {
		struct link_info li;
		struct nl_batch b;

		if ((ret = link_get(nl, name, &li)) == 0) {
			nl_batch_init(&b);
			ret = netem_batch(&b, li.index, &netem, "cannot add netem qdisc");
			if (ret == 0)
				ret = nl_batch_run(nl, &b);
			else
				nl_batch_free(&b);
		}
	}
	if (ret < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", err_msg());
		undo_run(*undo);
		*undo = NULL;
		return err_fail(-ret, "%s: %s", name, msg);
	}
	return 0;
}
