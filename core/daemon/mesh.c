/* mesh.c - this host's share of a many-host config and the tunnels that
 * join its bridges to the other hosts sharing them (see mesh.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "apply.h"
#include "apply_priv.h"
#include "bridge_port.h"
#include "err.h"
#include "events_log.h"
#include "heal.h"
#include "link_live.h"
#include "log.h"
#include "loop.h"
#include "mesh.h"
#include "netcfg.h"
#include "status.h"

struct remote {
	char host[64];
	struct ipaddr addr;
	char dev[IFNAMSIZ];	/* geneve: its own device */
};

/* One tunnel device of a bridge's mesh (vxlan's one, geneve's per remote):
 * what heal.c watches, what status shows. */
struct mesh_dev {
	struct mesh_bridge *m;
	size_t i;		/* its place in undo (geneve: its remote's) */
	long heals;		/* times made again after a change by hand */
	const char *drift;	/* left changed (--no-heal, set down): what */
};

struct mesh_bridge {
	char name[IFNAMSIZ];
	char kind[8];		/* "vxlan" or "geneve" */
	long vni;
	int mtu;
	struct remote *remotes;
	size_t nremote;
	int members;		/* local member links made */
	struct undo **undo;	/* vxlan: [0]; geneve: one per remote; NULL: not made */
	struct mesh_dev *devs;	/* alike */
	struct loop_timer *drop;	/* removal once the last member went */
	struct mesh_bridge *next;
};

static struct mesh_bridge *meshes;
static char local_addr[64];	/* "": the kernel picks the source address */
static char local_host[64];	/* --host-id: status and metrics name it */
static int mesh_ns = -1;

static bool host_in(const json_t *hosts, const char *host)
{
	const json_t *h;
	size_t i;

	json_array_foreach((json_t *)hosts, i, h)
		if (!strcmp(json_string_value(h), host))
			return true;
	return false;
}

json_t *mesh_local_config(const json_t *cfg, const char *host)
{
	static const char *const owners[] = {"containers", "services"};
	json_t *out, *b, *e;
	const char *name;
	size_t i;

	if (!json_object_get(json_object_get(cfg, "hosts"), host)) {
		err_fail(ENOENT, "no host '%s' in the config", host);
		return NULL;
	}
	out = json_pack("{s:O, s:[], s:{}, s:{}, s:{}}", "hosts", json_object_get(cfg, "hosts"),
			"tunnels", "bridges", "containers", "services");
	if (!out) {
		err_fail(ENOMEM, "host %s's config", host);
		return NULL;
	}
	/* a tunnel naming a host is made there only; one naming none, on every host */
	json_array_foreach(json_object_get(cfg, "tunnels"), i, e) {
		const char *th = json_string_value(json_object_get(e, "host"));

		if (!th || !strcmp(th, host))
			json_array_append(json_object_get(out, "tunnels"), e);
	}
	/* a bridge without "hosts" has no member anywhere: a tunnel's, kept */
	json_object_foreach((json_t *)json_object_get(cfg, "bridges"), name, b) {
		const json_t *hs = json_object_get(b, "hosts");

		if (!hs || host_in(hs, host))
			json_object_set(json_object_get(out, "bridges"), name, b);
	}
	for (int k = 0; k < 2; k++)
		json_object_foreach((json_t *)json_object_get(cfg, owners[k]), name, e) {
			const char *h = json_string_value(json_object_get(e, "host"));

			if (h && !strcmp(h, host))
				json_object_set(json_object_get(out, owners[k]), name, e);
		}
	return out;
}

static void mesh_free_one(struct mesh_bridge *m)
{
	free(m->remotes);
	free(m->undo);
	free(m->devs);
	free(m);
}

/* Is ADDR one of this namespace's own addresses? A socket can be bound
 * to it. */
static bool addr_is_here(const char *text)
{
	struct ipaddr ip;
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	int fd, ok;

	if (addr_parse(text, &ip) < 0 ||
	    (fd = socket(ip.family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	if (ip.family == AF_INET) {
		memcpy(&s4.sin_addr, ip.a, 4);
		ok = bind(fd, (struct sockaddr *)&s4, sizeof(s4)) == 0;
	} else {
		memcpy(&s6.sin6_addr, ip.a, 16);
		ok = bind(fd, (struct sockaddr *)&s6, sizeof(s6)) == 0;
	}
	close(fd);
	return ok;
}

int mesh_start(const json_t *cfg, const char *host, int self_ns)
{
	const json_t *hosts = json_object_get(cfg, "hosts");
	const char *addr = json_string_value(json_object_get(json_object_get(hosts, host),
							     "address"));
	const char *name;
	json_t *b;

	if (!addr)
		return err_fail(ENOENT, "host %s has no address in the config", host);
	/* the source of vxlan packets when conlink's namespace has the host's
	 * address (network_mode host, or a bare host); in a container behind
	 * a published UDP port it has not: its own address is used, and the
	 * engine's NAT makes it the host's */
	if (addr_is_here(addr))
		snprintf(local_addr, sizeof(local_addr), "%s", addr);
	else
		log_verbose("Mesh: %s is not an address of conlink's namespace: tunnels "
			    "leave from its own", addr);
	mesh_ns = self_ns;
	snprintf(local_host, sizeof(local_host), "%s", host);
	json_object_foreach((json_t *)json_object_get(cfg, "bridges"), name, b) {
		const json_t *hs = json_object_get(b, "hosts"), *h;
		const char *kind = json_string_value(json_object_get(b, "mesh"));
		struct mesh_bridge *m;
		size_t i;

		if (!kind || json_array_size(hs) < 2 || !host_in(hs, host))
			continue;
		m = calloc(1, sizeof(*m));
		if (m)
			m->remotes = calloc(json_array_size(hs), sizeof(*m->remotes));
		if (m)
			m->undo = calloc(json_array_size(hs), sizeof(*m->undo));
		if (m)
			m->devs = calloc(json_array_size(hs), sizeof(*m->devs));
		if (!m || !m->remotes || !m->undo || !m->devs) {
			if (m)
				mesh_free_one(m);
			return err_fail(ENOMEM, "mesh of bridge %s", name);
		}
		for (i = 0; i < json_array_size(hs); i++)
			m->devs[i] = (struct mesh_dev){ .m = m, .i = i };
		snprintf(m->name, sizeof(m->name), "%s", name);
		snprintf(m->kind, sizeof(m->kind), "%s", kind);
		m->vni = json_integer_value(json_object_get(b, "vni"));
		m->mtu = json_integer_value(json_object_get(b, "mtu"));
		json_array_foreach((json_t *)hs, i, h) {
			const char *hn = json_string_value(h);
			const char *ra = json_string_value(json_object_get(json_object_get(hosts, hn),
									   "address"));
			struct remote *r = &m->remotes[m->nremote];

			if (!strcmp(hn, host))
				continue;
			if (!ra || addr_parse(ra, &r->addr) < 0) {
				mesh_free_one(m);
				return err_fail(EINVAL, "bridge %s: host %s has no address", name, hn);
			}
			snprintf(r->host, sizeof(r->host), "%s", hn);
			/* geneve: one device per remote, I its place among the bridge's hosts */
			netcfg_mesh_dev("geneve", m->vni, i, r->dev);
			m->nremote++;
		}
		m->next = meshes;
		meshes = m;
		log_verbose("Mesh: bridge %s spans this host and %zu other%s (%s %ld)", name,
			    m->nremote, m->nremote == 1 ? "" : "s", kind, m->vni);
	}
	return 0;
}

static struct mesh_bridge *mesh_find(const char *bridge)
{
	for (struct mesh_bridge *m = meshes; m; m = m->next)
		if (!strcmp(m->name, bridge))
			return m;
	return NULL;
}

static bool made(const struct mesh_bridge *m)
{
	for (size_t i = 0; i < m->nremote; i++)
		if (m->undo[i])
			return true;
	return false;
}

static void unmake(struct mesh_bridge *m)
{
	for (size_t i = m->nremote; i-- > 0;) {
		heal_unwatch(&m->devs[i]);	/* first: its deletion is ours */
		undo_run(m->undo[i]);
		m->undo[i] = NULL;
	}
}

/* The tunnel JSON tunnel_make takes, for remote R (NULL: vxlan's one). */
static json_t *tunnel_of(const struct mesh_bridge *m, const struct remote *r)
{
	char addr[64];

	if (!r)
		return json_pack("{s:s, s:s, s:I, s:s*, s:I}", "type", m->kind, "bridge", m->name,
				 "vni", (json_int_t)m->vni, "local", *local_addr ? local_addr : NULL,
				 "mtu", (json_int_t)m->mtu);
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:I}", "type", m->kind, "bridge", m->name,
			 "vni", (json_int_t)m->vni, "remote", addr_str(&r->addr, addr),
			 "dev", r->dev, "mtu", (json_int_t)m->mtu);
}

/* Queue what makes DEV a loop-free member of the mesh: vxlan: one flood
 * entry per remote; geneve: port isolation (linux bridges). */
static int mesh_port_setup(struct mesh_bridge *m, const char *dev)
{
	struct nl *nl = nsock_nl(mesh_ns);
	struct link_info li;
	struct nl_batch b;
	int ret;

	if (!nl)
		return -errno;
	if ((ret = link_get(nl, dev, &li)) < 0)
		return err_fail(-ret, "%s: cannot find it", dev);
	nl_batch_init(&b);
	if (!strcmp(m->kind, "vxlan")) {
		for (size_t i = 0; i < m->nremote; i++)
			fdb_flood_append_batch(&b, li.index, &m->remotes[i].addr,
					       "cannot add flood entry toward a remote host");
	} else {
		const char *mode = bridge_mode(m->name);

		if (!mode || strcmp(mode, "linux")) {
			nl_batch_free(&b);
			return 0;	/* hosts.c allows it with one remote only */
		}
		bridge_port_isolated_batch(&b, li.index, true, "cannot isolate the bridge port");
	}
	ret = nl_batch_run(nl, &b);
	return ret < 0 ? err_wrap(ret, "%s", dev) : 0;
}

static void mesh_event(const struct mesh_bridge *m, const char *dev, const char *action,
		       const char *error)
{
	json_t *hosts = json_array();

	for (size_t i = 0; i < m->nremote; i++)
		json_array_append_new(hosts, json_string(m->remotes[i].host));
	events_emit("tunnel", action, dev, NULL,
		    json_pack("{s:s, s:s, s:o, s:s*}", "bridge", m->name, "mesh", m->kind,
			      "hosts", hosts, "error", error));
}

static bool is_vxlan(const struct mesh_bridge *m)
{
	return !strcmp(m->kind, "vxlan");
}

/* The devices of M: vxlan's one, geneve's one per remote. */
static size_t ndevs(const struct mesh_bridge *m)
{
	return is_vxlan(m) ? (m->nremote ? 1 : 0) : m->nremote;
}

static const char *dev_name(const struct mesh_bridge *m, size_t i, char dev[IFNAMSIZ])
{
	if (is_vxlan(m))
		netcfg_mesh_dev("vxlan", m->vni, 0, dev);
	else
		snprintf(dev, IFNAMSIZ, "%s", m->remotes[i].dev);
	return dev;
}

static void heal_relink(void *owner);
static void heal_drift(void *owner, const char *what);
static const struct heal_ops mesh_heal_ops = { heal_relink, heal_drift };

/* Make M's device I (named DEV): the tunnel, its loop-free port setup,
 * watched by heal.c. 0 or -errno with err_msg(). */
static int make_one(struct mesh_bridge *m, size_t i, const char *dev)
{
	json_t *t = tunnel_of(m, is_vxlan(m) ? NULL : &m->remotes[i]);
	int ret = t ? tunnel_make(t, mesh_ns, &m->undo[i]) : err_fail(ENOMEM, "%s", dev);

	json_decref(t);
	if (ret == 0 && (ret = mesh_port_setup(m, dev)) < 0) {
		undo_run(m->undo[i]);
		m->undo[i] = NULL;
	}
	if (ret == 0)
		heal_watch_ops(&m->devs[i], &mesh_heal_ops, mesh_ns, dev, m->name);
	return ret;
}

static void make(struct mesh_bridge *m)
{
	bool vxlan = is_vxlan(m);
	size_t n = ndevs(m);
	char dev[IFNAMSIZ], list[512] = "";
	int ret = 0;

	for (size_t i = 0, off = 0; i < m->nremote && off < sizeof(list); i++)
		off += snprintf(list + off, sizeof(list) - off, "%s%s %s", i ? ", " : "",
				m->remotes[i].host, addr_str(&m->remotes[i].addr, (char[64]){0}));
	for (size_t i = 0; i < n && ret == 0; i++) {
		dev_name(m, i, dev);
		log_info("Creating mesh tunnel %s (bridge %s, to %s)", dev, m->name,
			 vxlan ? list : m->remotes[i].host);
		ret = make_one(m, i, dev);
		if (ret == 0)
			mesh_event(m, dev, "made", NULL);
	}
	if (ret < 0) {
		log_error("mesh of bridge %s: %s", m->name, err_msg());
		mesh_event(m, dev, "failed", err_msg());
		unmake(m);
	}
}

/* heal.c: a tunnel of ours deleted or taken off its bridge by hand: made
 * again whole (flood entries, isolation), counted, an event. */
static void heal_relink(void *owner)
{
	struct mesh_dev *d = owner;
	struct mesh_bridge *m = d->m;
	char dev[IFNAMSIZ];

	dev_name(m, d->i, dev);
	heal_unwatch(d);
	undo_run(m->undo[d->i]);	/* what is left of it */
	m->undo[d->i] = NULL;
	if (make_one(m, d->i, dev) < 0) {
		log_error("mesh tunnel %s cannot be made again: %s", dev, err_msg());
		d->drift = "deleted";
		mesh_event(m, dev, "failed", err_msg());
		return;
	}
	d->heals++;
	d->drift = NULL;
	log_info("Mesh tunnel %s (bridge %s) made again", dev, m->name);
	mesh_event(m, dev, "restored", NULL);
}

static void heal_drift(void *owner, const char *what)
{
	((struct mesh_dev *)owner)->drift = what;
}

long mesh_heals(void)
{
	long n = 0;

	for (const struct mesh_bridge *m = meshes; m; m = m->next)
		for (size_t i = 0; i < ndevs(m); i++)
			n += m->devs[i].heals;
	return n;
}

const char *mesh_host(void)
{
	return local_host[0] ? local_host : NULL;
}

json_t *mesh_status(void)
{
	json_t *arr = json_array();
	struct nl *nl = meshes ? nsock_nl(mesh_ns) : NULL;

	for (const struct mesh_bridge *m = meshes; m && arr; m = m->next)
		for (size_t i = 0; i < ndevs(m); i++) {
			const struct mesh_dev *d = &m->devs[i];
			json_t *hosts = json_array(), *o;
			struct link_live l;
			char dev[IFNAMSIZ], addr[64];
			bool exists;

			/* vxlan: every remote host through the one device */
			for (size_t r = 0; r < m->nremote; r++)
				if (is_vxlan(m) || r == i)
					json_array_append_new(hosts, json_pack("{s:s, s:s}",
						"host", m->remotes[r].host,
						"address", addr_str(&m->remotes[r].addr, addr)));
			dev_name(m, i, dev);
			exists = nl && link_live_get(nl, dev, &l) == 0;
			o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:b, s:b, s:s*, s:I}",
				      "name", dev, "host", local_host, "bridge", m->name, "kind", m->kind,
				      "vni", (json_int_t)m->vni, "hosts", hosts,
				      "made", m->undo[i] != NULL, "exists", exists,
				      "drift", d->drift, "heals", (json_int_t)d->heals);
			/* one word, as ctl status shows it: metrics and net2dot --live too */
			if (o)
				json_object_set_new(o, "state", json_string(
					!m->undo[i] ? "not-made" : d->drift ? d->drift
					: !exists ? "missing" : !l.master ? "detached"
					: (l.flags & IFF_UP) ? "up" : "down"));
			if (o && exists) {
				json_object_set_new(o, "up", json_boolean(l.flags & IFF_UP));
				json_object_set_new(o, "carrier", json_boolean(l.flags & IFF_LOWER_UP));
				json_object_set_new(o, "mtu", json_integer(l.mtu));
				json_object_set_new(o, "attached", json_boolean(l.master != 0));
				/* the device's own counters: rx what came from the
				 * remote hosts, tx what went to them (vxlan: all of
				 * them, the kernel counts per device) */
				if (l.has_stats)
					json_object_set_new(o, "stats", status_stats_json(&l.stats));
			}
			if (o)
				json_array_append_new(arr, o);
		}
	return arr;
}

static void drop_fire(void *arg)
{
	struct mesh_bridge *m = arg;

	m->drop = NULL;
	if (m->members > 0 || !made(m))
		return;
	log_info("Deleting mesh tunnel%s of bridge %s (no member here any more)",
		 is_vxlan(m) ? "" : "s", m->name);
	unmake(m);
	mesh_event(m, m->name, "removed", NULL);
}

void mesh_member(const char *bridge, int delta)
{
	struct mesh_bridge *m = meshes ? mesh_find(bridge) : NULL;

	if (!m)
		return;
	m->members += delta;
	/* a failed make is tried again by the next member (or attempt) */
	if (delta >= 0 && !made(m))
		make(m);
	if (m->members > 0) {
		loop_timer_cancel(m->drop);
		m->drop = NULL;
	} else if (made(m) && !m->drop) {
		/* no member (yet): gone on the next turn unless one is made */
		m->drop = loop_timer_add(0, drop_fire, m);
		if (!m->drop)
			drop_fire(m);
	}
}

void mesh_stop(void)
{
	while (meshes) {
		struct mesh_bridge *m = meshes;

		meshes = m->next;
		loop_timer_cancel(m->drop);
		unmake(m);
		mesh_free_one(m);
	}
	mesh_ns = -1;
	local_addr[0] = 0;
}
