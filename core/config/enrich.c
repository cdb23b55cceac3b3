/* enrich.c - defaults, bridge modes, stable MACs: the --show-config shape. */
#include <stdint.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "forward.h"
#include "link.h"
#include "log.h"
#include "netcfg_int.h"
#include "xwrap.h"

/* The stable MAC of a link: c2 + 5 bytes of FNV-1a 64 of "NAME:DEV", or
 * of "NAME:DEV IP" when the link has an ip. The ip is there for one config
 * run on two hosts joined by a tunnel (upstream's test5: the same compose
 * file on each, only the node's ip differs): their nodes share one layer 2
 * and must not share a MAC (upstream's are random). Two interfaces with
 * one ip on one layer 2 are broken anyway. */
static void netcfg_stable_mac(const char *name, const char *dev, const char *ip, char out[18])
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a 64 */
	const char *parts[5] = {name, ":", dev, ip ? " " : "", ip ? ip : ""};

	for (int p = 0; p < 5; p++)
		for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
			h ^= *s;
			h *= 0x100000001b3ULL;
		}
	snprintf(out, 18, "c2:%02x:%02x:%02x:%02x:%02x",
		 (unsigned)(h >> 32) & 0xff, (unsigned)(h >> 24) & 0xff,
		 (unsigned)(h >> 16) & 0xff, (unsigned)(h >> 8) & 0xff, (unsigned)h & 0xff);
}

static json_t *as_list(json_t *v)
{
	if (json_is_string(v)) {
		json_t *l = json_array();

		json_array_append(l, v);
		return l;
	}
	return json_incref(v);
}

const char *const netcfg_bridge_modes[] = {"auto", "ovs", "linux", "patch", NULL};

/* Resolve one bridge's mode; NULL after an error. */
static json_t *enrich_bridge(struct netcfg_ctx *c, json_t *given, const char *name)
{
	json_t *b = given ? json_deep_copy(given) : json_object();
	json_t *modev = json_object_get(given, "mode");
	const char *mode = json_string_value(modev);

	json_object_set_new(b, "bridge", json_string(name));
	if (!mode)
		mode = c->opts->default_bridge_mode;
	if (!strcmp(mode, "ovs") && !c->ovs_loaded) {
		char *p = xasprintf("%s.mode", netcfg_origin(c, given));

		netcfg_error(c, modev, given, modev ? p : NULL, "bridge %s mode is 'ovs', "
			     "but no 'openvswitch' kernel module loaded", name);
		free(p);
	} else if (!strcmp(mode, "auto")) {
		if (!c->ovs_loaded)
			log_warn("bridge %s mode is 'auto', but no 'openvswitch' kernel module "
				 "loaded, so falling back to 'linux'", name);
		mode = c->ovs_loaded ? "ovs" : "linux";
	}
	json_object_set_new(b, "mode", json_string(mode));
	return b;
}

static json_t *enrich_bridges(struct netcfg_ctx *c, json_t *raw)
{
	json_t *given = json_object(), *out = json_object(), *b;
	const char *lists[] = {"links", "tunnels"};
	size_t i;

	json_array_foreach(json_object_get(raw, "bridges"), i, b) {
		const char *name = json_string_value(json_object_get(b, "bridge"));

		if (!json_object_get(given, name))
			json_object_set(given, name, b);
		else	/* a later entry for the same bridge adds to it */
			netcfg_deep_merge(json_object_get(given, name), b);
	}
	for (size_t l = 0; l < 2; l++) {
		json_t *item;

		json_array_foreach(json_object_get(raw, lists[l]), i, item) {
			const char *name = json_string_value(json_object_get(item, "bridge"));

			if (name && !json_object_get(given, name))
				json_object_set_new(given, name, json_null());
		}
	}
	const char *name;

	json_object_foreach(given, name, b)
		json_object_set_new(out, name, enrich_bridge(c, json_is_null(b) ? NULL : b, name));
	json_decref(given);
	return out;
}

static void check_forward(struct netcfg_ctx *c, json_t *link, const struct link_kind *k,
			  json_t *bridge, const char *id)
{
	json_t *fwd = json_object_get(link, "forward");
	const char *mode = json_string_value(json_object_get(bridge, "mode"));
	char *p = xasprintf("%s.forward", netcfg_origin(c, fwd));

	if (!(k->takes & LINK_P_FORWARD)) {
		char *types = xstrdup("");

		for (size_t i = 0; link_kinds[i]; i++) {
			char *t;

			if (link_kinds[i]->role != LINK_ROLE_LINK ||
			    !(link_kinds[i]->takes & LINK_P_FORWARD))
				continue;
			t = xasprintf("%s%s%s", types, *types ? " or " : "", link_kinds[i]->name);
			free(types);
			types = t;
		}
		netcfg_error(c, fwd, link, p, "link '%s' has forward setting but is not "
			     "of type %s", id, types);
		free(types);
	}
	else if (!mode || (strcmp(mode, "ovs") && strcmp(mode, "linux")))
		netcfg_error(c, fwd, link, p, "link '%s' has forward setting but bridge "
			     "mode is not 'ovs' or 'linux'", id);
	const char *ip = json_string_value(json_object_get(link, "ip"));
	struct ipaddr addr;

	if (!ip)
		netcfg_error(c, fwd, link, p, "link '%s' has forward setting but does not "
			     "have IP", id);
	else if (addr_parse(ip, &addr) == 0 && addr.family != AF_INET)
		netcfg_error(c, fwd, link, p, "link '%s' has forward setting but its ip "
			     "%s is not IPv4 (forwards are IPv4 only)", id, ip);
	free(p);
}

static json_t *forward_triples(json_t *fwd)
{
	json_t *out = json_array(), *l = as_list(fwd), *e;
	size_t i;

	json_array_foreach(l, i, e) {
		struct nat_forward fw = {0};

		forward_parse(json_string_value(e), &fw);	/* validated */
		json_array_append_new(out, json_pack("[iis]", (int)fw.port_a, (int)fw.port_b,
						     forward_proto_name(fw.proto)));
	}
	json_decref(l);
	return out;
}

static json_t *enrich_link(struct netcfg_ctx *c, json_t *in, json_t *bridges)
{
	json_t *link = json_copy(in), *v;
	const char *type = json_string_value(json_object_get(in, "type"));
	const char *dev = json_string_value(json_object_get(in, "dev"));
	const char *who = json_string_value(json_object_get(in, "service"));
	const char *bname = json_string_value(json_object_get(in, "bridge"));
	json_t *bridge = bname ? json_object_get(bridges, bname) : NULL;
	json_t *ethtool = json_array();

	if (!who)
		who = json_string_value(json_object_get(in, "container"));
	const struct link_kind *k;

	if (!type)
		type = NETCFG_DEFAULT_TYPE;
	if (!dev)
		dev = NETCFG_DEFAULT_DEV;
	k = link_kind_find(type);	/* validated: a link kind */
	json_object_set_new(link, "type", json_string(type));
	json_object_set_new(link, "dev", json_string(dev));
	json_object_set_new(link, "base", json_string(link_base_name(k->base)));
	if (bridge)
		json_object_set(link, "bridge", bridge);
	if (!json_object_get(in, "mac") && (k->takes & LINK_P_MAC)) {
		char mac[18];

		netcfg_stable_mac(who, dev, json_string_value(json_object_get(in, "ip")), mac);
		json_object_set_new(link, "mac", json_string(mac));
	}
	/* on a parent the MTU is the parent's, known only when it is made; on
	 * a bridge meshed across hosts, what the tunnel leaves (hosts.c) */
	if (k->base != LINK_BASE_HOST && !json_object_get(in, "mtu"))
		json_object_set_new(link, "mtu", json_object_get(bridge, "mtu") ?
				    json_incref(json_object_get(bridge, "mtu")) :
				    json_integer(c->opts->default_mtu));
	/* the veth kinds: checksums of a veth into a bridge (upstream's tx off) */
	if (k->base == LINK_BASE_CONLINK && !c->opts->keep_veth_offload)
		json_array_append_new(ethtool, json_string("--offload tx off"));
	if ((v = json_object_get(in, "ethtool"))) {
		json_t *l = as_list(v);

		json_array_extend(ethtool, l);
		json_decref(l);
	}
	json_object_set_new(link, "ethtool", ethtool);
	if ((v = json_object_get(in, "route")))
		json_object_set_new(link, "route", as_list(v));
	if ((v = json_object_get(in, "netem")))
		json_object_set_new(link, "netem", as_list(v));
	if ((v = json_object_get(in, "forward"))) {
		char *id = netcfg_link_id(who, dev);

		check_forward(c, in, k, bridge, id);
		free(id);
		json_object_set_new(link, "forward", forward_triples(v));
	}
	return link;
}

/* Append x to out[kind][name][list], creating the levels. */
static void file_under(json_t *out, const char *kind, const char *name, const char *list,
		       json_t *x)
{
	json_t *k = json_object_get(out, kind), *n, *l;

	if (!(n = json_object_get(k, name))) {
		n = json_object();
		json_object_set_new(k, name, n);
	}
	if (!(l = json_object_get(n, list))) {
		l = json_array();
		json_object_set_new(n, list, l);
	}
	json_array_append(l, x);
}

static void file_by_owner(json_t *out, const char *list, json_t *x)
{
	const char *s = json_string_value(json_object_get(x, "service"));
	const char *ct = json_string_value(json_object_get(x, "container"));

	if (ct)
		file_under(out, "containers", ct, list, x);
	if (s)
		file_under(out, "services", s, list, x);
}

json_t *netcfg_enrich(struct netcfg_ctx *c, json_t *raw)
{
	const char *dm = c->opts->default_bridge_mode;
	json_t *out, *bridges, *tunnels, *item, *patch_count, *hosts;
	size_t i, m;
	const char *name;

	for (m = 0; netcfg_bridge_modes[m] && strcmp(netcfg_bridge_modes[m], dm); m++)
		;
	if (!netcfg_bridge_modes[m]) {
		char *list = xstrdup("");

		for (m = 0; netcfg_bridge_modes[m]; m++) {
			char *t = xasprintf("%s%s%s", list, m ? ", " : "", netcfg_bridge_modes[m]);

			free(list);
			list = t;
		}
		netcfg_error(c, NULL, NULL, "--default-bridge-mode", "found '%s', expected "
			     "one of %s", dm, list);
		free(list);
		return NULL;
	}
	bridges = enrich_bridges(c, raw);
	hosts = netcfg_hosts_plan(c, raw, bridges);
	tunnels = json_object_get(raw, "tunnels");
	out = json_pack("{s:o, s:O, s:{}, s:{}}", "bridges", bridges,
			"tunnels", tunnels ? tunnels : json_array(), "containers", "services");
	if (!tunnels)	/* json_pack's O took its own reference to the new array */
		json_decref(json_object_get(out, "tunnels"));
	patch_count = json_object();
	json_array_foreach(json_object_get(raw, "links"), i, item) {
		json_t *link = enrich_link(c, item, bridges);
		json_t *b = json_object_get(link, "bridge");

		if (b && !strcmp(json_string_value(json_object_get(b, "mode")), "patch")) {
			const char *bn = json_string_value(json_object_get(b, "bridge"));
			json_int_t n = json_integer_value(json_object_get(patch_count, bn)) + 1;

			json_object_set_new(patch_count, bn, json_integer(n));
			if (n == 3) {
				char *p = xasprintf("%s.bridge", netcfg_origin(c, item));

				netcfg_error(c, json_object_get(item, "bridge"), item, p,
					     "patch bridge %s has more than two links", bn);
				free(p);
			}
		}
		file_by_owner(out, "links", link);
		json_decref(link);
	}
	json_decref(patch_count);
	netcfg_check_ifnames(c, raw, bridges);
	json_array_foreach(json_object_get(raw, "commands"), i, item)
		file_by_owner(out, "commands", item);
	if (hosts)
		netcfg_hosts_place(out, hosts);
	(void)name;
	if (c->nerrors) {
		json_decref(out);
		return NULL;
	}
	return out;
}
