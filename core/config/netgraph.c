/* netgraph.c - the graph net2dot draws, built from a --show-config JSON and
 * marked with a daemon's status (netgraph.h). Follows upstream conlink's
 * net2dot for what is drawn and how interfaces are named. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "linkname.h"
#include "netcfg.h"
#include "netgraph.h"
#include "xwrap.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of an object, sorted, NULL-terminated. */
static const char **sorted_keys(json_t *obj)
{
	const char **keys = xmalloc((json_object_size(obj) + 1) * sizeof(*keys));
	const char *k;
	json_t *v;
	size_t n = 0;

	json_object_foreach(obj, k, v)
		keys[n++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	keys[n] = NULL;
	return keys;
}

static const char *str(const json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : dflt;
}

static void add_intf(struct netgraph *g, const char *name, bool service, const char *host,
		     json_t *l)
{
	struct ng_intf *f;

	g->intf = xrealloc(g->intf, (g->n + 1) * sizeof(*g->intf));
	f = &g->intf[g->n++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->service = service;
	f->host = host;
	f->owner = service ? xasprintf("S_%s", name) : xstrdup(name);
	f->dev = str(l, "dev", "eth0");
	f->type = str(l, "type", "veth");
	f->base = str(l, "base", "conlink");
	f->bridge = str(json_object_get(l, "bridge"), "bridge", NULL);
	f->dev_id = linkname_id(f->owner, f->dev);
	if (!f->dev_id)
		error_exit("out of memory");
	if (json_object_get(l, "outer-dev")) {
		f->outer_dev = xstrdup(str(l, "outer-dev", ""));
	} else if (strcmp(f->base, "local")) {
		char od[IFNAMSIZ];

		/* the first replica's, named by the service */
		linkname_outer(od, service ? name : NULL, service ? NULL : name, 1, name, f->dev);
		f->outer_dev = xstrdup(od);
	}
	f->has_vlanid = json_is_integer(json_object_get(l, "vlanid"));
	f->vlanid = json_integer_value(json_object_get(l, "vlanid"));
}

/* The hosts (sorted) and each bridge's mesh (bridges in name order). */
static void add_hosts(struct netgraph *g, json_t *hosts, json_t *bridges)
{
	const char **names = sorted_keys(hosts);
	size_t n;

	for (n = 0; names[n]; n++)
		;
	g->hosts = xmalloc(n * sizeof(*g->hosts));
	for (g->nhosts = 0; g->nhosts < n; g->nhosts++)
		g->hosts[g->nhosts] = (struct ng_host){
			names[g->nhosts],
			str(json_object_get(hosts, names[g->nhosts]), "address", "?") };
	free(names);
	names = sorted_keys(bridges);
	for (n = 0; names[n]; n++)
		;
	g->mesh = xmalloc((n + 1) * sizeof(*g->mesh));
	for (const char **b = names; *b; b++) {
		const json_t *br = json_object_get(bridges, *b);
		const json_t *hs = json_object_get(br, "hosts");

		if (!str(br, "mesh", NULL) || json_array_size(hs) < 2)
			continue;	/* on one host: no mesh */
		g->mesh[g->nmesh++] = (struct ng_mesh){
			*b, str(br, "mesh", NULL),
			json_integer_value(json_object_get(br, "vni")), hs };
	}
	free(names);
}

bool netgraph_here(const char *item_host, const char *host)
{
	return !host || !item_host || !strcmp(item_host, host);
}

bool netgraph_bridge_here(const struct netgraph *g, const char *bridge, const char *host)
{
	if (!host)
		return true;
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->intf[i].base, "conlink") && g->intf[i].bridge &&
		    !strcmp(g->intf[i].bridge, bridge) && netgraph_here(g->intf[i].host, host))
			return true;
	for (size_t i = 0; i < g->ntun; i++)
		if (g->tun[i].bridge && !strcmp(g->tun[i].bridge, bridge) &&
		    netgraph_here(g->tun[i].host, host))
			return true;
	return false;
}

long netgraph_mesh_pos(const struct ng_mesh *m, const char *host)
{
	const json_t *h;
	size_t i;

	json_array_foreach(m->hosts, i, h)
		if (json_is_string(h) && !strcmp(json_string_value(h), host))
			return (long)i;
	return -1;
}

void netgraph_mesh_dev(const struct ng_mesh *m, size_t peer, char dev[IFNAMSIZ])
{
	netcfg_mesh_dev(m->kind, m->vni, peer, dev);
}

int netgraph_build(struct netgraph *g, json_t *cfg)
{
	static const char *const kinds[] = {"containers", "services"};
	json_t *tunnels = json_object_get(cfg, "tunnels"), *t, *bridges;
	json_t *hosts = json_object_get(cfg, "hosts");
	size_t i;

	memset(g, 0, sizeof(*g));
	if (!json_is_object(cfg) || !json_is_object(json_object_get(cfg, "bridges")))
		return err_fail(EINVAL, "not a conlink --show-config JSON (no \"bridges\" mapping)");
	g->cfg = cfg;
	for (int k = 0; k < 2; k++) {
		json_t *map = json_object_get(cfg, kinds[k]), *l;
		const char **names = sorted_keys(map);

		for (const char **name = names; *name; name++) {
			json_t *owner = json_object_get(map, *name);

			json_array_foreach(json_object_get(owner, "links"), i, l)
				add_intf(g, *name, k, hosts ? str(owner, "host", NULL) : NULL, l);
		}
		free(names);
	}
	g->tun = xmalloc((json_array_size(tunnels) + 1) * sizeof(*g->tun));
	memset(g->tun, 0, (json_array_size(tunnels) + 1) * sizeof(*g->tun));
	json_array_foreach(tunnels, i, t) {
		struct ng_tunnel *u = &g->tun[g->ntun++];

		linkname_tunnel(u->name, str(t, "type", "tunnel"),
				json_integer_value(json_object_get(t, "vni")));
		u->bridge = str(t, "bridge", NULL);
		u->remote = str(t, "remote", "?");
		u->host = hosts ? str(t, "host", NULL) : NULL;
	}
	if (json_object_size(hosts))
		add_hosts(g, hosts, json_object_get(cfg, "bridges"));
	/* a set of names as a JSON object's keys, copied out sorted */
	bridges = json_object();
	for (i = 0; i < g->n; i++)
		if (!strcmp(g->intf[i].base, "conlink") && g->intf[i].bridge)
			json_object_set_new(bridges, g->intf[i].bridge, json_true());
	for (i = 0; i < g->ntun; i++)
		if (g->tun[i].bridge)
			json_object_set_new(bridges, g->tun[i].bridge, json_true());
	g->bridges = (char **)sorted_keys(bridges);
	for (i = 0; g->bridges[i]; i++)
		g->bridges[i] = xstrdup(g->bridges[i]);
	json_decref(bridges);
	return 0;
}

const char *netgraph_bridge_mode(const struct netgraph *g, const char *bridge)
{
	return str(json_object_get(json_object_get(g->cfg, "bridges"), bridge), "mode", NULL);
}

/* States, least to most worrying: an edge's colour is its worst replica's. */
static const struct {
	const char *state, *colour;
	bool dashed;
} states[] = {
	{"made", "#2e7d32", false},
	{"waiting", "#757575", true},
	{"pending", "#757575", true},
	{"down", "#6a1b9a", true},	/* taken down on purpose */
	{"drifted", "#ef6c00", true},	/* changed by hand since made */
	{"retrying", "#f9a825", true},
	{"failed", "#c62828", false},
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

static size_t rank(const char *state)
{
	for (size_t i = 0; i < NSTATES; i++)
		if (!strcmp(states[i].state, state))
			return i;
	return NSTATES - 2;	/* unknown: as worrying as retrying */
}

const char *netgraph_state_colour(const char *state, bool *dashed)
{
	size_t r = rank(state ? state : "");

	*dashed = states[r].dashed;
	return states[r].colour;
}

/* A status link's netem as text: the config's string, or its words. */
static char *netem_text(const json_t *netem)
{
	char *s = NULL;
	size_t i;
	json_t *w;

	if (json_is_string(netem))
		return *json_string_value(netem) ? xstrdup(json_string_value(netem)) : NULL;
	json_array_foreach(netem, i, w) {
		char *t = xasprintf("%s%s%s", s ? s : "", s ? ", " : "",
				    json_is_string(w) ? json_string_value(w) : "?");

		free(s);
		s = t;
	}
	return s;
}

/* A status link's state as drawn: "down" when taken down on purpose
 * (admin, ctl link LINK down: its state stays "made"). */
static const char *shown_state(const json_t *l)
{
	return !strcmp(str(l, "admin", ""), "down") ? "down" : str(l, "state", "?");
}

/* One status link's words: "made", "drifted (down)", "2 failed" with the
 * replica number when REPLICAS. */
static char *state_words(const json_t *l, bool replicas)
{
	const char *state = shown_state(l), *drift = str(l, "drift", NULL);
	char rep[24] = "";

	if (replicas)
		snprintf(rep, sizeof(rep), "%lld ", (long long)json_integer_value(
			json_object_get(l, "replica")));
	return drift ? xasprintf("%s%s (%s)", rep, state, drift) : xasprintf("%s%s", rep, state);
}

/* Mark LIVE with the status links in ARR that MATCH(link, ARG). */
static void mark(struct ng_live *live, const json_t *arr, bool replicas,
		 bool (*match)(const json_t *l, const void *arg), const void *arg)
{
	char *words = NULL, *netem = NULL;
	size_t i, worst = 0, n = 0;
	json_t *l;

	json_array_foreach(arr, i, l) {
		char *w, *t;

		if (!match(l, arg))
			continue;
		w = state_words(l, replicas);
		t = xasprintf("%s%s%s", words ? words : "", words ? ", " : "", w);
		free(words);
		free(w);
		words = t;
		if (!n++ || rank(shown_state(l)) > worst)
			worst = rank(shown_state(l));
		if (!netem && (netem = netem_text(json_object_get(l, "netem"))) &&
		    json_is_true(json_object_get(l, "netem_changed"))) {
			char *was = netem;

			netem = xasprintf("%s (set at run time)", was);
			free(was);
		}
	}
	if (!n) {
		live->label = xstrdup("not in status");
		live->worst = "waiting";
		return;
	}
	live->worst = states[worst].state;
	live->label = netem ? xasprintf("%s\nnetem %s", words, netem) : xstrdup(words);
	free(words);
	free(netem);
}

static bool is_container_link(const json_t *l, const void *arg)
{
	const struct ng_intf *f = arg;

	return !json_string_value(json_object_get(l, "service")) &&
	       !strcmp(str(l, "link", ""), f->dev_id);
}

static bool is_service_link(const json_t *l, const void *arg)
{
	const struct ng_intf *f = arg;

	return !strcmp(str(l, "service", ""), f->name) && !strcmp(str(l, "dev", ""), f->dev);
}

static bool is_tunnel(const json_t *l, const void *arg)
{
	return !strcmp(str(l, "link", ""), arg);
}

/* A service with more than one replica in ARR: its labels number them. */
static bool has_replicas(const json_t *arr, const struct ng_intf *f)
{
	size_t i, n = 0;
	json_t *l;

	json_array_foreach(arr, i, l)
		n += is_service_link(l, f);
	return n > 1;
}

void netgraph_mark(struct netgraph *g, const json_t *status)
{
	const json_t *links = json_object_get(status, "links");

	g->live = true;
	for (size_t i = 0; i < g->n; i++) {
		struct ng_intf *f = &g->intf[i];

		if (f->service)
			mark(&f->live, links, has_replicas(links, f), is_service_link, f);
		else
			mark(&f->live, links, false, is_container_link, f);
	}
	for (size_t i = 0; i < g->ntun; i++)
		mark(&g->tun[i].live, json_object_get(status, "tunnels"), false, is_tunnel,
		     g->tun[i].name);
	g->status_mesh = json_object_get(status, "mesh");
	g->status_host = str(status, "host", NULL);
}

const struct ng_live *netgraph_tunnel_live(const struct netgraph *g, const struct ng_tunnel *t,
					   const char *host)
{
	static const struct ng_live elsewhere = { "not in status", "waiting" };

	if (!g->live || !host || !g->status_host || !strcmp(host, g->status_host))
		return &t->live;
	return &elsewhere;
}

/* A mesh tunnel's state (status.c's words) as an edge state's colour. */
static const char *mesh_shown(const char *state)
{
	return !strcmp(state, "up") ? "made" : !strcmp(state, "not-made") ? "waiting"
		: !strcmp(state, "down") ? "down" : "drifted";
}

void netgraph_mesh_live(const struct netgraph *g, const struct ng_mesh *m, size_t a, size_t b,
			struct ng_live *live)
{
	live->label = NULL;
	live->worst = NULL;
	if (!g->live)
		return;
	for (int side = 0; side < 2; side++) {
		size_t self = side ? b : a, peer = side ? a : b;
		const char *host = json_string_value(json_array_get(m->hosts, self));
		char dev[IFNAMSIZ];
		const json_t *e;
		size_t i;

		netgraph_mesh_dev(m, peer, dev);
		json_array_foreach(g->status_mesh, i, e) {
			const char *st = str(e, "state", "?");

			if (!host || strcmp(str(e, "host", ""), host) || strcmp(str(e, "name", ""), dev) ||
			    strcmp(str(e, "bridge", ""), m->bridge))
				continue;
			live->label = xasprintf("%s %s", host, st);
			live->worst = mesh_shown(st);
			return;
		}
	}
	live->label = xstrdup("not in status");
	live->worst = "waiting";
}

void netgraph_free(struct netgraph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->intf[i].owner);
		free(g->intf[i].dev_id);
		free(g->intf[i].outer_dev);
		free(g->intf[i].live.label);
	}
	for (size_t i = 0; i < g->ntun; i++)
		free(g->tun[i].live.label);
	for (size_t i = 0; g->bridges && g->bridges[i]; i++)
		free(g->bridges[i]);
	free(g->bridges);
	free(g->hosts);
	free(g->mesh);
	free(g->intf);
	free(g->tun);
	memset(g, 0, sizeof(*g));
}
