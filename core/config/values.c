/* values.c - the values of links and tunnels, each through the parser the
 * link path uses (core/nl), so what loads is what can be made. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "err.h"
#include "link.h"
#include "netcfg.h"
#include "netcfg_int.h"
#include "netem.h"
#include "route.h"
#include "xwrap.h"

/* IPv6 will not run on a link with a smaller MTU (RFC 8200; the kernel
 * refuses the address). */
#define IPV6_MIN_MTU 1280

int value_cidr(const char *s)
{
	struct ipaddr ip;

	if (addr_parse(s, &ip) < 0)
		return -EINVAL;
	if (ip.prefix < 0)
		return err_fail(EINVAL, "no prefix length");
	return addr_check_iface(&ip, s);
}

/* S as one address without a prefix length, into *IP. */
static int host_addr(const char *s, struct ipaddr *ip)
{
	if (addr_parse(s, ip) < 0)
		return -EINVAL;
	if (ip->prefix >= 0)
		return err_fail(EINVAL, "an address takes no prefix length here");
	return 0;
}

int value_ip(const char *s)
{
	struct ipaddr ip;

	return host_addr(s, &ip);
}

int value_remote(const char *s)
{
	struct ipaddr ip;

	if (host_addr(s, &ip) < 0)
		return -EINVAL;
	return addr_check_remote(&ip, s);
}

int value_mac(const char *s)
{
	unsigned char mac[6];

	return mac_parse(s, mac);
}

int value_route(const char *s)
{
	struct route_spec r;

	return route_parse(s, &r);
}

void value_check_netem(struct netcfg_ctx *c, json_t *item, json_t *v, const char *path)
{
	const char *parts[NETCFG_LIST_MAX];
	struct netem_opts o;
	size_t i, n = json_is_string(v) ? 1 : json_array_size(v);
	json_t *e;

	if (n > NETCFG_LIST_MAX)
		return;	/* reported by the list check */
	for (i = 0; i < n; i++) {
		e = json_is_string(v) ? v : json_array_get(v, i);
		if (!json_is_string(e))
			return;	/* reported */
		parts[i] = json_string_value(e);
	}
	if (netem_parse_list(parts, n, &o) < 0) {
		char *joined = xstrdup("");

		for (i = 0; i < n; i++) {
			char *t = xasprintf("%s%s%s", joined, i ? " " : "", parts[i]);

			free(joined);
			joined = t;
		}
		netcfg_error(c, v, item, path, "found \"%s\"%s: %s", joined,
			     json_is_array(v) ? " (the list joined)" : "", err_msg());
		free(joined);
	}
}

/* The first IPv6 address in the link's ip, or the first IPv6 route on the
 * link's own dev, or NULL: what IPv6 needs 1280 for. */
static const char *needs_ipv6(json_t *ipv, json_t *routes, const char *dev, const char **what)
{
	size_t n = json_is_string(ipv) ? 1 : json_array_size(ipv);

	for (size_t i = 0; i < n; i++) {
		json_t *e = json_is_string(ipv) ? ipv : json_array_get(ipv, i);
		struct ipaddr ip;

		*what = "address";
		if (json_is_string(e) && addr_parse(json_string_value(e), &ip) == 0 &&
		    ip.family == AF_INET6)
			return json_string_value(e);
	}
	n = json_is_string(routes) ? 1 : json_array_size(routes);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_is_string(routes) ? routes : json_array_get(routes, i);
		struct route_spec r;

		*what = "route";
		if (json_is_string(e) && route_parse(json_string_value(e), &r) == 0 &&
		    r.dst.family == AF_INET6 && (!r.dev[0] || !strcmp(r.dev, dev)))
			return json_string_value(e);
	}
	return NULL;
}

void value_check_link(struct netcfg_ctx *c, json_t *link, const char *path)
{
	json_t *mtu = json_object_get(link, "mtu"), *ipv = json_object_get(link, "ip");
	json_t *nat = json_object_get(link, "nat");
	const char *what = NULL;
	char *p;

	/* enrich gives --default-mtu to a link without one, unless on a parent */
	const char *type = json_string_value(json_object_get(link, "type"));
	const struct link_kind *k = link_kind_find(type ? type : NETCFG_DEFAULT_TYPE);
	long m = json_is_integer(mtu) ? json_integer_value(mtu) :
		 !mtu && k && k->base != LINK_BASE_HOST ? c->opts->default_mtu : IPV6_MIN_MTU;

	if (m < IPV6_MIN_MTU) {
		const char *dev = json_string_value(json_object_get(link, "dev"));
		const char *v6 = needs_ipv6(ipv, json_object_get(link, "route"), dev ? dev : "eth0",
					    &what);

		p = xasprintf("%s.mtu", path);
		if (v6 && mtu)
			netcfg_error(c, mtu, link, p, "found the number %ld, expected an MTU of "
				     "at least %d (IPv6 needs it; the link has IPv6 %s %s)",
				     m, IPV6_MIN_MTU, what, v6);
		else if (v6)
			netcfg_error(c, link, NULL, path, "gets --default-mtu %ld, expected an "
				     "'mtu' of at least %d (IPv6 needs it; the link has IPv6 %s %s)",
				     m, IPV6_MIN_MTU, what, v6);
		free(p);
	}
	if (json_is_string(nat)) {
		struct ipaddr n, a;
		json_t *first = json_is_array(ipv) ? json_array_get(ipv, 0) : ipv;

		p = xasprintf("%s.nat", path);
		if (addr_parse(json_string_value(nat), &n) < 0 || n.prefix >= 0)
			;	/* reported as a bad IP */
		else if (!json_is_string(first))
			netcfg_error(c, nat, link, p, "link has 'nat' but no 'ip', expected an 'ip' "
				     "too (the address NAT maps %s to)", json_string_value(nat));
		else if (addr_parse(json_string_value(first), &a) == 0 && a.family != n.family)
			netcfg_error(c, nat, link, p, "found \"%s\", expected an address of the "
				     "family of the link's ip %s", json_string_value(nat),
				     json_string_value(first));
		free(p);
	}
}

/* A route as the kernel keys it in a namespace (IPv4: dst, prefix, table,
 * priority; IPv6 the same here), what made it, and where. */
struct route_key {
	struct ipaddr dst;
	uint32_t table;
	long metric;
	const char *owner, *text, *path;
	const json_t *node;
	long prev;		/* the owner's key before this one, -1: none */
};

/* Each owner's last key, found by hashing the owner's name, so a route is
 * compared with its own owner's keys only (10,000 links stay linear). */
struct owner_slot {
	const char *owner;
	long last;
};

static struct owner_slot *owner_slot(struct owner_slot *tab, size_t cap, const char *owner)
{
	size_t h = 2166136261u;

	for (const char *p = owner; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (h &= cap - 1; tab[h].owner && strcmp(tab[h].owner, owner); h = (h + 1) & (cap - 1))
		;
	if (!tab[h].owner) {
		tab[h].owner = owner;
		tab[h].last = -1;
	}
	return &tab[h];
}

static void key_of(struct route_key *k, const struct ipaddr *dst, uint32_t table, long metric)
{
	k->dst = *dst;
	addr_mask(&k->dst);
	k->table = table;
	/* what the kernel uses when none is given */
	k->metric = metric >= 0 ? metric : dst->family == AF_INET ? 0 : 1024;
}

static bool same_key(const struct route_key *a, const struct route_key *b)
{
	return a->dst.family == b->dst.family && a->dst.prefix == b->dst.prefix &&
	       !memcmp(a->dst.a, b->dst.a, 16) && a->table == b->table && a->metric == b->metric;
}

void value_check_routes(struct netcfg_ctx *c, json_t *links)
{
	struct route_key *keys = NULL;
	size_t nkeys = 0, nowners = 0, i, j, cap = 16;
	json_t *link;
	char **owners = NULL;
	struct owner_slot *slots;

	if (!json_is_array(links))
		return;
	while (cap < 2 * json_array_size(links))
		cap *= 2;
	slots = xzalloc(cap * sizeof(*slots));
	json_array_foreach(links, i, link) {
		const char *svc = json_string_value(json_object_get(link, "service"));
		const char *ctr = json_string_value(json_object_get(link, "container"));
		json_t *ipv = json_object_get(link, "ip"), *routes = json_object_get(link, "route");
		const char *o = netcfg_origin(c, link);
		char *lpath = *o ? xstrdup(o) : xasprintf("links[%zu]", i);
		char *owner;
		size_t n;

		if (!json_is_object(link) || (!svc && !ctr)) {
			free(lpath);
			continue;
		}
		owner = xasprintf("%s %s", svc ? "service" : "container", svc ? svc : ctr);
		owners = xrealloc(owners, (nowners + 1) * sizeof(*owners));
		owners[nowners++] = owner;
		struct owner_slot *slot = owner_slot(slots, cap, owner);

		keys = xrealloc(keys, (nkeys + 2 * NETCFG_LIST_MAX + 2) * sizeof(*keys));
		/* the prefix route the kernel adds for an address (IPv6: metric 256) */
		n = json_is_string(ipv) ? 1 : json_array_size(ipv);
		for (j = 0; j < n && j < NETCFG_LIST_MAX; j++) {
			json_t *e = json_is_string(ipv) ? ipv : json_array_get(ipv, j);
			struct ipaddr ip;

			if (!json_is_string(e) || addr_parse(json_string_value(e), &ip) < 0 ||
			    ip.prefix < 0 || ip.prefix == (ip.family == AF_INET ? 32 : 128))
				continue;
			key_of(&keys[nkeys], &ip, RT_TABLE_MAIN, ip.family == AF_INET ? 0 : 256);
			keys[nkeys].owner = owner;
			keys[nkeys].text = json_string_value(e);
			keys[nkeys].path = NULL;
			keys[nkeys].node = e;
			keys[nkeys].prev = slot->last;
			slot->last = nkeys++;
		}
		n = json_is_string(routes) ? 1 : json_array_size(routes);
		for (j = 0; j < n && n <= NETCFG_LIST_MAX; j++) {
			json_t *e = json_is_string(routes) ? routes : json_array_get(routes, j);
			struct route_spec r;
			struct route_key *k = &keys[nkeys];

			if (!json_is_string(e) || route_parse(json_string_value(e), &r) < 0)
				continue;
			key_of(k, &r.dst, r.table, r.metric);
			k->owner = owner;
			k->text = json_string_value(e);
			k->node = e;
			/* the owner's earliest key that is the same route */
			long first = -1;

			for (long m = slot->last; m >= 0; m = keys[m].prev)
				if (same_key(&keys[m], k))
					first = m;
			if (first >= 0) {
				size_t m = first;
				char *p = json_is_string(routes) ? xasprintf("%s.route", lpath)
								 : xasprintf("%s.route[%zu]", lpath, j);

				if (keys[m].path)
					netcfg_error(c, e, link, p, "found \"%s\": the same destination, "
						     "table and metric as %s \"%s\" of %s (the kernel: File "
						     "exists), expected another metric", k->text,
						     keys[m].path, keys[m].text, owner);
				else
					netcfg_error(c, e, link, p, "found \"%s\": the same destination, "
						     "table and metric as the route the kernel makes for ip "
						     "%s of %s (the kernel: File exists), expected another "
						     "metric", k->text, keys[m].text, owner);
				free(p);
			}
			k->path = json_is_string(routes) ? xasprintf("%s.route", lpath)
							 : xasprintf("%s.route[%zu]", lpath, j);
			k->prev = slot->last;
			slot->last = nkeys++;
		}
		free(lpath);
	}
	for (i = 0; i < nkeys; i++)
		free((char *)keys[i].path);
	free(keys);
	free(slots);
	for (i = 0; i < nowners; i++)
		free(owners[i]);
	free(owners);
}
