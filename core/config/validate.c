/* validate.c - upstream's schema.yaml as code, every error at once. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ethtool.h"
#include "forward.h"
#include "ifname.h"
#include "link.h"
#include "netcfg.h"
#include "netcfg_int.h"
#include "spell.h"
#include "xwrap.h"

enum vkind {
	V_STR,		/* any string */
	V_ENUM,		/* one of prop->values */
	V_INTF,		/* interface name (ifname_check) */
	V_CIDR,		/* IPv4 or IPv6 address with /prefix (addr_parse) */
	V_IP,		/* IPv4 or IPv6 address (addr_parse) */
	V_REMOTE,	/* V_IP, a tunnel's unicast remote (addr_check_remote) */
	V_MAC,		/* unicast MAC (mac_parse) */
	V_MTU,		/* an integer (or a string of digits) in a range */
	V_LINK_TYPE, V_TUNNEL_TYPE,	/* the kinds of that role (link.h) */
	V_KIND_MODE,	/* one of the modes of the item's kind */
	V_KIND_INT,	/* an integer in the item's kind's range (vlanid, vni) */
	V_STRS,		/* a string or a list of strings */
	V_ROUTES,	/* V_STRS, each a route (route_parse) */
	V_ETHTOOL,	/* V_STRS, each an ethtool setting (ethtool_check) */
	V_NETEM,	/* V_STRS, joined: netem options (netem_parse_list) */
	V_FORWARD,	/* V_STRS of PORT:PORT/tcp|udp */
	V_TIMELINE,	/* a list of timeline steps (timeline_check.c) */
	V_HOST,		/* a host name (value_host_name) */
	V_VNI,		/* a bridge's mesh VNI: 0..16777215 */
};

struct prop {
	const char *name;
	enum vkind kind;
	const char *const *values;	/* V_ENUM, NULL-terminated */
};


static const struct prop link_props[] = {
	{"type", V_LINK_TYPE, NULL}, {"service", V_STR, NULL}, {"container", V_STR, NULL},
	{"bridge", V_INTF, NULL}, {"outer-dev", V_INTF, NULL}, {"dev", V_INTF, NULL},
	{"ip", V_CIDR, NULL}, {"mac", V_MAC, NULL}, {"mtu", V_MTU, NULL},
	{"route", V_ROUTES, NULL}, {"nat", V_IP, NULL}, {"netem", V_NETEM, NULL},
	{"mode", V_KIND_MODE, NULL}, {"vlanid", V_KIND_INT, NULL}, {"forward", V_FORWARD, NULL},
	{"ethtool", V_ETHTOOL, NULL}, {"timeline", V_TIMELINE, NULL}, {NULL, 0, NULL},
};
static const struct prop bridge_props[] = {
	{"bridge", V_INTF, NULL}, {"mode", V_ENUM, netcfg_bridge_modes},
	{"mesh", V_TUNNEL_TYPE, NULL}, {"vni", V_VNI, NULL}, {NULL, 0, NULL},
};
/* hosts.c: placement and the mesh plan */
static const struct prop host_props[] = {
	{"host", V_HOST, NULL}, {"address", V_REMOTE, NULL}, {"mtu", V_MTU, NULL},
	{"services", V_STRS, NULL}, {"containers", V_STRS, NULL}, {NULL, 0, NULL},
};
static const struct prop tunnel_props[] = {
	{"type", V_TUNNEL_TYPE, NULL}, {"bridge", V_INTF, NULL}, {"remote", V_REMOTE, NULL},
	{"vni", V_KIND_INT, NULL}, {"netem", V_NETEM, NULL},
	{"timeline", V_TIMELINE, NULL},
	{"host", V_HOST, NULL},	/* hosts.c: one of the hosts, made there only */
	{NULL, 0, NULL},
};
static const struct prop command_props[] = {
	{"service", V_STR, NULL}, {"container", V_STR, NULL}, {"command", V_STRS, NULL},
	{NULL, 0, NULL},
};

static char *join_names(const char *const *names, size_t stride)
{
	char *s = xstrdup("");

	for (const char *const *n = names; *n; n = (const char *const *)((const char *)n + stride)) {
		char *t = xasprintf("%s%s%s", s, *s ? ", " : "", *n);

		free(s);
		s = t;
	}
	return s;
}

static char *hint(const char *word, const char *const *names, size_t stride)
{
	char h[SPELL_HINT_MAX];

	return xstrdup(spell_hint(word, names, stride, h));
}

static bool is_forward(const char *s)
{
	struct nat_forward fw;

	return forward_parse(s, &fw) == 0;
}

/* Integers may arrive as strings after interpolation ("${MTU}"): turn a
 * string of digits into a number so the output has one type. */
static bool check_int(json_t *parent, const char *key, json_t *v, long lo, long hi)
{
	long long n;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;

		if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
			return false;
		n = strtoll(s, &end, 10);
		if (n < lo || n > hi)
			return false;
		json_object_set_new(parent, key, json_integer(n));
		return true;
	}
	if (!json_is_integer(v))
		return false;
	n = json_integer_value(v);
	return n >= lo && n <= hi;
}

/* ---- link kinds: every fact from the descriptors of link.h ---- */

/* The names of the kinds of ROLE, NULL-terminated (built once). */
static const char *const *kind_names(enum link_role role)
{
	static const char *names[3][16];

	if (!names[role][0])
		for (size_t i = 0, n = 0; link_kinds[i] && n < 15; i++)
			if (link_kinds[i]->role == role)
				names[role][n++] = link_kinds[i]->name;
	return names[role];
}

/* "a" or "an" before NAME. */
static const char *article(const char *name)
{
	return strchr("aeiou", *name) ? "an" : "a";
}

/* The kind ITEM's "type" names (links default to veth), or NULL. */
static const struct link_kind *item_kind(const json_t *item, enum link_role role)
{
	const char *type = json_string_value(json_object_get(item, "type"));
	const struct link_kind *k;

	if (!type && role == LINK_ROLE_LINK)
		type = NETCFG_DEFAULT_TYPE;
	k = link_kind_find(type);
	return k && k->role == role ? k : NULL;
}

/* "one of a, b, c (did you mean 'b'?)" for S among NAMES. */
static char *one_of(const char *s, const char *const *names, size_t stride)
{
	char *list = join_names(names, stride);
	char *h = s ? hint(s, names, stride) : xstrdup("");
	char *out = xasprintf("one of %s%s", list, h);

	free(list);
	free(h);
	return out;
}

/* "expected ..." for a mode of ITEM's kind, NULL when S is one. */
static char *check_kind_mode(const json_t *item, const char *s)
{
	const struct link_kind *k = item_kind(item, LINK_ROLE_LINK);
	char *names, *out;

	if (!k || !k->modes)
		return s ? NULL : xstrdup("a string");	/* refused by the kind rules */
	if (s && link_kind_mode(k, s))
		return NULL;
	names = one_of(s, &k->modes->name, sizeof(*k->modes));
	out = xasprintf("%s %s mode, %s", article(k->name), k->name, names);
	free(names);
	return out;
}

/* "expected ..." for vlanid/vni of ITEM's kind, NULL when V is in range. */
static char *check_kind_int(json_t *item, const char *key, json_t *v)
{
	const char *type = json_string_value(json_object_get(item, "type"));
	const struct link_kind *k = link_kind_find(type ? type : NETCFG_DEFAULT_TYPE);
	enum link_prop p = link_prop_find(key);
	const struct link_range *r = k ? link_kind_range(k, p) : NULL;
	struct link_range any = {0, 0x7fffffff};	/* the kind rules refuse it */

	if (!r)
		r = &any;
	if (check_int(item, key, v, r->min, r->max))
		return NULL;
	return xasprintf("%s (a number, %ld..%ld)", p == LINK_P_VLANID ? "a VLAN id" : "a VNI",
			 r->min, r->max);
}

static void check_value(struct netcfg_ctx *c, json_t *item, const struct prop *p,
			json_t *v, const char *path)
{
	const char *s = json_string_value(v);
	const char *expected = NULL;
	char *exp_alloc = NULL;
	int (*atom)(const char *) = NULL;	/* one string's grammar */
	int (*grammar)(const char *) = p->kind == V_ROUTES ? value_route :
				       p->kind == V_ETHTOOL ? ethtool_check : NULL;

	switch (p->kind) {
	case V_STR:
		if (!s)
			expected = "a string";
		break;
	case V_ENUM:
	case V_LINK_TYPE:
	case V_TUNNEL_TYPE: {
		const char *const *values = p->kind == V_ENUM ? p->values :
			kind_names(p->kind == V_LINK_TYPE ? LINK_ROLE_LINK : LINK_ROLE_TUNNEL);

		for (const char *const *e = values; s && *e; e++)
			if (!strcmp(s, *e))
				return;
		expected = exp_alloc = one_of(s, values, sizeof(char *));
		break;
	}
	case V_KIND_MODE:
		expected = exp_alloc = check_kind_mode(item, s);
		break;
	case V_KIND_INT:
		expected = exp_alloc = check_kind_int(item, p->name, v);
		break;
	case V_INTF:
		atom = ifname_check;
		expected = IFNAME_EXPECTED;
		break;
	case V_CIDR:
		atom = value_cidr;
		expected = "an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24)";
		break;
	case V_IP:
	case V_REMOTE:
		atom = p->kind == V_IP ? value_ip : value_remote;
		expected = "an IP address";
		break;
	case V_MAC:
		atom = value_mac;
		expected = "a MAC address (unicast, e.g. 02:00:0a:0b:0c:01)";
		break;
	case V_TIMELINE:
		value_check_timeline(c, item, v, path);
		break;
	case V_MTU:
		if (!check_int(item, p->name, v, 68, 65535))
			expected = "an MTU (a number, 68..65535)";
		break;
	case V_VNI:
		if (!check_int(item, p->name, v, 0, 0xffffff))
			expected = "a VNI (a number, 0..16777215)";
		break;
	case V_HOST:
		atom = value_host_name;
		expected = "a host name (1..63 letters, digits, '.', '_' or '-', "
			   "led by a letter or digit)";
		break;
	case V_STRS:
	case V_ROUTES:
	case V_ETHTOOL:
	case V_NETEM:
	case V_FORWARD: {
		const char *what = p->kind == V_FORWARD ?
			"PORT:PORT/tcp or PORT:PORT/udp (or a list of them)" :
			"a string or a list of strings";
		json_t *e;
		size_t i;

		if (json_is_string(v)) {
			if (p->kind == V_FORWARD && !is_forward(s))
				expected = what;
			else if (grammar && grammar(s) < 0)
				netcfg_error(c, v, item, path, "found \"%s\": %s", s, err_msg());
			else if (p->kind == V_NETEM)
				value_check_netem(c, item, v, path);
			break;
		}
		if (!json_is_array(v)) {
			expected = what;
			break;
		}
		if (p->kind != V_STRS && json_array_size(v) > NETCFG_LIST_MAX) {
			netcfg_error(c, v, item, path, "found a list of %zu, expected at most %d",
				     json_array_size(v), NETCFG_LIST_MAX);
			break;
		}
		json_array_foreach(v, i, e) {
			char *ep = xasprintf("%s[%zu]", path, i);
			char *f = netcfg_describe(e);

			if (!json_is_string(e) ||
			    (p->kind == V_FORWARD && !is_forward(json_string_value(e))))
				netcfg_error(c, e, v, ep, "found %s, expected %s", f,
					     p->kind == V_FORWARD ? "PORT:PORT/tcp or PORT:PORT/udp"
								  : "a string");
			else if (grammar && grammar(json_string_value(e)) < 0)
				netcfg_error(c, e, v, ep, "found %s: %s", f, err_msg());
			free(f);
			free(ep);
		}
		if (p->kind == V_NETEM)
			value_check_netem(c, item, v, path);
		break;
	}
	}
	if (atom && s && atom(s) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err_msg());
		netcfg_error(c, v, item, path, "found \"%s\", expected %s: %s", s, expected, why);
		expected = NULL;
	} else if (atom && s) {
		expected = NULL;
	}
	if (expected) {
		char *f = netcfg_describe(v);

		netcfg_error(c, v, item, path, "found %s, expected %s", f, expected);
		free(f);
	}
	free(exp_alloc);
}

/* Check each property of item against table; returns false if not a mapping. */
static bool check_item(struct netcfg_ctx *c, json_t *item, const struct prop *table,
		       const char *path, const char *what)
{
	const char *k;
	json_t *v;
	void *tmp;

	if (!json_is_object(item)) {
		char *f = netcfg_describe(item);

		netcfg_error(c, item, NULL, path, "found %s, expected a %s (a mapping)", f, what);
		free(f);
		return false;
	}
	json_object_foreach_safe(item, tmp, k, v) {
		const struct prop *p;
		const char *o = netcfg_origin(c, v);
		char *vp = xasprintf("%s.%s", *o ? o : path, k);

		for (p = table; p->name && strcmp(p->name, k); p++)
			;
		const struct srcpos *pos = srcmap_get(c->m, v);

		if (pos && pos->reported) {
			/* already shown (a failed interpolation) */
		} else if (p->name) {
			check_value(c, item, p, v, vp);
		} else {
			char *h = hint(k, &table->name, sizeof(*table));
			char *names = join_names(&table->name, sizeof(*table));

			netcfg_error(c, v, item, vp, "unknown %s property '%s'%s; expected one of %s",
				     what, k, h, names);
			free(h);
			free(names);
		}
		free(vp);
	}
	return true;
}

static void need(struct netcfg_ctx *c, json_t *item, const char *path, const char *key,
		 const char *why)
{
	if (!json_object_get(item, key))
		netcfg_error(c, item, NULL, path, "missing required property '%s'%s", key, why);
}

static void forbid(struct netcfg_ctx *c, json_t *item, const char *path, const char *key,
		   const char *why)
{
	json_t *v = json_object_get(item, key);

	if (v) {
		char *p = xasprintf("%s.%s", path, key);

		netcfg_error(c, v, item, p, "property '%s' is not allowed %s", key, why);
		free(p);
	}
}

static void exactly_one_owner(struct netcfg_ctx *c, json_t *item, const char *path)
{
	bool s = json_object_get(item, "service"), ct = json_object_get(item, "container");

	if (s && ct)
		netcfg_error(c, item, NULL, path, "has both 'service' and 'container', "
			     "expected exactly one of them");
	else if (!s && !ct)
		netcfg_error(c, item, NULL, path, "has neither 'service' nor 'container', "
			     "expected exactly one of them");
}

/* Properties only some kinds take (link.h's link_kind .takes/.needs):
 * a missing one the kind needs, or one it does not take. "forward" has
 * its own wording, in enrich. */
static void check_kind_props(struct netcfg_ctx *c, json_t *link, const char *path)
{
	const struct link_kind *k = item_kind(link, LINK_ROLE_LINK);
	static const enum link_prop props[] = {
		LINK_P_BRIDGE, LINK_P_OUTER_DEV, LINK_P_MAC, LINK_P_MODE, LINK_P_VLANID,
	};

	if (!k)
		return;		/* the type is refused already */
	for (size_t i = 0; i < sizeof(props) / sizeof(*props); i++) {
		const char *key = link_prop_name(props[i]);
		char *why, *only = xstrdup("");

		if (k->needs & props[i]) {
			why = xasprintf(" (%s %s link needs it)", article(k->name), k->name);
			need(c, link, path, key, why);
			free(why);
		} else if (!(k->takes & props[i])) {
			for (size_t j = 0; link_kinds[j]; j++) {
				const struct link_kind *o = link_kinds[j];
				char *t;

				if (o->role != LINK_ROLE_LINK || !(o->takes & props[i]))
					continue;
				t = xasprintf("%s%s%s", only, *only ? ", " : "", o->name);
				free(only);
				only = t;
			}
			why = xasprintf("on %s %s link (only %s links take it)", article(k->name),
					k->name, only);
			forbid(c, link, path, key, why);
			free(why);
		}
		free(only);
	}
}

static void check_link(struct netcfg_ctx *c, json_t *link, const char *path)
{
	if (!check_item(c, link, link_props, path, "link"))
		return;
	exactly_one_owner(c, link, path);
	check_kind_props(c, link, path);
	value_check_link(c, link, path);
}

static void check_list(struct netcfg_ctx *c, json_t *raw, const char *key,
		       void (*check)(struct netcfg_ctx *, json_t *, const char *))
{
	json_t *list = json_object_get(raw, key), *item;
	size_t i;

	if (!list)
		return;
	if (!json_is_array(list)) {
		char *f = netcfg_describe(list);
		const char *o = netcfg_origin(c, list);

		netcfg_error(c, list, NULL, *o ? o : key, "found %s, expected a list", f);
		free(f);
		return;
	}
	json_array_foreach(list, i, item) {
		const char *o = netcfg_origin(c, item);
		char *p = *o ? xstrdup(o) : xasprintf("%s[%zu]", key, i);

		check(c, item, p);
		free(p);
	}
}

static void check_bridge(struct netcfg_ctx *c, json_t *b, const char *path)
{
	if (check_item(c, b, bridge_props, path, "bridge"))
		need(c, b, path, "bridge", " (the bridge name)");
}

/* A tunnel's type, and what its kind needs (link.h); without a type,
 * what every tunnel kind needs. */
static void check_tunnel_kind(struct netcfg_ctx *c, json_t *t, const char *path)
{
	const struct link_kind *k = item_kind(t, LINK_ROLE_TUNNEL);
	unsigned int needs = 0;
	char *types = join_names(kind_names(LINK_ROLE_TUNNEL), sizeof(char *));
	char *why = xasprintf(" (%s)", types);

	need(c, t, path, "type", why);
	free(why);
	free(types);
	for (size_t i = 0; !k && link_kinds[i]; i++)
		if (link_kinds[i]->role == LINK_ROLE_TUNNEL)
			needs |= link_kinds[i]->needs;
	if (k)
		needs = k->needs;
	for (int i = 0; i < LINK_P_COUNT; i++)
		if (needs & (1u << i))
			need(c, t, path, link_prop_name(1u << i),
			     (1u << i) == LINK_P_REMOTE ? " (an IP address)" :
			     (1u << i) == LINK_P_VNI ? " (a number)" : "");
}

static void check_tunnel(struct netcfg_ctx *c, json_t *t, const char *path)
{
	if (!check_item(c, t, tunnel_props, path, "tunnel"))
		return;
	check_tunnel_kind(c, t, path);
}

static void check_host(struct netcfg_ctx *c, json_t *h, const char *path)
{
	if (check_item(c, h, host_props, path, "host"))
		need(c, h, path, "host", " (the host's name, as --host-id gives it)");
}

static void check_command(struct netcfg_ctx *c, json_t *cmd, const char *path)
{
	if (!check_item(c, cmd, command_props, path, "command"))
		return;
	need(c, cmd, path, "command", "");
	exactly_one_owner(c, cmd, path);
}

int netcfg_validate(struct netcfg_ctx *c, json_t *raw)
{
	static const char *const top[] = {"links", "bridges", "tunnels", "commands", "hosts",
					  NULL};
	const char *k;
	json_t *v;
	int before = c->nerrors;

	json_object_foreach(raw, k, v) {
		size_t i;

		for (i = 0; top[i] && strcmp(top[i], k); i++)
			;
		if (!top[i]) {
			char *h = hint(k, top, sizeof(char *));

			netcfg_error(c, v, NULL, k, "unknown top-level property '%s'%s; "
				     "expected links, bridges, tunnels, commands or hosts", k, h);
			free(h);
		}
	}
	if (!json_object_get(raw, "links"))
		netcfg_error(c, NULL, NULL, NULL, "the network config has no 'links' "
			     "(a list of links is required)");
	check_list(c, raw, "links", check_link);
	value_check_routes(c, json_object_get(raw, "links"));
	check_list(c, raw, "bridges", check_bridge);
	check_list(c, raw, "tunnels", check_tunnel);
	check_list(c, raw, "commands", check_command);
	check_list(c, raw, "hosts", check_host);
	return c->nerrors - before;
}
