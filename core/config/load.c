/* load.c - read network and compose files, interpolate, merge. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "interp.h"
#include "netcfg_int.h"
#include "yaml_load.h"
#include "xwrap.h"

static const char *const sections[] = {"links", "bridges", "tunnels", "commands", "hosts"};

void netcfg_deep_merge(json_t *dst, json_t *src)
{
	const char *k;
	json_t *v;

	json_object_foreach(src, k, v) {
		json_t *d = json_object_get(dst, k);

		if (json_is_object(d) && json_is_object(v))
			netcfg_deep_merge(d, v);
		else if (json_is_array(d) && json_is_array(v))
			json_array_extend(d, v);
		else
			json_object_set(dst, k, v);
	}
}

/* Tag every node under an item with the item's path, so an error about a
 * property names "links[3].ip" even after items from many files merged. */
static void set_origin_deep(struct netcfg_ctx *c, json_t *node, const char *origin)
{
	const char *k;
	json_t *v;
	size_t i;

	srcmap_set_origin(c->m, node, origin);
	if (json_is_object(node))
		json_object_foreach(node, k, v)
			set_origin_deep(c, v, origin);
	else if (json_is_array(node))
		json_array_foreach(node, i, v)
			set_origin_deep(c, v, origin);
}

static void annotate(struct netcfg_ctx *c, json_t *xnet, const char *prefix)
{
	for (size_t s = 0; s < sizeof(sections) / sizeof(*sections); s++) {
		json_t *list = json_object_get(xnet, sections[s]);
		json_t *item;
		size_t i;
		char *o;

		o = xasprintf("%s%s%s", prefix, *prefix ? "." : "", sections[s]);
		srcmap_set_origin(c->m, list, srcmap_intern(c->m, o));
		free(o);
		if (!json_is_array(list))
			continue;
		json_array_foreach(list, i, item) {
			o = xasprintf("%s%s%s[%zu]", prefix, *prefix ? "." : "", sections[s], i);
			set_origin_deep(c, item, srcmap_intern(c->m, o));
			free(o);
		}
	}
}

/* Report a failed interpolation once: the validator skips the node. */
static void mark_reported(struct netcfg_ctx *c, json_t *v, json_t *parent, const char *path)
{
	struct srcpos *pos = (struct srcpos *)srcmap_get(c->m, v);

	netcfg_error(c, v, parent, path, "%s", err_msg());
	if (pos)
		pos->reported = true;
}

/* The string V (under PARENT, at PATH) interpolated: a new string that keeps
 * V's source position, or NULL when interpolation failed (reported). */
static json_t *interpolate_string(struct netcfg_ctx *c, json_t *v, json_t *parent,
				  const char *path)
{
	const struct srcpos *pos;
	json_t *s;
	char *out;

	if (interp_string(json_string_value(v), NULL, NULL, &out)) {
		mark_reported(c, v, parent, path);
		return NULL;
	}
	s = json_string(out);
	pos = srcmap_get(c->m, v);
	if (!s)
		s = json_string("");
	if (pos)
		srcmap_set(c->m, s, pos);
	free(out);
	return s;
}

/* Replace every string under node by its interpolation (keys stay). */
static void interpolate(struct netcfg_ctx *c, json_t *node, const char *path)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(node)) {
		void *iter = json_object_iter(node);

		for (; iter; iter = json_object_iter_next(node, iter)) {
			k = json_object_iter_key(iter);
			v = json_object_iter_value(iter);
			if (json_is_string(v) && strchr(json_string_value(v), '$')) {
				char *p = xasprintf("%s%s%s", path, *path ? "." : "", k);
				json_t *s = interpolate_string(c, v, node, p);

				if (s)
					json_object_iter_set_new(node, iter, s);
				free(p);
			} else if (json_is_object(v) || json_is_array(v)) {
				char *p = xasprintf("%s%s%s", path, *path ? "." : "", k);

				interpolate(c, v, p);
				free(p);
			}
		}
	} else if (json_is_array(node)) {
		json_array_foreach(node, i, v) {
			char *p = xasprintf("%s[%zu]", path, i);

			if (json_is_string(v) && strchr(json_string_value(v), '$')) {
				json_t *s = interpolate_string(c, v, node, p);

				if (s)
					json_array_set_new(node, i, s);
			} else {
				interpolate(c, v, p);
			}
			free(p);
		}
	}
}

/* Links (and commands) under services.NAME.x-network default to that service. */
static void default_service(json_t *xnet, const char *svc)
{
	static const char *const kinds[] = {"links", "commands"};

	for (size_t s = 0; s < 2; s++) {
		json_t *list = json_object_get(xnet, kinds[s]), *item;
		size_t i;

		json_array_foreach(list, i, item)
			if (json_is_object(item) && !json_object_get(item, "service") &&
			    !json_object_get(item, "container"))
				json_object_set_new(item, "service", json_string(svc));
	}
}

static void add_xnet(struct netcfg_ctx *c, json_t *acc, json_t *xnet, json_t *parent,
		     const char *prefix, const char *service)
{
	if (json_is_null(xnet))	/* "x-network:" with nothing under it */
		return;
	if (!json_is_object(xnet)) {
		char *f = netcfg_describe(xnet);

		netcfg_error(c, xnet, parent, prefix, "found %s, expected a mapping "
			     "with links, bridges, tunnels, commands", f);
		free(f);
		return;
	}
	annotate(c, xnet, prefix);
	interpolate(c, xnet, prefix);
	if (service)
		default_service(xnet, service);
	netcfg_deep_merge(acc, xnet);
}

static int load_one(struct netcfg_ctx *c, const char *path, json_t **tree)
{
	if (yaml_load_file(path, c->m, tree)) {
		error_msg("%s", err_msg());
		c->nerrors++;
		c->load_failed = true;
		return -1;
	}
	return 0;
}

static void add_compose(struct netcfg_ctx *c, json_t *acc, const char *path)
{
	json_t *tree, *xnet, *services, *svc;
	const char *name;

	if (load_one(c, path, &tree))
		return;
	if (!json_is_object(tree)) {
		char *f = netcfg_describe(tree);

		error_msg("%s: found %s, expected a compose file (a mapping)", path, f);
		c->nerrors++;
		free(f);
		json_decref(tree);
		return;
	}
	xnet = json_object_get(tree, "x-network");
	if (xnet)
		add_xnet(c, acc, xnet, tree, "x-network", NULL);
	services = json_object_get(tree, "services");
	if (services && !json_is_object(services)) {
		char *f = netcfg_describe(services);

		netcfg_error(c, services, tree, "services", "found %s, expected a mapping", f);
		free(f);
	}
	if (json_is_object(services)) {
		json_t *links = json_object_get(acc, "links");

		/* upstream gives every compose file with services a links list */
		if (!links)
			json_object_set_new(acc, "links", json_array());
		json_object_foreach(services, name, svc) {
			xnet = json_object_get(svc, "x-network");
			if (xnet) {
				char *p = xasprintf("services.%s.x-network", name);

				add_xnet(c, acc, xnet, svc, srcmap_intern(c->m, p), name);
				free(p);
			}
		}
	}
	json_decref(tree);
}

static void add_network_file(struct netcfg_ctx *c, json_t *acc, const char *path)
{
	json_t *tree;

	if (load_one(c, path, &tree))
		return;
	if (json_is_null(tree)) {	/* an empty file adds nothing */
		json_decref(tree);
		return;
	}
	add_xnet(c, acc, tree, tree, "", NULL);
	json_decref(tree);
}

/* Links with the same (service or container, dev) key become one link, the
 * later properties winning (upstream's test7). A hash map keeps it linear. */
static json_t *merge_links(json_t *links)
{
	json_t *index = json_object(), *out = json_array(), *link;
	size_t i;

	json_array_foreach(links, i, link) {
		const char *who, *dev;

		if (!json_is_object(link)) {
			json_array_append(out, link);
			continue;
		}
		who = json_string_value(json_object_get(link, "service"));
		if (!who)
			who = json_string_value(json_object_get(link, "container"));
		dev = json_string_value(json_object_get(link, "dev"));
		if (!who) {
			json_array_append(out, link);	/* the validator reports it */
			continue;
		}
		char *key = netcfg_link_id(who, dev ? dev : NETCFG_DEFAULT_DEV);
		json_t *at = json_object_get(index, key);

		if (at) {
			netcfg_deep_merge(json_array_get(out, json_integer_value(at)), link);
		} else {
			json_object_set_new(index, key, json_integer(json_array_size(out)));
			json_array_append(out, link);
		}
		free(key);
	}
	json_decref(index);
	return out;
}

int netcfg_gather(struct netcfg_ctx *c, json_t **raw)
{
	const struct conlink_opts *o = c->opts;
	json_t *acc = json_object(), *links;

	for (size_t i = 0; i < o->compose_files.n; i++)
		add_compose(c, acc, o->compose_files.v[i]);
	for (size_t i = 0; i < o->network_files.n; i++)
		add_network_file(c, acc, o->network_files.v[i]);
	links = json_object_get(acc, "links");
	if (json_is_array(links))
		json_object_set_new(acc, "links", merge_links(links));
	/* after interpolation errors, still validate: report everything at once */
	*raw = acc;
	return c->nerrors ? -1 : 0;
}
