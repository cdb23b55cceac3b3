/* validate.c - upstream's schema.yaml as code, every error at once. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "netcfg_int.h"
#include "xwrap.h"

enum vkind {
	V_STR,		/* any string */
	V_ENUM,		/* one of prop->values */
	V_INTF,		/* interface name, 1..15 chars */
	V_CIDR,		/* IPv4 or IPv6 address with /prefix */
	V_IP,		/* IPv4 or IPv6 address */
	V_MAC,
	V_MTU, V_VLANID, V_VNI,	/* integers (or strings of digits) in a range */
	V_STRS,		/* a string or a list of strings */
	V_FORWARD,	/* V_STRS of PORT:PORT/tcp|udp */
};

struct prop {
	const char *name;
	enum vkind kind;
	const char *const *values;	/* V_ENUM, NULL-terminated */
};

static const char *const link_types[] = {"veth", "dummy", "vlan", "ipvlan", "ipvtap",
					 "macvlan", "macvtap", NULL};
static const char *const bridge_modes[] = {"auto", "ovs", "linux", "patch", NULL};
static const char *const tunnel_types[] = {"geneve", "vxlan", NULL};

static const struct prop link_props[] = {
	{"type", V_ENUM, link_types}, {"service", V_STR, NULL}, {"container", V_STR, NULL},
	{"bridge", V_STR, NULL}, {"outer-dev", V_INTF, NULL}, {"dev", V_INTF, NULL},
	{"ip", V_CIDR, NULL}, {"mac", V_MAC, NULL}, {"mtu", V_MTU, NULL},
	{"route", V_STRS, NULL}, {"nat", V_IP, NULL}, {"netem", V_STRS, NULL},
	{"mode", V_STR, NULL}, {"vlanid", V_VLANID, NULL}, {"forward", V_FORWARD, NULL},
	{"ethtool", V_STRS, NULL}, {NULL, 0, NULL},
};
static const struct prop bridge_props[] = {
	{"bridge", V_STR, NULL}, {"mode", V_ENUM, bridge_modes}, {NULL, 0, NULL},
};
static const struct prop tunnel_props[] = {
	{"type", V_ENUM, tunnel_types}, {"bridge", V_STR, NULL}, {"remote", V_IP, NULL},
	{"vni", V_VNI, NULL}, {"netem", V_STRS, NULL}, {NULL, 0, NULL},
};
static const struct prop command_props[] = {
	{"service", V_STR, NULL}, {"container", V_STR, NULL}, {"command", V_STRS, NULL},
	{NULL, 0, NULL},
};

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*cur));
	}
	return prev[lb];
}

/* The closest name within reach of a typo, or NULL. */
static const char *closest(const char *word, const char *const *names, size_t stride)
{
	const char *best = NULL;
	size_t bestd = 3;

	for (const char *const *n = names; *n; n = (const char *const *)((const char *)n + stride)) {
		size_t d = edit_distance(word, *n);

		if (d < bestd && d < strlen(*n)) {
			bestd = d;
			best = *n;
		}
	}
	return best;
}

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
	const char *c = closest(word, names, stride);

	return c ? xasprintf(" (did you mean '%s'?)", c) : xstrdup("");
}

static bool is_ip(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static bool is_cidr(const char *s)
{
	const char *slash = strchr(s, '/');
	char addr[64];
	unsigned char b[16];
	char *end;

	if (!slash || slash == s || (size_t)(slash - s) >= sizeof(addr) || !isdigit(slash[1]))
		return false;
	memcpy(addr, s, slash - s);
	addr[slash - s] = 0;
	long pfx = strtol(slash + 1, &end, 10);

	if (*end)
		return false;
	if (inet_pton(AF_INET, addr, b) == 1)
		return pfx <= 32;
	return inet_pton(AF_INET6, addr, b) == 1 && pfx <= 128;
}

static bool is_mac(const char *s)
{
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return !s[17];
}

static bool is_forward(const char *s)
{
	char *end;
	long a = strtol(s, &end, 10);

	if (end == s || !isdigit(*s) || *end != ':' || a < 1 || a > 65535)
		return false;
	s = end + 1;
	long b = strtol(s, &end, 10);

	if (end == s || !isdigit(*s) || *end != '/' || b < 1 || b > 65535)
		return false;
	return !strcmp(end + 1, "tcp") || !strcmp(end + 1, "udp");
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

static void check_value(struct netcfg_ctx *c, json_t *item, const struct prop *p,
			json_t *v, const char *path)
{
	const char *s = json_string_value(v);
	const char *expected = NULL;
	char *exp_alloc = NULL;

	switch (p->kind) {
	case V_STR:
		if (!s)
			expected = "a string";
		break;
	case V_ENUM:
		for (const char *const *e = p->values; s && *e; e++)
			if (!strcmp(s, *e))
				return;
		{
			char *names = join_names(p->values, sizeof(char *));
			char *h = s ? hint(s, p->values, sizeof(char *)) : xstrdup("");

			exp_alloc = xasprintf("one of %s%s", names, h);
			free(names);
			free(h);
			expected = exp_alloc;
		}
		break;
	case V_INTF:
		if (!s || !*s || strlen(s) > 15)
			expected = "an interface name of 1 to 15 characters";
		break;
	case V_CIDR:
		if (!s || !is_cidr(s))
			expected = "an IP address with a prefix length (CIDR, e.g. 10.0.1.1/24)";
		break;
	case V_IP:
		if (!s || !is_ip(s))
			expected = "an IP address";
		break;
	case V_MAC:
		if (!s || !is_mac(s))
			expected = "a MAC address (e.g. 00:0a:0b:0c:0d:01)";
		break;
	case V_MTU:
		if (!check_int(item, p->name, v, 68, 65535))
			expected = "an MTU (a number, 68..65535)";
		break;
	case V_VLANID:
		if (!check_int(item, p->name, v, 0, 4095))
			expected = "a VLAN id (a number, 0..4095)";
		break;
	case V_VNI:
		if (!check_int(item, p->name, v, 0, 16777215))
			expected = "a VNI (a number, 0..16777215)";
		break;
	case V_STRS:
	case V_FORWARD: {
		const char *what = p->kind == V_FORWARD ?
			"PORT:PORT/tcp or PORT:PORT/udp (or a list of them)" :
			"a string or a list of strings";
		json_t *e;
		size_t i;

		if (json_is_string(v)) {
			if (p->kind == V_FORWARD && !is_forward(s))
				expected = what;
			break;
		}
		if (!json_is_array(v)) {
			expected = what;
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
			free(f);
			free(ep);
		}
		break;
	}
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

static void check_link(struct netcfg_ctx *c, json_t *link, const char *path)
{
	if (!check_item(c, link, link_props, path, "link"))
		return;
	exactly_one_owner(c, link, path);

	const char *type = json_string_value(json_object_get(link, "type"));
	char *why;

	if (!type)
		type = "veth";
	if (!strcmp(type, "veth")) {
		need(c, link, path, "bridge", " (a veth link needs a bridge)");
		forbid(c, link, path, "mode", "on a veth link");
		forbid(c, link, path, "vlanid", "on a veth link");
		return;
	}
	why = xasprintf("on a %s link (only veth links have a bridge)", type);
	forbid(c, link, path, "bridge", why);
	free(why);
	if (!strcmp(type, "vlan")) {
		need(c, link, path, "vlanid", " (a vlan link needs a VLAN id)");
	} else {
		why = xasprintf("on a %s link (only vlan links have one)", type);
		forbid(c, link, path, "vlanid", why);
		free(why);
	}
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

static void check_tunnel(struct netcfg_ctx *c, json_t *t, const char *path)
{
	if (!check_item(c, t, tunnel_props, path, "tunnel"))
		return;
	need(c, t, path, "type", " (geneve or vxlan)");
	need(c, t, path, "bridge", "");
	need(c, t, path, "remote", " (an IP address)");
	need(c, t, path, "vni", " (a number)");
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
	static const char *const top[] = {"links", "bridges", "tunnels", "commands", NULL};
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
				     "expected links, bridges, tunnels or commands", k, h);
			free(h);
		}
	}
	if (!json_object_get(raw, "links"))
		netcfg_error(c, NULL, NULL, NULL, "the network config has no 'links' "
			     "(a list of links is required)");
	check_list(c, raw, "links", check_link);
	check_list(c, raw, "bridges", check_bridge);
	check_list(c, raw, "tunnels", check_tunnel);
	check_list(c, raw, "commands", check_command);
	return c->nerrors - before;
}
