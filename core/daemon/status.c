/* status.c - state table + kernel facts as one JSON object (see status.h). */
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "events_log.h"
#include "link.h"
#include "link_live.h"
#include "mesh.h"
#include "nl.h"
#include "sources.h"
#include "state.h"
#include "status.h"
#include "timeline.h"

static const json_t *config;
static int self_ns = -1;
static const char *instance;

void status_init(const json_t *cfg, int ns, const char *inst)
{
	config = cfg;
	self_ns = ns;
	instance = inst;
}

/* Sockets of one status call: conlink's namespace, the host's. */
struct socks {
	struct {
		int ns;
		struct nl nl;
		int ok;
	} s[2];
	int n;
};

static struct nl *sock_for(struct socks *k, int ns)
{
	for (int i = 0; i < k->n; i++)
		if (k->s[i].ns == ns)
			return k->s[i].ok ? &k->s[i].nl : NULL;
	if (k->n == 2)
		return NULL;
	k->s[k->n].ns = ns;
	k->s[k->n].ok = nl_open(&k->s[k->n].nl, NETLINK_ROUTE, ns) == 0;
	return k->s[k->n].ok ? &k->s[k->n++].nl : (k->n++, NULL);
}

static void socks_close(struct socks *k)
{
	for (int i = 0; i < k->n; i++)
		if (k->s[i].ok)
			nl_close(&k->s[i].nl);
}

static json_t *mac_json(const struct link_live *l)
{
	char mac[18];

	if (!l->has_mac)
		return json_null();
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", l->mac[0], l->mac[1],
		 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	return json_string(mac);
}

json_t *status_stats_json(const struct rtnl_link_stats64 *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
			 "rx_bytes", (json_int_t)s->rx_bytes,
			 "rx_packets", (json_int_t)s->rx_packets,
			 "rx_dropped", (json_int_t)s->rx_dropped,
			 "tx_bytes", (json_int_t)s->tx_bytes,
			 "tx_packets", (json_int_t)s->tx_packets,
			 "tx_dropped", (json_int_t)s->tx_dropped);
}

/* carrier, mac, mtu, addresses of the interface L (found on NL). */
static void live_fields(json_t *o, struct nl *nl, const struct link_live *l)
{
	json_t *addrs = json_array();

	json_object_set_new(o, "up", json_boolean(l->flags & IFF_UP));
	json_object_set_new(o, "carrier", json_boolean(l->flags & IFF_LOWER_UP));
	json_object_set_new(o, "mac", mac_json(l));
	json_object_set_new(o, "mtu", json_integer(l->mtu));
	if (addrs && link_live_addrs(nl, l->index, addrs) == 0)
		json_object_set_new(o, "addresses", addrs);
	else
		json_decref(addrs);
}

struct walk {
	struct socks socks;
	json_t *links, *tunnels;
};

static void one_link(const struct link_view *v, void *arg)
{
	struct walk *w = arg;
	const char *type = json_string_value(json_object_get(v->cfg, "type"));
	const struct link_kind *k = link_kind_find(type);
	const json_t *netem = json_object_get(v->cfg, "netem");
	json_t *o = json_pack("{s:s, s:s*, s:s*, s:s*, s:i, s:s*, s:s*, s:s, s:s, s:s, s:s*, "
			      "s:s*, s:I}",
			      "link", v->link, "container", v->container, "id", v->id,
			      "service", v->service, "replica", v->replica, "type", type,
			      "dev", v->dev, "outer_dev", v->outer_dev, "bridge", v->bridge,
			      "state", v->state, "error", v->error, "drift", v->drift,
			      "heals", (json_int_t)v->heals);
	struct link_live dev, outer;
	struct nl cnl, *onl = NULL;
	int have_dev = 0, have_outer = 0;

	if (!o)
		return;
	/* the netem in force: set at run time ("": removed), else configured */
	if (v->netem_now)
		json_object_set_new(o, "netem", *v->netem_now ? json_string(v->netem_now)
							      : json_null());
	else
		json_object_set(o, "netem", netem ? (json_t *)netem : json_null());
	json_object_set_new(o, "netem_changed", json_boolean(v->netem_now));
	json_object_set_new(o, "admin", json_string(v->admin_down ? "down" : "up"));
	if (v->timeline)
		json_object_set_new(o, "timeline", timeline_status(v->timeline));
	if (v->outer_ns >= 0 && v->outer_dev[0] && (onl = sock_for(&w->socks, v->outer_ns)))
		have_outer = link_live_get(onl, v->outer_dev, &outer) == 0;
	if (v->tunnel) {
		if (have_outer)
			live_fields(o, onl, &outer);
	} else if (v->cont_ns >= 0 && v->dev && nl_open(&cnl, NETLINK_ROUTE, v->cont_ns) == 0) {
		have_dev = link_live_get(&cnl, v->dev, &dev) == 0;
		if (have_dev)
			live_fields(o, &cnl, &dev);
		nl_close(&cnl);
	}
	/* the outer end's counters where it is ours alone (a veth's end, a
	 * tunnel); a parent interface (macvlan, vlan) carries others' too */
	if (have_outer && outer.has_stats && (v->tunnel || (k && k->base == LINK_BASE_CONLINK)))
		json_object_set_new(o, "stats", status_stats_json(&outer.stats));
	else if (have_dev && dev.has_stats)
		json_object_set_new(o, "stats", status_stats_json(&dev.stats));
	json_array_append_new(v->tunnel ? w->tunnels : w->links, o);
}

static json_t *bridges_json(struct socks *k)
{
	json_t *arr = json_array();
	const char *name;
	json_t *br;
	struct nl *nl = sock_for(k, self_ns);

	json_object_foreach((json_t *)json_object_get(config, "bridges"), name, br) {
		struct link_live l;
		json_t *o = json_pack("{s:s, s:s*}", "name", name, "mode",
				      json_string_value(json_object_get(br, "mode")));
		int exists = nl && link_live_get(nl, name, &l) == 0;

		if (!o)
			continue;
		json_object_set_new(o, "exists", json_boolean(exists));
		if (exists) {
			json_object_set_new(o, "up", json_boolean(l.flags & IFF_UP));
			json_object_set_new(o, "carrier", json_boolean(l.flags & IFF_LOWER_UP));
			json_object_set_new(o, "mac", mac_json(&l));
			json_object_set_new(o, "mtu", json_integer(l.mtu));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *status_json(void)
{
	struct walk w = { .links = json_array(), .tunnels = json_array() };
	struct state_counts c;
	json_t *out;

	state_counts_get(&c);
	state_links_each(one_link, &w);
	out = json_pack("{s:s, s:s*, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
			"s:o, s:o, s:o}",
			"instance", instance, "project", state_compose_project(),
			"summary", "expected", (json_int_t)c.expected, "made", (json_int_t)c.made,
			"failed", (json_int_t)c.failed, "retrying", (json_int_t)c.retrying,
			"pending", (json_int_t)c.pending, "drifted", (json_int_t)c.drifted,
			"heals", (json_int_t)(c.heals + mesh_heals()), "containers", (json_int_t)c.containers,
			"events", (json_int_t)events_count(),
			"engine_reconnects", (json_int_t)engine_stream_reconnects(),
			"links", w.links, "bridges", bridges_json(&w.socks), "tunnels", w.tunnels);
	if (out) {
		json_object_set_new(out, "mesh", mesh_status());
		if (mesh_host())	/* multi-host: whose status this is */
			json_object_set_new(out, "host", json_string(mesh_host()));
	}
	socks_close(&w.socks);
	return out;
}
