/* cni_plugin.c - the CNI commands: ADD makes one link with the daemon's
 * apply path, DEL and GC find attachments by name and owner mark, CHECK
 * compares the kernel with the prevResult, STATUS and VERSION answer. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "apply.h"
#include "apply_priv.h"
#include "cni_config.h"
#include "cni_plugin.h"
#include "cni_priv.h"
#include "err.h"
#include "ethtool.h"
#include "link.h"
#include "link_live.h"
#include "netem.h"
#include "netns.h"
#include "nl.h"
#include "owner.h"
#include "undo.h"

#define CNI_LOCK_DIR "/run/conlink"
#define CNI_LOCK CNI_LOCK_DIR "/cni.lock"

/* One command's context. */
struct cni_cmd {
	const struct cni_request *rq;
	struct cni_config cf;
	char outer_name[IFNAMSIZ];	/* the attachment's outer veth */
	int outer_ns;			/* where bridges and outer ends live */
	int lock;
};

/* The outer veth of (network, container id, ifname): "cni" + 12 hex
 * digits of FNV-1a 64 over the three. Deterministic: DEL and GC find it
 * again with nothing stored. */
static void outer_name_of(const char *net, const char *cid, const char *ifname,
			  char out[IFNAMSIZ])
{
	const char *parts[3] = {net, cid, ifname};
	unsigned long long h = 0xcbf29ce484222325ULL;

	for (int p = 0; p < 3; p++) {
		for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++)
			h = (h ^ *s) * 0x100000001b3ULL;
		h = (h ^ 0xff) * 0x100000001b3ULL;	/* a separator no name has */
	}
	snprintf(out, IFNAMSIZ, "cni%012llx", h & 0xffffffffffffULL);
}

/* Serialize the commands that change namespaces: a DEL removing a
 * bridge with its last port must not race an ADD joining it. Released
 * by the kernel when the process ends, however it ends. */
static int take_lock(struct cni_cmd *c)
{
	mkdir(CNI_LOCK_DIR, 0755);
	c->lock = open(CNI_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->lock < 0)
		return err_fail(errno, "cannot open %s: %s", CNI_LOCK, strerror(errno));
	while (flock(c->lock, LOCK_EX) < 0)
		if (errno != EINTR)
			return err_fail(errno, "cannot lock %s: %s", CNI_LOCK, strerror(errno));
	return 0;
}

/* The namespace bridges and outer ends live in. Returns 0, 1 when the
 * configured one does not exist (ENOENT), or a CNI code. */
static int open_outer(struct cni_cmd *c)
{
	const char *path = c->cf.netns ? c->cf.netns : "/proc/self/ns/net";

	c->outer_ns = open(path, O_RDONLY | O_CLOEXEC);
	if (c->outer_ns >= 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	err_fail(errno, "namespace %s: %s", path, strerror(errno));
	return CNI_ERR_CONFIG;
}

/* A missing variable the command needs: code 4 naming it. */
static int need_env(const struct cni_request *rq, bool netns, bool ids)
{
	char missing[128] = "";

	if (ids && !(rq->containerid && *rq->containerid))
		strcat(missing, " CNI_CONTAINERID");
	if (ids && !(rq->ifname && *rq->ifname))
		strcat(missing, " CNI_IFNAME");
	if (netns && !(rq->netns && *rq->netns))
		strcat(missing, " CNI_NETNS");
	if (!rq->path)
		strcat(missing, " CNI_PATH");
	if (!*missing)
		return 0;
	err_fail(EINVAL, "missing environment variables:%s", missing);
	return CNI_ERR_ENV;
}

/* ---- the interfaces we own ---- */

/* A linux bridge of ours in NL's namespace with no port left goes. */
static void bridge_drop_if_empty(struct nl *nl, const char *name);

struct ports_ctx {
	int master;
	int n;
};

static int count_ports(const struct link_info *li, void *arg)
{
	struct ports_ctx *p = arg;

	p->n += li->master == p->master;
	return 0;
}

static void bridge_drop_if_empty(struct nl *nl, const char *name)
{
	struct link_info li;
	struct ports_ctx p = {0};

	if (link_get(nl, name, &li) < 0 || !owner_is_ours(&li) || strcmp(li.kind, "bridge"))
		return;
	p.master = li.index;
	if (link_dump(nl, count_ports, &p) == 0 && p.n == 0)
		link_del(nl, name);
}

/* Delete NAME in NL's namespace when it carries our mark. */
static int del_ours(struct nl *nl, const char *name)
{
	struct link_info li;
	int ret = link_get(nl, name, &li);

	if (ret == -ENODEV)
		return 0;
	if (ret < 0)
		return ret;
	if (!owner_is_ours(&li))
		return 0;
	ret = link_del(nl, name);
	return ret == -ENODEV ? 0 : ret;
}

/* Forget an undo record without running it: what it made stays. */
static void undo_keep(struct undo *u)
{
	while (u && u->top) {
		struct undo_step *s = u->top;

		u->top = s->next;
		netns_release(s->ns);
		free(s);
	}
	free(u);
}

/* Wait for the ethtool programs link_make started (10 s each at most). */
static int ethtool_wait_all(struct ethtool_child *ch)
{
	int ret = 0;

	while (ch) {
		struct ethtool_child *next = ch->next;
		struct pollfd p = {.fd = ch->pidfd, .events = POLLIN};
		int status = 0;

		if (poll(&p, 1, 10000) <= 0) {
			ethtool_child_kill(ch);
			if (!ret)
				ret = err_fail(ETIMEDOUT, "%s: no answer in 10 s", ch->what);
		}
		while (waitpid(ch->pid, &status, 0) < 0 && errno == EINTR)
			;
		int r = ethtool_child_result(ch, status);

		if (r < 0 && !ret)
			ret = r;
		ethtool_child_free(ch);
		ch = next;
	}
	return ret;
}

/* ---- ADD ---- */

/* IPAM's (or runtimeConfig.ips') addresses and routes into the link. */
static void link_addresses(json_t *link, const json_t *ipam)
{
	json_t *ips = json_array(), *routes = json_array(), *e;
	json_t *given = json_object_get(link, "route");
	size_t i;

	json_array_foreach(json_object_get(ipam, "ips"), i, e) {
		const char *a = json_string_value(json_object_get(e, "address"));

		if (a)
			json_array_append_new(ips, json_string(a));
	}
	json_array_foreach(json_object_get(ipam, "routes"), i, e) {
		const char *dst = json_string_value(json_object_get(e, "dst"));
		const char *gw = json_string_value(json_object_get(e, "gw"));
		size_t j;
		json_t *ip;

		if (!dst)
			continue;
		/* no gw: the gateway IPAM gave for an address of that family */
		json_array_foreach(json_object_get(ipam, "ips"), j, ip) {
			const char *g = json_string_value(json_object_get(ip, "gateway"));

			if (!gw && g && !strchr(g, ':') == !strchr(dst, ':'))
				gw = g;
		}
		json_array_append_new(routes, gw ? json_sprintf("%s via %s", dst, gw) :
					      json_string(dst));
	}
	json_object_set_new(link, "ip", ips);
	if (json_is_array(given))
		json_array_extend(routes, given);
	json_object_set_new(link, "route", routes);
}

/* Addresses and routes for the link: IPAM's answer, or runtimeConfig.ips.
 * 0 with *IPAM (new reference), or a CNI code. */
static int addresses(struct cni_cmd *c, json_t **ipam)
{
	json_t *rt_ips = json_object_get(c->cf.runtime, "ips"), *e, *r = NULL;
	size_t i;
	int code;

	*ipam = NULL;
	if (c->cf.ipam) {
		code = cni_delegate(json_string_value(json_object_get(c->cf.ipam, "type")), "ADD",
				    c->rq->path, c->rq->conf, c->rq->conf_len, &r);
		if (code)
			return code;
		*ipam = cni_result_read(r);
		json_decref(r);
		return 0;
	}
	*ipam = json_pack("{s:[]}", "ips");
	json_array_foreach(rt_ips, i, e) {
		struct ipaddr a;
		const char *s = json_string_value(e);

		if (!s || addr_parse(s, &a) < 0 || a.prefix < 0) {
			json_decref(*ipam);
			*ipam = NULL;
			err_fail(EINVAL, "runtimeConfig.ips[%zu]: expected an address with a "
				 "prefix length (CIDR)", i);
			return CNI_ERR_CONFIG;
		}
		json_array_append_new(json_object_get(*ipam, "ips"), json_pack("{s:s}", "address", s));
	}
	return 0;
}

static int mac_of(int ns, const char *name, char out[18])
{
	struct nl nl;
	struct link_live ll;
	int ret = nl_open(&nl, NETLINK_ROUTE, ns);

	if (ret < 0)
		return ret;
	ret = link_live_get(&nl, name, &ll);
	nl_close(&nl);
	if (ret < 0 || !ll.has_mac)
		return ret < 0 ? ret : -ENODATA;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", ll.mac[0], ll.mac[1], ll.mac[2],
		 ll.mac[3], ll.mac[4], ll.mac[5]);
	return 0;
}

/* The ADD result: our interfaces (the outer veth on the host side, the
 * container end with its sandbox), IPAM's ips on the container end, its
 * routes and dns, after a previous plugin's entries. */
static json_t *add_result(struct cni_cmd *c, const json_t *link, const json_t *ipam, int cont_ns)
{
	json_t *r = json_pack("{s:[], s:[], s:[]}", "interfaces", "ips", "routes");
	json_t *ifs = json_object_get(r, "interfaces"), *e;
	bool veth = !strcmp(json_string_value(json_object_get(link, "base")), "conlink");
	char mac[18];
	size_t i;

	if (veth) {
		json_t *o = json_pack("{s:s}", "name", c->outer_name);

		if (mac_of(c->outer_ns, c->outer_name, mac) == 0)
			json_object_set_new(o, "mac", json_string(mac));
		json_array_append_new(ifs, o);
	}
	json_t *in = json_pack("{s:s, s:s}", "name", c->rq->ifname, "sandbox", c->rq->netns);

	if (mac_of(cont_ns, c->rq->ifname, mac) == 0)
		json_object_set_new(in, "mac", json_string(mac));
	if (json_integer_value(json_object_get(link, "mtu")))
		json_object_set(in, "mtu", json_object_get(link, "mtu"));
	json_array_append_new(ifs, in);
	json_array_foreach(json_object_get(ipam, "ips"), i, e) {
		json_t *ip = json_deep_copy(e);

		json_object_set_new(ip, "interface", json_integer(veth ? 1 : 0));
		json_array_append_new(json_object_get(r, "ips"), ip);
	}
	json_array_extend(json_object_get(r, "routes"), json_object_get(ipam, "routes"));
	if (json_object_get(ipam, "dns"))
		json_object_set(r, "dns", json_object_get(ipam, "dns"));
	else if (json_is_object(json_object_get(c->cf.doc, "dns")))
		json_object_set(r, "dns", json_object_get(c->cf.doc, "dns"));
	if (c->cf.prev_result)
		cni_result_append(r, c->cf.prev_result);
	return r;
}

/* Undo a failed ADD's IPAM allocation (its message kept). */
static void ipam_release(struct cni_cmd *c)
{
	json_t *r = NULL;
	char msg[512];

	if (!c->cf.ipam)
		return;
	snprintf(msg, sizeof(msg), "%s", err_msg());
	cni_delegate(json_string_value(json_object_get(c->cf.ipam, "type")), "DEL", c->rq->path,
		     c->rq->conf, c->rq->conf_len, &r);
	json_decref(r);
	err_fail(EIO, "%s", msg);
}

/* A link failure: transient ones (a name still held, a busy device, a
 * parent not there yet) are "try again later". */
static int link_code(int ret)
{
	return ret == -EEXIST || ret == -EBUSY || ret == -ENODEV ? CNI_ERR_AGAIN : CNI_ERR_LINK;
}

static int cmd_add(struct cni_cmd *c, json_t **out)
{
	const char *bridge = json_string_value(json_object_get(c->cf.bridge, "bridge"));
	json_t *link = json_deep_copy(c->cf.link), *ipam = NULL;
	struct ethtool_child *children = NULL;
	struct undo *ub = NULL, *ul = NULL;
	struct nl *nl;
	int cont_ns, ret, code;
	const char *mac = json_string_value(json_object_get(c->cf.runtime, "mac"));

	cont_ns = open(c->rq->netns, O_RDONLY | O_CLOEXEC);
	if (cont_ns < 0) {
		err_fail(errno, "CNI_NETNS %s: %s", c->rq->netns, strerror(errno));
		json_decref(link);
		return CNI_ERR_CONTAINER;
	}
	if ((code = open_outer(c)) == 1) {
		err_fail(ENOENT, "namespace %s does not exist", c->cf.netns);
		code = CNI_ERR_AGAIN;
	}
	if (code || (code = take_lock(c) ? CNI_ERR_IO : 0) || (code = addresses(c, &ipam)))
		goto out;
	link_addresses(link, ipam);
	if (mac) {	/* the "mac" capability */
		unsigned char m[6];

		if (mac_parse(mac, m) < 0) {
			err_fail(EINVAL, "runtimeConfig.mac '%s': expected a unicast MAC", mac);
			code = CNI_ERR_CONFIG;
			ipam_release(c);
			goto out;
		}
		json_object_set_new(link, "mac", json_string(mac));
	}
	if (!strcmp(json_string_value(json_object_get(link, "base")), "conlink"))
		json_object_set_new(link, "outer-dev", json_string(c->outer_name));
	nl = nsock_nl(c->outer_ns);
	ret = nl ? 0 : -errno;
	if (ret == 0 && bridge) {
		struct link_info li;

		/* ours (an earlier ADD's): joined as it is; someone else's: refused */
		ret = link_get(nl, bridge, &li);
		if (ret == 0 && !owner_is_ours(&li))
			ret = err_fail(EEXIST, "Bridge %s already exists (not made by CNI "
				       "network %s)", bridge, c->cf.name);
		else if (ret == -ENODEV)
			ret = bridge_make(c->cf.bridge, c->outer_ns, &ub);
	}
	if (ret < 0) {
		code = ret == -EEXIST ? CNI_ERR_CONFIG : CNI_ERR_LINK;
		ipam_release(c);
		goto out;
	}
	struct link_ctx lc = {
		.link = link, .id = c->rq->ifname, .cont_ns = cont_ns, .outer_ns = c->outer_ns,
		.self_ns = c->outer_ns, .ethtool = &children,
	};

	ret = link_make(&lc, &ul);
	if (ret == 0)
		ret = ethtool_wait_all(children);
	else
		ethtool_wait_all(children);
	if (ret < 0) {
		undo_run(ul);
		ul = NULL;
		if (bridge)
			bridge_drop_if_empty(nl, bridge);
		code = link_code(ret);
		ipam_release(c);
		goto out;
	}
	*out = add_result(c, link, ipam, cont_ns);
out:
	undo_keep(ub);
	undo_keep(ul);
	json_decref(ipam);
	json_decref(link);
	close(cont_ns);
	return code;
}

/* ---- DEL ---- */

static int cmd_del(struct cni_cmd *c)
{
	const char *bridge = json_string_value(json_object_get(c->cf.bridge, "bridge"));
	int code = open_outer(c), ret = 0;

	if (code > 1)
		return code;
	if (take_lock(c))
		return CNI_ERR_IO;
	/* the outer end takes the container end with it */
	if (code == 0) {
		struct nl *nl = nsock_nl(c->outer_ns);

		ret = nl ? del_ours(nl, c->outer_name) : -errno;
		if (ret == 0 && bridge)
			bridge_drop_if_empty(nl, bridge);
	}
	/* a link without an outer end (macvlan, ...), or one whose outer end
	 * went first: in the container, if it still exists */
	if (ret == 0 && c->rq->netns && *c->rq->netns) {
		int ns = open(c->rq->netns, O_RDONLY | O_CLOEXEC);
		struct nl nl;

		if (ns >= 0 && nl_open(&nl, NETLINK_ROUTE, ns) == 0) {
			ret = del_ours(&nl, c->rq->ifname);
			nl_close(&nl);
		}
		if (ns >= 0)
			close(ns);
	}
	if (ret < 0)
		return CNI_ERR_LINK;
	if (c->cf.ipam) {
		json_t *r = NULL;

		code = cni_delegate(json_string_value(json_object_get(c->cf.ipam, "type")), "DEL",
				    c->rq->path, c->rq->conf, c->rq->conf_len, &r);
		json_decref(r);
		return code;
	}
	return 0;
}

/* ---- CHECK ---- */

/* Is a netem qdisc the root qdisc of IFINDEX? (The link's "netem": the
 * spec's traffic shaping a CHECK must find.) */
static bool has_root_netem(struct nl *nl, int ifindex)
{
	bool netem;

	return netem_root(nl, ifindex, NULL, &netem) == 0 && netem;
}

/* Is ADDR ("a.b.c.d/n") among the addresses in LIVE? */
static bool has_addr(const json_t *live, const char *addr)
{
	struct ipaddr want, got;
	json_t *e;
	size_t i;

	if (addr_parse(addr, &want) < 0)
		return false;
	json_array_foreach(live, i, e)
		if (addr_parse(json_string_value(e), &got) == 0 && got.family == want.family &&
		    got.prefix == want.prefix && !memcmp(got.a, want.a, sizeof(got.a)))
			return true;
	return false;
}

static int cmd_check(struct cni_cmd *c)
{
	json_t *prev = c->cf.prev_result ? cni_result_read(c->cf.prev_result) : NULL;
	json_t *live = json_array(), *e;
	const char *bridge = json_string_value(json_object_get(c->cf.bridge, "bridge"));
	bool veth = !strcmp(json_string_value(json_object_get(c->cf.link, "base")), "conlink");
	int mtu = json_integer_value(json_object_get(c->cf.link, "mtu"));
	int cont_ns = -1, ret, code = 0, ours = -1;
	struct link_info li;
	struct link_live ll;
	struct nl nl;
	size_t i;

	if (!prev) {
		err_fail(EINVAL, "CHECK needs the prevResult of the ADD");
		code = CNI_ERR_CONFIG;
		goto out;
	}
	cont_ns = open(c->rq->netns, O_RDONLY | O_CLOEXEC);
	if (cont_ns < 0) {
		err_fail(errno, "CNI_NETNS %s: %s", c->rq->netns, strerror(errno));
		code = CNI_ERR_CONTAINER;
		goto out;
	}
	if ((ret = nl_open(&nl, NETLINK_ROUTE, cont_ns)) < 0) {
		code = CNI_ERR_IO;
		goto out;
	}
	code = CNI_ERR_CHECK;
	if (link_get(&nl, c->rq->ifname, &li) < 0 || !owner_is_ours(&li))
		err_fail(ENODEV, "%s: no interface %s of network %s", c->rq->netns, c->rq->ifname,
			 c->cf.name);
	else if (!(li.flags & IFF_UP))
		err_fail(ENETDOWN, "%s is down", c->rq->ifname);
	else if (mtu && li.mtu != mtu)
		err_fail(EINVAL, "%s has MTU %d, the config says %d", c->rq->ifname, li.mtu, mtu);
	else if (link_live_get(&nl, c->rq->ifname, &ll) < 0 ||
		 link_live_addrs(&nl, li.index, live) < 0)
		err_fail(EIO, "%s: %s", c->rq->ifname, err_msg());
	else if (json_object_get(c->cf.link, "netem") && !has_root_netem(&nl, li.index))
		err_fail(ENOENT, "%s has no netem qdisc (the config's netem)", c->rq->ifname);
	else
		code = 0;
	nl_close(&nl);
	/* the interface and addresses the ADD reported, as they are now */
	json_array_foreach(json_object_get(prev, "interfaces"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", c->rq->ifname) &&
		    json_object_get(e, "sandbox"))
			ours = i;
	if (!code && ours < 0) {
		err_fail(ENOENT, "prevResult lists no interface %s in a sandbox", c->rq->ifname);
		code = CNI_ERR_CHECK;
	}
	if (!code) {
		const char *want = json_string_value(json_object_get(
			json_array_get(json_object_get(prev, "interfaces"), ours), "mac"));
		char mac[18];

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", ll.mac[0], ll.mac[1],
			 ll.mac[2], ll.mac[3], ll.mac[4], ll.mac[5]);
		if (want && strcasecmp(want, mac)) {
			err_fail(EINVAL, "%s has MAC %s, prevResult says %s", c->rq->ifname, mac, want);
			code = CNI_ERR_CHECK;
		}
	}
	json_array_foreach(json_object_get(prev, "ips"), i, e) {
		const char *a = json_string_value(json_object_get(e, "address"));

		if (code || json_integer_value(json_object_get(e, "interface")) != ours || !a)
			continue;
		if (!has_addr(live, a)) {
			err_fail(EADDRNOTAVAIL, "%s lacks address %s", c->rq->ifname, a);
			code = CNI_ERR_CHECK;
		}
	}
	/* the outer end: ours, on its bridge */
	if (!code && veth) {
		struct nl *onl;

		if ((ret = open_outer(c))) {
			err_fail(ENOENT, "namespace %s does not exist", c->cf.netns);
			code = CNI_ERR_CHECK;
		} else if (!(onl = nsock_nl(c->outer_ns)) || link_get(onl, c->outer_name, &li) < 0 ||
			   !owner_is_ours(&li)) {
			err_fail(ENODEV, "the outer end %s of %s is missing", c->outer_name,
				 c->rq->ifname);
			code = CNI_ERR_CHECK;
		} else if (bridge && li.master != bridge_index(onl, bridge)) {
			err_fail(EINVAL, "the outer end %s is not on bridge %s", c->outer_name, bridge);
			code = CNI_ERR_CHECK;
		}
	}
	if (!code && c->cf.ipam) {
		json_t *r = NULL;

		code = cni_delegate(json_string_value(json_object_get(c->cf.ipam, "type")), "CHECK",
				    c->rq->path, c->rq->conf, c->rq->conf_len, &r);
		json_decref(r);
	}
out:
	if (cont_ns >= 0)
		close(cont_ns);
	json_decref(prev);
	json_decref(live);
	return code;
}

/* ---- GC ---- */

struct gc_ctx {
	char (*keep)[IFNAMSIZ];
	size_t nkeep;
	char (*drop)[IFNAMSIZ];
	size_t ndrop;
	bool bridges;		/* second pass: bridges rather than veths */
};

static int gc_cb(const struct link_info *li, void *arg)
{
	struct gc_ctx *g = arg;

	if (!owner_is_ours(li) || strcmp(li->kind, g->bridges ? "bridge" : "veth"))
		return 0;
	for (size_t i = 0; !g->bridges && i < g->nkeep; i++)
		if (!strcmp(g->keep[i], li->name))
			return 0;
	char (*d)[IFNAMSIZ] = realloc(g->drop, (g->ndrop + 1) * IFNAMSIZ);

	if (!d)
		return -ENOMEM;
	g->drop = d;
	snprintf(g->drop[g->ndrop++], IFNAMSIZ, "%s", li->name);
	return 0;
}

static int cmd_gc(struct cni_cmd *c)
{
	/* the spec's name; libcni sends both (an earlier draft's too) */
	json_t *valid = json_object_get(c->cf.doc, "cni.dev/valid-attachments"), *e;
	struct gc_ctx g = {0};
	struct nl *nl;
	int code = 0, ret;
	size_t i;

	if (!valid)
		valid = json_object_get(c->cf.doc, "cni.dev/attachments");
	/* without the list, every attachment would look stale: refused */
	if (!json_is_array(valid)) {
		err_fail(EINVAL, "cni.dev/valid-attachments: expected a list of "
			 "{\"containerID\", \"ifname\"}");
		return CNI_ERR_CONFIG;
	}
	g.keep = calloc(json_array_size(valid) + 1, IFNAMSIZ);
	if (!g.keep)
		return CNI_ERR_IO;
	json_array_foreach(valid, i, e) {
		const char *cid = json_string_value(json_object_get(e, "containerID"));
		const char *ifname = json_string_value(json_object_get(e, "ifname"));

		if (cid && ifname)
			outer_name_of(c->cf.name, cid, ifname, g.keep[g.nkeep++]);
	}
	if ((code = open_outer(c)) > 1)
		goto out;
	if (code == 0 && !take_lock(c) && (nl = nsock_nl(c->outer_ns))) {
		/* veths of ours no valid attachment names, then bridges left
		 * without a port */
		for (int pass = 0; pass < 2; pass++) {
			g.bridges = pass;
			g.ndrop = 0;
			if ((ret = link_dump(nl, gc_cb, &g)) < 0)
				break;
			for (i = 0; i < g.ndrop; i++)
				if (pass)
					bridge_drop_if_empty(nl, g.drop[i]);
				else
					del_ours(nl, g.drop[i]);
		}
	}
	code = 0;
	if (c->cf.ipam) {
		const char *type = json_string_value(json_object_get(c->cf.ipam, "type"));
		json_t *r = NULL;

		/* an IPAM plugin older than 1.1.0 has no GC */
		if (cni_delegate_speaks(type, c->rq->path, "1.1.0"))
			code = cni_delegate(type, "GC", c->rq->path, c->rq->conf, c->rq->conf_len, &r);
		json_decref(r);
	}
out:
	free(g.keep);
	free(g.drop);
	return code;
}

/* ---- STATUS ---- */

static int cmd_status(struct cni_cmd *c)
{
	char path[4096];
	int code = open_outer(c);

	if (code == 1)
		err_fail(ENOENT, "namespace %s does not exist", c->cf.netns);
	if (code)
		return CNI_ERR_UNAVAILABLE;
	if (c->cf.ipam) {
		const char *type = json_string_value(json_object_get(c->cf.ipam, "type"));
		json_t *r = NULL;

		if (cni_delegate_find(type, c->rq->path, path, sizeof(path)) < 0)
			return CNI_ERR_UNAVAILABLE;
		if (cni_delegate_speaks(type, c->rq->path, "1.1.0")) {
			code = cni_delegate(type, "STATUS", c->rq->path, c->rq->conf,
					    c->rq->conf_len, &r);
			json_decref(r);
		}
	}
	return code;
}

/* ---- VERSION ---- */

static json_t *version_info(const char *asked)
{
	json_t *list = json_array();

	for (int i = 0; cni_versions[i]; i++)
		json_array_append_new(list, json_string(cni_versions[i]));
	return json_pack("{s:s, s:o}", "cniVersion",
			 cni_version_supported(asked) ? asked : "1.1.0", "supportedVersions", list);
}

/* ---- dispatch ---- */

int cni_run(const struct cni_request *rq, json_t **out, const char **version)
{
	static char ver[16] = "1.1.0";
	const char *cmd = rq->command ? rq->command : "";
	struct cni_cmd c = {.rq = rq, .outer_ns = -1, .lock = -1};
	bool add = !strcmp(cmd, "ADD"), del = !strcmp(cmd, "DEL"), check = !strcmp(cmd, "CHECK");
	bool gc = !strcmp(cmd, "GC"), status = !strcmp(cmd, "STATUS");
	const char *min = check ? "0.4.0" : gc || status ? "1.1.0" : NULL;
	int code;

	*out = NULL;
	*version = ver;
	if (!strcmp(cmd, "VERSION")) {
		json_t *doc = json_loadb(rq->conf, rq->conf_len, 0, NULL);

		*out = version_info(json_string_value(json_object_get(doc, "cniVersion")));
		json_decref(doc);
		return 0;
	}
	if (!add && !del && !check && !gc && !status) {
		err_fail(EINVAL, "unknown CNI_COMMAND '%s' (ADD, DEL, CHECK, STATUS, GC, VERSION)",
			 cmd);
		return CNI_ERR_ENV;
	}
	if ((code = need_env(rq, add || check, add || del || check)))
		return code;
	{
		/* an error is answered in the config's version, when we speak it */
		json_t *doc = json_loadb(rq->conf, rq->conf_len, 0, NULL);
		const char *v = json_string_value(json_object_get(doc, "cniVersion"));

		if (cni_version_supported(v))
			snprintf(ver, sizeof(ver), "%s", v);
		json_decref(doc);
	}
	code = cni_config_load("stdin", rq->conf, rq->conf_len, rq->containerid, rq->ifname,
			       &c.cf);
	if (code) {
		err_fail(EINVAL, "invalid network config");
		return code;
	}
	snprintf(ver, sizeof(ver), "%s", c.cf.version);
	if (min && cni_version_cmp(c.cf.version, min) < 0) {
		err_fail(EINVAL, "%s needs cniVersion %s or later (the config has %s)", cmd, min,
			 c.cf.version);
		code = CNI_ERR_VERSION;
		goto out;
	}
	{
		char *mark = NULL;

		if (asprintf(&mark, "cni:%s", c.cf.name) < 0) {
			code = CNI_ERR_IO;
			goto out;
		}
		owner_init(mark);
		free(mark);
	}
	if (add || del || check)
		outer_name_of(c.cf.name, rq->containerid, rq->ifname, c.outer_name);
	if (add) {
		json_t *r = NULL;

		code = cmd_add(&c, &r);
		if (!code) {
			*out = cni_result_write(r, c.cf.version);
		}
		json_decref(r);
	} else if (del) {
		code = cmd_del(&c);
	} else if (check) {
		code = cmd_check(&c);
	} else if (gc) {
		code = cmd_gc(&c);
	} else {
		code = cmd_status(&c);
	}
out:
	if (c.outer_ns >= 0)
		close(c.outer_ns);
	if (c.lock >= 0)
		close(c.lock);
	cni_config_free(&c.cf);
	return code;
}
