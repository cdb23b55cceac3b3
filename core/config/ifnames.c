/* ifnames.c - interface names that two items of a config would both get
 * in conlink's namespace (veth outer ends, tunnels, bridges), refused at
 * load: at run time the second would fail with "File exists". Configured
 * outer-dev names and generated ones that fit in 15 characters are
 * checked; a generated fallback name is not (it depends on the container
 * id, and the daemon keeps those unique). */
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "linkname.h"
#include "netcfg_int.h"
#include "xwrap.h"

struct ifname {
	char *key;		/* the name */
	char *what;		/* "link 'a:eth0'", "tunnel geneve-5", "bridge s1" */
	char *path;		/* where it is configured */
};

struct ifnames {
	struct ifname *v;
	size_t n;
	size_t *index;		/* open addressing: 1 + position in v, 0: empty */
	size_t cap;		/* a power of two, at least twice n */
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of KEY in T's index: the one holding it, or the empty one where
 * it would go. A hash, so 10,000 links stay linear. */
static size_t *slot_of(const struct ifnames *t, const char *key)
{
	size_t h = hash(key) & (t->cap - 1);

	while (t->index[h] && strcmp(t->v[t->index[h] - 1].key, key))
		h = (h + 1) & (t->cap - 1);
	return &t->index[h];
}

static void grow(struct ifnames *t)
{
	size_t *old = t->index, oldcap = t->cap;

	t->cap = t->cap ? 2 * t->cap : 64;
	t->index = xzalloc(t->cap * sizeof(*t->index));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			*slot_of(t, t->v[old[i] - 1].key) = old[i];
	free(old);
}

/* Note that WHAT (at NODE, in ITEM, PATH) gets interface name SHOWN,
 * recorded as KEY (the name, or HOST/name for a tunnel of one host only);
 * report it when an earlier one got it already. */
static void take_as(struct netcfg_ctx *c, struct ifnames *t, const json_t *node,
		    const json_t *item, const char *path, char *key, const char *shown,
		    char *what)
{
	size_t *slot;

	if (2 * (t->n + 1) > t->cap)
		grow(t);
	slot = slot_of(t, key);
	if (*slot) {
		const struct ifname *first = &t->v[*slot - 1];

		netcfg_error(c, node, item, path, "%s would get interface name '%s', as %s (%s) "
			     "does", what, shown, first->what, first->path);
		free(key);
		free(what);
		return;
	}
	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = (struct ifname){ key, what, xstrdup(path) };
	*slot = t->n;
}

static void take(struct netcfg_ctx *c, struct ifnames *t, const json_t *node,
		 const json_t *item, const char *path, char *key, char *what)
{
	take_as(c, t, node, item, path, key, key, what);
}

static char *item_path(struct netcfg_ctx *c, const json_t *item, const char *list, size_t i)
{
	const char *o = netcfg_origin(c, item);

	return *o ? xstrdup(o) : xasprintf("%s[%zu]", list, i);
}

/* Where bridge NAME is configured: its bridges entry, else the first link
 * or tunnel that names it. */
static const json_t *bridge_item(const json_t *raw, const char *name, char **path,
				 struct netcfg_ctx *c)
{
	static const char *const lists[] = {"bridges", "links", "tunnels"};
	const json_t *item;
	size_t i;

	for (size_t l = 0; l < 3; l++)
		json_array_foreach(json_object_get(raw, lists[l]), i, item) {
			const char *b = json_string_value(json_object_get(item, "bridge"));

			if (b && !strcmp(b, name)) {
				char *p = item_path(c, item, lists[l], i);

				*path = l ? xasprintf("%s.bridge", p) : xstrdup(p);
				free(p);
				return l ? json_object_get(item, "bridge") : item;
			}
		}
	*path = xstrdup("");
	return NULL;
}

static void bridges(struct netcfg_ctx *c, struct ifnames *t, const json_t *raw,
		    const json_t *enriched)
{
	const char *name;
	json_t *b;

	json_object_foreach((json_t *)enriched, name, b) {
		const char *mode = json_string_value(json_object_get(b, "mode"));
		char *path;
		const json_t *item;

		if (!mode || !strcmp(mode, "patch"))
			continue;	/* a patch bridge is no interface */
		item = bridge_item(raw, name, &path, c);
		take(c, t, item, NULL, path, xstrdup(name),
		     xasprintf("bridge %s", name));
		free(path);
	}
}

/* The tunnels made on every host (PLACED false), or those naming a host
 * (multi-host, hosts.c): two of different hosts may share a name, one of
 * a host may not take a name anything made on every host has. */
static void tunnels(struct netcfg_ctx *c, struct ifnames *t, const json_t *raw, bool placed)
{
	const json_t *item;
	size_t i;

	json_array_foreach(json_object_get(raw, "tunnels"), i, item) {
		const char *type = json_string_value(json_object_get(item, "type"));
		const char *host = json_string_value(json_object_get(item, "host"));
		char name[IFNAMSIZ], *path;

		if (placed != (host != NULL))
			continue;
		path = item_path(c, item, "tunnels", i);
		linkname_tunnel(name, type, json_integer_value(json_object_get(item, "vni")));
		if (!host || *slot_of(t, name))
			take(c, t, item, NULL, path, xstrdup(name),
			     xasprintf("tunnel %s", name));
		else
			take_as(c, t, item, NULL, path, xasprintf("%s/%s", host, name), name,
				xasprintf("tunnel %s of host %s", name, host));
		free(path);
	}
}

/* The outer ends of veth links (a link on a parent names the parent in
 * outer-dev, which many share). A service's first replica stands for all:
 * its name differs from the others' only by the index. */
static void links(struct netcfg_ctx *c, struct ifnames *t, const json_t *raw)
{
	const json_t *item;
	size_t i;

	json_array_foreach(json_object_get(raw, "links"), i, item) {
		const char *type = json_string_value(json_object_get(item, "type"));
		const char *dev = json_string_value(json_object_get(item, "dev"));
		const char *service = json_string_value(json_object_get(item, "service"));
		const char *container = json_string_value(json_object_get(item, "container"));
		const char *owner = service ? service : container;
		const json_t *outer = json_object_get(item, "outer-dev");
		const struct link_kind *k = link_kind_find(type ? type : NETCFG_DEFAULT_TYPE);
		char name[IFNAMSIZ], *path, *key, *id;

		if (!k || k->base != LINK_BASE_CONLINK || !owner)
			continue;
		if (!dev)
			dev = NETCFG_DEFAULT_DEV;
		if (outer) {
			key = xstrdup(json_string_value(outer));
		} else if (linkname_outer(name, service, container, 1, "", dev)) {
			/* the fallback ("c" + 8 of the container id + "-" + 5 of
			 * dev) depends on the id; where two links' agree, the daemon
			 * gives the later one a hashed tail (core/daemon/instance.c) */
			continue;
		} else {
			key = xstrdup(name);
		}
		path = item_path(c, item, "links", i);
		if (outer) {
			char *p = xasprintf("%s.outer-dev", path);

			free(path);
			path = p;
		}
		id = netcfg_link_id(owner, dev);
		take(c, t, outer ? outer : item, item, path, key,
		     xasprintf("link '%s'", id));
		free(id);
		free(path);
	}
}

void netcfg_check_ifnames(struct netcfg_ctx *c, const json_t *raw, const json_t *enriched)
{
	struct ifnames t = {0};

	bridges(c, &t, raw, enriched);
	tunnels(c, &t, raw, false);
	links(c, &t, raw);
	tunnels(c, &t, raw, true);
	for (size_t i = 0; i < t.n; i++) {
		free(t.v[i].key);
		free(t.v[i].what);
		free(t.v[i].path);
	}
	free(t.v);
	free(t.index);
}
