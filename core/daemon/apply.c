/* apply.c - one instantiated link from config to kernel state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "err.h"
#include "ethtool.h"
#include "ifname.h"
#include "link.h"
#include "apply.h"
#include "apply_priv.h"
#include "nat.h"
#include "netem.h"
#include "netcfg.h"
#include "netns.h"
#include "nl.h"
#include "ovs.h"
#include "owner.h"
#include "route.h"
#include "sysctl_ns.h"
#include "undo.h"

#define MAX_LIST NETCFG_LIST_MAX

/* A link's config, parsed and checked before anything is made. */
struct plan {
	const struct link_kind *kind;
	struct link_req opts;		/* the kind's options, typed */
	const char *dev, *outer_dev, *bridge, *mode;
	int mtu;
	bool has_mac;
	unsigned char mac[6];
	struct ipaddr ip[MAX_LIST];
	int nip;
	struct route_spec route[MAX_LIST];
	int nroute;
	const char *ethtool[MAX_LIST];
	int nethtool;
	bool has_netem;
	struct netem_opts netem;
	bool has_nat;
	struct ipaddr nat;
	struct nat_forward fwd[MAX_LIST];
	int nfwd;
};

/* Strings of a string-or-list property. -1 when not strings or too many. */
static int str_list(const json_t *v, const char **out, int max)
{
	size_t i;
	json_t *e;
	int n = 0;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		out[0] = json_string_value(v);
		return 1;
	}
	if (!json_is_array(v) || json_array_size(v) > (size_t)max)
		return -1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return -1;
		out[n++] = json_string_value(e);
	}
	return n;
}

/* The netem strings: upstream passes each as more options. */
static int plan_netem(const json_t *v, struct netem_opts *o)
{
	const char *parts[MAX_LIST];
	int n = str_list(v, parts, MAX_LIST);

	if (n < 0)
		return err_fail(EINVAL, "'netem' must be a string or a list of strings");
	if (netem_parse_list(parts, n, o) < 0)
		return err_wrap(-EINVAL, "netem '%s%s'", n ? parts[0] : "", n > 1 ? " ..." : "");
	return 0;
}

/* One enriched forward: [port_a, port_b, "proto"] (forward.h's grammar,
 * parsed by the loader), the external port offset by the replica index. */
static int plan_forward(const json_t *f, struct nat_forward *fw)
{
	long a = json_integer_value(json_array_get(f, 0));
	long b = json_integer_value(json_array_get(f, 1));
	const char *proto = json_string_value(json_array_get(f, 2));
	int p = proto ? forward_proto(proto) : -1;

	if (a < 1 || a > 65535 || b < 1 || b > 65535 || p < 0)
		return err_fail(ERANGE, "'forward' %ld:%ld/%s: ports must be 1..65535", a, b,
				proto ? proto : "?");
	fw->port_a = a;
	fw->port_b = b;
	fw->proto = p;
	return 0;
}

int link_req_opts(const struct link_kind *k, const json_t *cfg, struct link_req *req)
{
	const char *mode = json_string_value(json_object_get(cfg, "mode"));
	const char *remote = json_string_value(json_object_get(cfg, "remote"));

	if ((k->takes & LINK_P_MODE) && mode && !(req->mode = link_kind_mode(k, mode)))
		return err_fail(EINVAL, "%s link: unknown mode '%s'", k->name, mode);
	if (k->takes & LINK_P_VLANID)
		req->vlanid = json_integer_value(json_object_get(cfg, "vlanid"));
	if (k->takes & LINK_P_VNI)
		req->vni = json_integer_value(json_object_get(cfg, "vni"));
	if ((k->takes & LINK_P_REMOTE) && remote && addr_parse(remote, &req->remote) < 0)
		return err_fail(EINVAL, "'remote' %s is not an IP address", remote);
	return 0;
}

static int plan_make(const json_t *link, struct plan *p)
{
	const char *ips[MAX_LIST], *routes[MAX_LIST], *type;
	const json_t *v, *br;
	int n, ret;

	memset(p, 0, sizeof(*p));
	type = json_string_value(json_object_get(link, "type"));
	p->kind = link_kind_find(type);
	if (!p->kind || p->kind->role != LINK_ROLE_LINK)
		return err_fail(EINVAL, "unknown link type '%s'", type ? type : "");
	p->dev = json_string_value(json_object_get(link, "dev"));
	p->outer_dev = json_string_value(json_object_get(link, "outer-dev"));
	br = json_object_get(link, "bridge");	/* enrich's {"bridge", "mode"} */
	p->bridge = json_string_value(json_object_get(br, "bridge"));
	p->mode = json_string_value(json_object_get(br, "mode"));
	if ((ret = link_req_opts(p->kind, link, &p->opts)) < 0)
		return ret;
	if (ifname_check(p->dev) < 0)
		return err_wrap(-EINVAL, "'dev' %s", p->dev);
	if (p->kind->base != LINK_BASE_LOCAL && !p->outer_dev)
		return err_fail(EINVAL, "%s link needs an 'outer-dev'", type);
	if (p->outer_dev && ifname_check(p->outer_dev) < 0)
		return err_wrap(-EINVAL, "'outer-dev' %s", p->outer_dev);
	p->mtu = json_integer_value(json_object_get(link, "mtu"));
	v = json_object_get(link, "mac");
	if (json_is_string(v) && (p->kind->takes & LINK_P_MAC)) {
		if ((ret = link_parse_mac(json_string_value(v), p->mac)) < 0)
			return ret;
		p->has_mac = true;
	}
	if ((n = str_list(json_object_get(link, "ip"), ips, MAX_LIST)) < 0)
		return err_fail(EINVAL, "'ip' must be a string or a list of strings");
	for (p->nip = 0; p->nip < n; p->nip++)
		if ((ret = addr_parse(ips[p->nip], &p->ip[p->nip])) < 0)
			return ret;
	if ((n = str_list(json_object_get(link, "route"), routes, MAX_LIST)) < 0)
		return err_fail(EINVAL, "'route' must be a string or a list of strings");
	for (p->nroute = 0; p->nroute < n; p->nroute++)
		if ((ret = route_parse(routes[p->nroute], &p->route[p->nroute])) < 0)
			return err_wrap(ret, "route '%s'", routes[p->nroute]);
	p->nethtool = str_list(json_object_get(link, "ethtool"), p->ethtool, MAX_LIST);
	if (p->nethtool < 0)
		return err_fail(EINVAL, "'ethtool' must be a string or a list of strings");
	for (int i = 0; i < p->nethtool; i++)
		if ((ret = ethtool_check(p->ethtool[i])) < 0)
			return err_wrap(ret, "ethtool '%s'", p->ethtool[i]);
	v = json_object_get(link, "netem");
	if (v && !json_is_null(v)) {
		if ((ret = plan_netem(v, &p->netem)) < 0)
			return ret;
		p->has_netem = true;
	}
	v = json_object_get(link, "nat");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || addr_parse(json_string_value(v), &p->nat) < 0)
			return err_fail(EINVAL, "'nat' must be an IP address");
		if (!p->nip || p->ip[0].family != p->nat.family)
			return err_fail(EINVAL, "'nat' needs an 'ip' of its family");
		p->has_nat = true;
	}
	v = json_object_get(link, "forward");
	if (json_is_array(v)) {
		size_t i;
		json_t *f;

		if (json_array_size(v) > MAX_LIST)
			return err_fail(EINVAL, "too many 'forward' entries");
		json_array_foreach(v, i, f)
			if ((ret = plan_forward(f, &p->fwd[p->nfwd++])) < 0)
				return ret;
		if (p->nfwd && (!p->nip || p->ip[0].family != AF_INET))
			return err_fail(EINVAL, "'forward' needs an IPv4 'ip'");
		if (p->nfwd && !p->bridge)
			return err_fail(EINVAL, "'forward' needs a bridge");
	}
	return 0;
}

/* ---- undo steps ---- */

static void undo_link_del(const struct undo_step *s)
{
	struct nl *nl = nsock_nl(s->ns);

	if (nl)
		link_del(nl, s->a);
}

static void undo_link_del_tmp(const struct undo_step *s)
{
	struct nl nl;

	if (nl_open(&nl, NETLINK_ROUTE, s->ns) < 0)
		return;
	link_del(&nl, s->a);
	nl_close(&nl);
}

static void undo_nat(const struct undo_step *s)
{
	nat_del(s->ns, s->a, s->i);
}

static void undo_ovs_port(const struct undo_step *s)
{
	ovs_port_del(s->b, s->a);
}

static void undo_route(const struct undo_step *s)
{
	struct nl *nl = nsock_nl(s->ns);
	struct route_spec r;
	struct link_info li;
	struct nl_batch b;

	if (!nl || route_parse(s->a, &r) < 0 || link_get(nl, s->b, &li) < 0)
		return;
	nl_batch_init(&b);
	route_batch(&b, &r, li.index, true, "delete route");
	nl_batch_run(nl, &b);
}

/* ---- container side ---- */

/* Does the link carry IPv6 (an address, or a route of that family)? */
static bool plan_has_ipv6(const struct plan *p)
{
	for (int i = 0; i < p->nip; i++)
		if (p->ip[i].family == AF_INET6)
			return true;
	for (int i = 0; i < p->nroute; i++)
		if (p->route[i].dst.family == AF_INET6 || p->route[i].gw.family == AF_INET6)
			return true;
	return false;
}

/* Everything done inside the container's namespace once DEV exists there:
 * one batch (addresses, routes, netem), then ethtool, then NAT. */
static int container_setup(const struct link_ctx *lc, const struct plan *p,
			   struct undo **undo)
{
	struct nl nl;
	struct nl_batch b;
	struct link_info li;
	char what[96], a[64];
	int ret, i;

	ret = nl_open(&nl, NETLINK_ROUTE, lc->cont_ns);
	if (ret < 0)
		return ret;
	/* always: the owner mark, which the kernel takes only once the link
	 * exists (a veth's container end is also made down: see veth_up) */
	{
		ret = link_get(&nl, p->dev, &li);
		if (ret < 0)
			goto out;
		/* Docker turns IPv6 off in a container without IPv6 networks
		 * (all and default); a link that carries IPv6 turns it on for
		 * its own interface only, before its addresses and routes. */
		if (plan_has_ipv6(p) && (ret = ipv6_dev_enable(lc->cont_ns, p->dev)) < 0)
			goto out;
		nl_batch_init(&b);
		link_alias_batch(&b, li.index, !(li.flags & IFF_UP), owner_alias(),
				 "cannot set link up");
		for (i = 0; i < p->nip; i++) {
			snprintf(what, sizeof(what), "cannot add address %s", addr_str(&p->ip[i], a));
			addr_add_batch(&b, li.index, &p->ip[i], what);
		}
		for (i = 0; i < p->nroute; i++) {
			int oif = li.index;

			if (p->route[i].dev[0] && strcmp(p->route[i].dev, p->dev)) {
				struct link_info other;

				ret = link_get(&nl, p->route[i].dev, &other);
				if (ret < 0) {
					nl_batch_free(&b);
					goto out;
				}
				oif = other.index;
			}
			snprintf(what, sizeof(what), "cannot add route #%d", i + 1);
			route_batch(&b, &p->route[i], oif, false, what);
		}
		if (p->has_netem && (ret = netem_batch(&b, li.index, &p->netem,
						       "cannot add netem qdisc")) < 0) {
			nl_batch_free(&b);
			goto out;
		}
		ret = nl_batch_run(&nl, &b);
		if (ret == -ENOENT && p->has_netem && strstr(err_msg(), "netem"))
			ret = err_fail(ENOENT, "kernel has no 'netem' qdisc "
				       "(Specified qdisc kind is unknown)");
		if (ret < 0)
			goto out;
	}
	for (i = 0; i < p->nethtool; i++)
		if ((ret = ethtool_apply(nl_fd(&nl), lc->cont_ns, p->dev, p->ethtool[i],
					 lc->ethtool)) < 0)
			goto out;
	if (p->has_nat) {
		snprintf(what, sizeof(what), "nat-%s", p->dev);
		ret = nat_link_add(lc->cont_ns, what, p->dev, &p->nat, &p->ip[0]);
		if (ret < 0)
			goto out;
		undo_push(undo, undo_nat, lc->cont_ns, what, NULL, p->nat.family);
	}
out:
	nl_close(&nl);
	return ret;
}

/* ---- outer side: bridges ---- */

static int attach_outer(const struct link_ctx *lc, const struct plan *p,
			struct undo **undo)
{
	int ret = 0;

	if (!p->bridge || !p->mode)
		return 0;
	if (!strcmp(p->mode, "patch")) {
		ret = patch_add(p->bridge, lc->outer_ns, p->outer_dev);
		if (ret < 0)
			return ret;
		undo_push(undo, patch_undo, lc->outer_ns, p->outer_dev, p->bridge, 0);
	} else if (!strcmp(p->mode, "ovs")) {
		ret = ovs_port_add(p->bridge, p->outer_dev);
		if (ret < 0)
			return ret;
		undo_push(undo, undo_ovs_port, -1, p->outer_dev, p->bridge, 0);
	}
	return 0;
}

static int forward_setup(const struct link_ctx *lc, const struct plan *p,
			 struct undo **undo)
{
	struct nl *nl = nsock_nl(lc->self_ns);
	struct route_spec r;
	struct link_info li;
	struct nl_batch b;
	char name[64], a[64], text[96];
	int ret;

	if (!nl)
		return -errno;
	if (!lc->external_intf)
		return err_fail(EINVAL, "'forward' needs an external interface (--external-intf)");
	snprintf(name, sizeof(name), "fwd-%s", p->outer_dev);
	ret = nat_forward_add(lc->self_ns, name, lc->external_intf, p->bridge, &p->ip[0],
			      p->fwd, p->nfwd);
	if (ret < 0)
		return ret;
	undo_push(undo, undo_nat, lc->self_ns, name, NULL, AF_INET);
	/* the host route toward the container, and forwarding on both ends */
	snprintf(text, sizeof(text), "%s/32", addr_str(&p->ip[0], a));
	if ((ret = route_parse(text, &r)) < 0 || (ret = link_get(nl, p->bridge, &li)) < 0)
		return ret;
	nl_batch_init(&b);
	route_batch(&b, &r, li.index, false, "cannot add forward route");
	ret = nl_batch_run(nl, &b);
	if (ret < 0 && ret != -EEXIST)
		return ret;
	if (ret == 0)
		undo_push(undo, undo_route, lc->self_ns, text, p->bridge, 0);
	nsock_forwarding(nl, p->bridge);
	nsock_forwarding(nl, lc->external_intf);
	return 0;
}

/* ---- link kinds ---- */

static int veth_up(const struct link_ctx *lc, const struct plan *p, struct undo **undo)
{
	struct nl *nl = nsock_nl(lc->outer_ns);
	int master = 0, ret;

	if (!nl)
		return -errno;
	if (p->bridge && p->mode && !strcmp(p->mode, "linux")) {
		master = bridge_index(nl, p->bridge);
		if (master < 0)
			return master;
	}
	struct link_req peer = {
		.name = p->dev, .ns = lc->cont_ns, .mtu = p->mtu,
		/* not up here: veth_open() of a peer not yet paired fails
		 * (ENOTCONN); container_setup brings it up */
		.mac = p->has_mac ? p->mac : NULL,
	};
	struct link_req req = {
		.name = p->outer_dev, .kind = p->kind->name, .ns = -1, .mtu = p->mtu,
		.master = master, .up = true, .peer = &peer, .group = nsock_group(lc->outer_ns),
		.alias = owner_alias(),
		/* an outer end on a bridge is a port only conlink uses (linux,
		 * patch or OVS): an IPv6 link-local address there is never
		 * used, and making it (DAD, MLD, router solicitation) is
		 * kernel work under the RTNL lock, per link. Without a bridge
		 * the end is left as any interface. */
		.addrgen_none = p->bridge != NULL,
	};

	ret = link_add(nl, &req);
	if (ret == -EXFULL && master)
		return err_fail(EXFULL, "bridge %s is full: a linux bridge takes at most "
				"1023 ports (Exchange full)", p->bridge);
	if (ret < 0)
		return ret;
	/* Deleting the outer end takes the container end with it. */
	undo_push(undo, undo_link_del, lc->outer_ns, p->outer_dev, NULL, 0);
	owner_made(undo, lc->outer_ns, p->outer_dev);
	owner_made(undo, lc->cont_ns, p->dev);
	return attach_outer(lc, p, undo);
}

static int parent_up(const struct link_ctx *lc, const struct plan *p, struct undo **undo)
{
	struct nl *nl = nsock_nl(lc->outer_ns);
	struct link_info parent;
	int ret;

	if (!nl)
		return -errno;
	ret = link_get(nl, p->outer_dev, &parent);
	if (ret < 0)
		return err_fail(-ret, "no parent interface '%s' in the host namespace",
				p->outer_dev);
	/* Made on the parent straight into the container with its final name:
	 * no temporary name, no move, no rename. MTU: the parent's unless
	 * given. */
	struct link_req req = p->opts;

	req.name = p->dev;
	req.kind = p->kind->name;
	req.parent = parent.index;
	req.ns = lc->cont_ns;
	req.mtu = p->mtu ? p->mtu : parent.mtu;
	req.mac = p->has_mac ? p->mac : NULL;
	req.up = true;
	ret = link_add(nl, &req);
	/* the kernel's bare "Network is down": say whose (retried until it is
	 * up, parent_wait.c) */
	if (ret == -ENETDOWN)
		return err_fail(ENETDOWN, "parent interface '%s' in the host namespace is down",
				p->outer_dev);
	if (ret < 0)
		return ret;
	undo_push(undo, undo_link_del_tmp, lc->cont_ns, p->dev, NULL, 0);
	owner_made(undo, lc->cont_ns, p->dev);
	return 0;
}

static int local_up(const struct link_ctx *lc, const struct plan *p, struct undo **undo)
{
	struct nl nl;
	int ret = nl_open(&nl, NETLINK_ROUTE, lc->cont_ns);
	struct link_req req = p->opts;

	req.name = p->dev;
	req.kind = p->kind->name;
	req.ns = -1;
	req.mtu = p->mtu;
	req.mac = p->has_mac ? p->mac : NULL;
	req.up = true;
	if (ret < 0)
		return ret;
	ret = link_add(&nl, &req);
	nl_close(&nl);
	if (ret < 0)
		return ret;
	undo_push(undo, undo_link_del_tmp, lc->cont_ns, p->dev, NULL, 0);
	owner_made(undo, lc->cont_ns, p->dev);
	return 0;
}

int link_make(const struct link_ctx *lc, struct undo **undo)
{
	struct plan *p = malloc(sizeof(*p));
	struct undo *u = NULL;
	int ret;

	*undo = NULL;
	if (!p)
		return err_fail(ENOMEM, "%s: out of memory", lc->id);
	ret = plan_make(lc->link, p);
	if (ret < 0)
		goto fail;
	switch (p->kind->base) {
	case LINK_BASE_CONLINK:
		ret = veth_up(lc, p, &u);
		break;
	case LINK_BASE_HOST:
		ret = parent_up(lc, p, &u);
		break;
	default:
		ret = local_up(lc, p, &u);
	}
	if (ret < 0)
		goto fail;
	ret = container_setup(lc, p, &u);
	if (ret < 0)
		goto fail;
	if (p->nfwd && (ret = forward_setup(lc, p, &u)) < 0)
		goto fail;
	free(p);
	*undo = u;
	return 0;
fail:
	/* the undo steps may leave messages of their own: keep ours */
	{
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", err_msg());
		undo_run(u);
		free(p);
		return err_fail(-ret, "%s: %s", lc->id, msg);
	}
}
