/* hosts.c - many hosts, one config: which host each service and container
 * runs on (the top-level "hosts"), and the mesh plan every host's conlink
 * computes alike from the same files, with no coordinator: the hosts each
 * bridge spans, its tunnel kind, its VNI and its members' MTU. A tunnel
 * may name its host ("host"): made there only, it places its bridge on
 * that host as a member link would.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "err.h"
#include "netcfg_int.h"
#include "spell.h"
#include "xwrap.h"

/* The default underlay MTU of a host, and what each tunnel kind's
 * encapsulation takes over IPv4 (outer IP 20, UDP 8, header 8, inner
 * Ethernet 14); IPv6's outer header is 20 bytes longer. */
#define HOST_MTU_DEFAULT 1500
#define ENCAP_IPV4 50
#define ENCAP_IPV6 70

int value_host_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 63)
		return err_fail(EINVAL, "'%s' has %zu characters", s, n);
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return err_fail(EINVAL, "'%s' has a character other than a letter, digit, "
				"'.', '_' or '-'", s);
	if (strchr("._-", *s))
		return err_fail(EINVAL, "'%s' starts with '%c'", s, *s);
	return 0;
}

/* "a, b LAST c" of the keys of OBJ (LAST: "and", "or"). */
static char *key_list(const json_t *obj, const char *last)
{
	const char *k;
	json_t *v;
	char *s = xstrdup("");
	size_t i = 0, n = json_object_size(obj);

	json_object_foreach((json_t *)obj, k, v) {
		char *t = xasprintf("%s%s%s%s%s", s, !i ? "" : i + 1 < n ? ", " : " ",
				    i && i + 1 == n ? last : "", i && i + 1 == n ? " " : "", k);

		free(s);
		s = t;
		i++;
	}
	return s;
}

static char *path_of(struct netcfg_ctx *c, const json_t *item, const char *key)
{
	return xasprintf("%s.%s", netcfg_origin(c, item), key);
}

/* The strings of V (a string or a list of them: validated) to FN. */
static void each_string(json_t *v, void (*fn)(json_t *s, void *arg), void *arg)
{
	json_t *e;
	size_t i;

	if (json_is_string(v))
		fn(v, arg);
	json_array_foreach(v, i, e)
		if (json_is_string(e))
			fn(e, arg);
}

struct place {
	struct netcfg_ctx *c;
	json_t *item;		/* the hosts item */
	json_t *host;		/* the merged host */
	const char *kind;	/* "services" or "containers" */
	json_t *where;		/* "service NAME" -> host name */
};

static void place_one(json_t *s, void *arg)
{
	struct place *p = arg;
	const char *name = json_string_value(s);
	const char *host = json_string_value(json_object_get(p->host, "host"));
	const char *what = !strcmp(p->kind, "services") ? "service" : "container";
	char *key = xasprintf("%s %s", what, name);
	const char *other = json_string_value(json_object_get(p->where, key));

	if (other && strcmp(other, host)) {
		char *path = path_of(p->c, p->item, p->kind);

		netcfg_error(p->c, s, p->item, path, "%s '%s' is placed on two hosts, %s and %s; "
			     "expected one", what, name, other, host);
		free(path);
	} else if (!other) {
		json_object_set_new(p->where, key, json_string(host));
		json_array_append(json_object_get(p->host, p->kind), s);
	}
	free(key);
}

/* Merge the hosts items by name; check addresses. WHERE gets each owner's
 * host; FIRST each host's first item (for messages). */
static json_t *merge_hosts(struct netcfg_ctx *c, json_t *list, json_t *where, json_t *first)
{
	json_t *hosts = json_object(), *by_addr = json_object(), *item;
	int family = 0;
	size_t i;

	json_array_foreach(list, i, item) {
		const char *name = json_string_value(json_object_get(item, "host"));
		json_t *addr = json_object_get(item, "address"), *mtu = json_object_get(item, "mtu");
		json_t *h;
		struct ipaddr ip;
		char norm[64];

		if (!json_is_object(item) || !name)
			continue;	/* reported by validate */
		if (!(h = json_object_get(hosts, name))) {
			h = json_pack("{s:s, s:[], s:[]}", "host", name, "services", "containers");
			json_object_set_new(hosts, name, h);
			json_object_set(first, name, item);
		}
		if (json_is_string(addr) && addr_parse(json_string_value(addr), &ip) == 0) {
			const char *had = json_string_value(json_object_get(h, "address"));
			const char *owner;
			char *path = path_of(c, item, "address");

			addr_str(&ip, norm);
			owner = json_string_value(json_object_get(by_addr, norm));
			if (had && strcmp(had, norm))
				netcfg_error(c, addr, item, path, "host %s has two addresses, %s and "
					     "%s; expected one", name, had, norm);
			else if (owner && strcmp(owner, name))
				netcfg_error(c, addr, item, path, "address %s is host %s's too; "
					     "expected one address per host", norm, owner);
			else if (family && family != ip.family)
				netcfg_error(c, addr, item, path, "%s is not of the family of the "
					     "other hosts' addresses; expected all IPv4 or all "
					     "IPv6 (one underlay)", norm);
			family = ip.family;
			json_object_set_new(h, "address", json_string(norm));
			json_object_set_new(by_addr, norm, json_string(name));
			free(path);
		}
		if (json_is_integer(mtu))
			json_object_set(h, "mtu", mtu);
		for (int k = 0; k < 2; k++) {
			struct place p = { c, item, h, k ? "containers" : "services", where };

			each_string(json_object_get(item, p.kind), place_one, &p);
		}
	}
	const char *name;

	json_object_foreach(hosts, name, item) {
		if (!json_object_get(item, "address"))
			netcfg_error(c, json_object_get(first, name), NULL,
				     netcfg_origin(c, json_object_get(first, name)),
				     "host %s has no 'address'; expected its underlay IP "
				     "address (tunnels from the other hosts arrive there)", name);
		if (!json_object_get(item, "mtu"))
			json_object_set_new(item, "mtu", json_integer(HOST_MTU_DEFAULT));
	}
	json_decref(by_addr);
	return hosts;
}

void netcfg_mesh_dev(const char *kind, long long vni, size_t peer, char dev[16])
{
	char name[48];	/* at most 15 characters: VNI < 2^24, fewer than 100 hosts */

	if (!strcmp(kind, "geneve"))
		snprintf(name, sizeof(name), "gnv%lld-%zu", vni, peer);
	else
		snprintf(name, sizeof(name), "vxlan-%lld", vni);
	snprintf(dev, 16, "%.15s", name);
}

/* " (did you mean ...)" for NAME, not among HOSTS' names, in HINT. */
static const char *host_hint(json_t *hosts, const char *name, char hint[SPELL_HINT_MAX])
{
	const char *keys[64], *k;
	size_t n = 0;
	json_t *v;

	json_object_foreach(hosts, k, v)
		if (n < 63)
			keys[n++] = k;
	keys[n] = NULL;
	return spell_hint(name, keys, sizeof(*keys), hint);
}

/* --host-id names one of HOSTS; a daemon needs it. */
static void check_host_id(struct netcfg_ctx *c, json_t *hosts)
{
	const char *id = c->opts->host_id;
	char *names = key_list(hosts, id ? "or" : "and");

	if (id && !json_object_get(hosts, id)) {
		char h[SPELL_HINT_MAX];

		netcfg_error(c, NULL, NULL, "--host-id", "no host '%s' in the config%s; expected "
			     "%s%s", id, host_hint(hosts, id, h),
			     json_object_size(hosts) > 1 ? "one of " : "", names);
	} else if (!id && !c->opts->show_config) {
		netcfg_error(c, NULL, NULL, NULL, "the config places services and containers on "
			     "hosts %s: give --host-id NAME (or CONLINK_HOST_ID) to say which "
			     "one this is", names);
	}
	free(names);
}

/* Each owner of a link or command is placed; BRIDGE_HOSTS gets, per
 * bridge, the hosts its members run on (a set: name -> true); FIRST_LINK
 * a link on each bridge (for messages). */
static void check_owners(struct netcfg_ctx *c, json_t *raw, json_t *hosts, json_t *where,
			 json_t *bridge_hosts, json_t *first_link)
{
	static const char *const lists[] = {"links", "commands"};
	char *names = key_list(hosts, "or");

	for (int l = 0; l < 2; l++) {
		json_t *item;
		size_t i;

		json_array_foreach(json_object_get(raw, lists[l]), i, item) {
			const char *svc = json_string_value(json_object_get(item, "service"));
			const char *ct = json_string_value(json_object_get(item, "container"));
			const char *br = json_string_value(json_object_get(item, "bridge"));
			const char *what = svc ? "service" : "container";
			char *key;
			const char *host;

			if (!svc && !ct)
				continue;	/* reported by validate */
			key = xasprintf("%s %s", what, svc ? svc : ct);
			host = json_string_value(json_object_get(where, key));
			if (!host) {
				char *path = path_of(c, item, what);

				netcfg_error(c, json_object_get(item, what), item, path,
					     "%s '%s' runs on no host; expected it in the "
					     "'services' or 'containers' of one of the hosts "
					     "(%s)", what, svc ? svc : ct, names);
				free(path);
			} else if (br && l == 0) {
				json_t *set = json_object_get(bridge_hosts, br);

				if (!set) {
					set = json_object();
					json_object_set_new(bridge_hosts, br, set);
					json_object_set(first_link, br, item);
				}
				json_object_set_new(set, host, json_true());
			}
			free(key);
		}
	}
	free(names);
}

/* Each tunnel's "host" (a name: validated) is one of HOSTS; its bridge
 * is on that host, as a member's would be. */
static void check_tunnels(struct netcfg_ctx *c, json_t *raw, json_t *hosts,
			  json_t *bridge_hosts, json_t *first_link)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(raw, "tunnels"), i, t) {
		json_t *h = json_object_get(t, "host");
		const char *host = json_string_value(h);
		const char *br = json_string_value(json_object_get(t, "bridge"));
		json_t *set;

		if (!host || value_host_name(host) < 0)
			continue;	/* not given; or reported by validate */
		if (!json_object_get(hosts, host)) {
			char hint_text[SPELL_HINT_MAX], *path = path_of(c, t, "host");
			char *names = key_list(hosts, "or");

			netcfg_error(c, h, t, path, "no host '%s' in the config's hosts%s; "
				     "expected %s%s (the host the tunnel is made on)", host,
				     host_hint(hosts, host, hint_text),
				     json_object_size(hosts) > 1 ? "one of " : "", names);
			free(names);
			free(path);
			continue;
		}
		if (!br)
			continue;
		if (!(set = json_object_get(bridge_hosts, br))) {
			set = json_object();
			json_object_set_new(bridge_hosts, br, set);
			json_object_set(first_link, br, t);
		}
		json_object_set_new(set, host, json_true());
	}
}

/* Without hosts, a tunnel naming a host is refused. */
static void tunnels_without_hosts(struct netcfg_ctx *c, json_t *raw)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(raw, "tunnels"), i, t) {
		json_t *h = json_object_get(t, "host");
		char *path;

		if (!json_is_string(h))
			continue;
		path = path_of(c, t, "host");
		netcfg_error(c, h, t, path, "the tunnel names host '%s', but the config has no "
			     "'hosts'; expected a top-level 'hosts' list naming it",
			     json_string_value(h));
		free(path);
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of OBJ, sorted (every host computes the same order whatever
 * order its files list them in). Free the array only. */
static const char **sorted_keys(const json_t *obj, size_t *n)
{
	const char **v = xmalloc((json_object_size(obj) + 1) * sizeof(*v));
	const char *k;
	json_t *x;

	*n = 0;
	json_object_foreach((json_t *)obj, k, x)
		v[(*n)++] = k;
	qsort(v, *n, sizeof(*v), str_cmp);
	return v;
}

/* A bridge's VNI when none is given: 24 bits of the FNV-1a hash of its
 * name, the next free one when taken (bridges in name order). */
static long vni_of_name(const char *name)
{
	uint32_t h = 0x811c9dc5;

	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		h ^= *s;
		h *= 0x01000193;
	}
	return (h & 0xffffff) ? (long)(h & 0xffffff) : 1;
}

/* The VNIs already taken: the tunnels' and the bridges' given ones, as
 * "KIND-VNI" (their interface names). */
static void vni_taken(struct netcfg_ctx *c, json_t *raw, json_t *bridges,
		      json_t *bridge_hosts, json_t *taken)
{
	json_t *t, *b;
	size_t i;

	json_array_foreach(json_object_get(raw, "tunnels"), i, t) {
		char *key = xasprintf("%s-%lld", json_string_value(json_object_get(t, "type")),
				      (long long)json_integer_value(json_object_get(t, "vni")));

		json_object_set_new(taken, key, json_string("a tunnel"));
		free(key);
	}
	/* the given ones, from the raw items: their positions are there */
	json_array_foreach(json_object_get(raw, "bridges"), i, b) {
		json_t *vni = json_object_get(b, "vni");
		const char *name = json_string_value(json_object_get(b, "bridge"));
		const char *mesh = name ? json_string_value(json_object_get(
						json_object_get(bridges, name), "mesh")) : NULL;
		char *key, *who;
		const char *had;

		if (!name || !json_is_integer(vni) ||
		    json_object_size(json_object_get(bridge_hosts, name)) < 2)
			continue;
		if (!mesh)
			mesh = "vxlan";
		key = xasprintf("%s-%lld", mesh, (long long)json_integer_value(vni));
		who = xasprintf("bridge %s", name);
		if ((had = json_string_value(json_object_get(taken, key))) && strcmp(had, who)) {
			char *path = path_of(c, b, "vni");

			netcfg_error(c, vni, b, path, "bridge %s's %s VNI %lld is %s's too; "
				     "expected one per bridge", name, mesh,
				     (long long)json_integer_value(vni), had);
			free(path);
		}
		json_object_set_new(taken, key, json_string(who));
		free(key);
		free(who);
	}
}

/* The plan of bridge NAME (B, enriched) spanning the hosts of SET. */
static void plan_bridge(struct netcfg_ctx *c, const char *name, json_t *b, json_t *set,
			json_t *hosts, json_t *taken, json_t *link)
{
	size_t n, i;
	const char **hs = sorted_keys(set, &n);
	json_t *list = json_array();
	const char *mode = json_string_value(json_object_get(b, "mode"));
	long mtu = 65535;
	int v6 = 0;

	for (i = 0; i < n; i++) {
		json_t *h = json_object_get(hosts, hs[i]);
		const char *addr = json_string_value(json_object_get(h, "address"));

		json_array_append_new(list, json_string(hs[i]));
		if (json_integer_value(json_object_get(h, "mtu")) < mtu)
			mtu = json_integer_value(json_object_get(h, "mtu"));
		v6 |= addr && strchr(addr, ':');
	}
	json_object_set_new(b, "hosts", list);
	if (n < 2)
		goto out;
	if (!json_object_get(b, "mesh"))
		json_object_set_new(b, "mesh", json_string("vxlan"));
	const char *mesh = json_string_value(json_object_get(b, "mesh"));
	char *hl = xstrdup("");

	for (i = 0; i < n; i++) {
		char *t = xasprintf("%s%s%s", hl, !i ? "" : i + 1 == n ? " and " : ", ", hs[i]);

		free(hl);
		hl = t;
	}
	if (mode && strcmp(mode, "linux") && strcmp(mode, "ovs")) {
		char *path = path_of(c, link, "bridge");

		netcfg_error(c, json_object_get(link, "bridge"), link, path, "bridge %s spans "
			     "hosts %s, but its mode is '%s'; expected linux or ovs (a "
			     "bridge joined by a tunnel mesh)", name, hl, mode);
		free(path);
	}
	/* geneve: a port per remote host, kept loop-free by port isolation,
	 * which only linux bridges have; named gnvVNI-I (15 characters) */
	if (!strcmp(mesh, "geneve") && ((mode && strcmp(mode, "linux") && n > 2) || n > 99)) {
		char *path = path_of(c, link, "bridge");

		netcfg_error(c, json_object_get(link, "bridge"), link, path, "bridge %s spans "
			     "%zu hosts (%s) with mesh geneve; expected at most %s", name, n, hl,
			     n > 99 ? "99" : "2 unless its mode is linux (isolated ports)");
		free(path);
	}
	if (!json_object_get(b, "vni")) {
		long vni = vni_of_name(name);
		char *key;

		for (;;) {
			key = xasprintf("%s-%ld", mesh, vni);
			if (!json_object_get(taken, key))
				break;
			free(key);
			vni = vni % 0xffffff + 1;
		}
		char *who = xasprintf("bridge %s", name);

		json_object_set_new(taken, key, json_string(who));
		free(who);
		free(key);
		json_object_set_new(b, "vni", json_integer(vni));
	}
	mtu -= v6 ? ENCAP_IPV6 : ENCAP_IPV4;
	if (mtu < 68) {
		char *path = path_of(c, link, "bridge");

		netcfg_error(c, json_object_get(link, "bridge"), link, path, "bridge %s spans "
			     "hosts %s, whose smallest mtu leaves %ld bytes inside a %s "
			     "tunnel; expected at least 68", name, hl, mtu, mesh);
		free(path);
	}
	json_object_set_new(b, "mtu", json_integer(mtu));
	free(hl);
out:
	free(hs);
}

json_t *netcfg_hosts_plan(struct netcfg_ctx *c, json_t *raw, json_t *bridges)
{
	json_t *list = json_object_get(raw, "hosts");
	json_t *where, *first, *bridge_hosts, *first_link, *taken, *hosts;
	const char **names;
	size_t n, i;
	int before = c->nerrors;

	if (!list) {
		tunnels_without_hosts(c, raw);
		if (c->opts->host_id)
			netcfg_error(c, NULL, NULL, "--host-id", "'%s' names a host, but the "
				     "config has no 'hosts'", c->opts->host_id);
		return NULL;
	}
	where = json_object();
	first = json_object();
	bridge_hosts = json_object();
	first_link = json_object();
	taken = json_object();
	hosts = merge_hosts(c, list, where, first);
	check_host_id(c, hosts);
	check_owners(c, raw, hosts, where, bridge_hosts, first_link);
	check_tunnels(c, raw, hosts, bridge_hosts, first_link);
	names = sorted_keys(bridges, &n);
	vni_taken(c, raw, bridges, bridge_hosts, taken);
	for (i = 0; i < n; i++) {
		json_t *b = json_object_get(bridges, names[i]);
		json_t *set = json_object_get(bridge_hosts, names[i]);

		if (set)
			plan_bridge(c, names[i], b, set, hosts, taken,
				    json_object_get(first_link, names[i]));
		else
			json_object_del(b, "hosts");
	}
	free(names);
	json_decref(where);
	json_decref(first);
	json_decref(bridge_hosts);
	json_decref(first_link);
	json_decref(taken);
	if (c->nerrors > before) {
		json_decref(hosts);
		return NULL;
	}
	return hosts;
}

void netcfg_hosts_place(json_t *out, json_t *hosts)
{
	const char *name;
	json_t *h;

	json_object_foreach(hosts, name, h)
		for (int k = 0; k < 2; k++) {
			json_t *owners = json_object_get(out, k ? "containers" : "services");
			json_t *s;
			size_t i;

			json_array_foreach(json_object_get(h, k ? "containers" : "services"), i, s) {
				json_t *entry = json_object_get(owners, json_string_value(s));

				if (entry)
					json_object_set_new(entry, "host", json_string(name));
			}
		}
	json_object_set_new(out, "hosts", hosts);
}
