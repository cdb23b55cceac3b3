/* cni_config.c - the CNI plugin's network config: the CNI keys checked
 * here, the link through the loader's own validate and enrich. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni_config.h"
#include "conlink.h"
#include "err.h"
#include "netcfg_int.h"
#include "link.h"
#include "xwrap.h"
#include "yaml_load.h"

const char *const cni_versions[] = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", NULL};

/* Link properties a CNI config may not set, and why. */
static const struct {
	const char *key, *why;
} not_in_cni[] = {
	{"service", "the link belongs to the container the runtime names (CNI_CONTAINERID)"},
	{"container", "the link belongs to the container the runtime names (CNI_CONTAINERID)"},
	{"dev", "the interface is named by the runtime (CNI_IFNAME)"},
	{"ip", "addresses come from 'ipam' or runtimeConfig.ips"},
	{"nat", "it needs the link's address, which comes from IPAM"},
	{"forward", "port forwards are the portmap plugin's, chained after conlink"},
	{NULL, NULL},
};

int cni_version_cmp(const char *a, const char *b)
{
	for (int i = 0; i < 3; i++) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

int cni_version_supported(const char *version)
{
	for (int i = 0; version && cni_versions[i]; i++)
		if (!strcmp(cni_versions[i], version))
			return 1;
	return 0;
}

/* Tag NODE and everything under it with ORIGIN, so messages say "link.mtu". */
static void set_origin(struct srcmap *m, json_t *node, const char *origin)
{
	const char *k;
	json_t *v;
	size_t i;

	srcmap_set_origin(m, node, origin);
	if (json_is_object(node))
		json_object_foreach(node, k, v)
			set_origin(m, v, origin);
	else if (json_is_array(node))
		json_array_foreach(node, i, v)
			set_origin(m, v, origin);
}

/* The network name the spec allows: [a-zA-Z0-9][a-zA-Z0-9_.-]*, and short
 * enough for the owner mark ("conlink:cni:NAME" in an interface alias). */
static bool valid_net_name(const char *s)
{
	if (!s || !isalnum((unsigned char)*s) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

/* "found X, expected WHAT" for the top-level key KEY (or its absence). */
static void bad_key(struct netcfg_ctx *c, json_t *doc, const char *key, const char *expected)
{
	json_t *v = json_object_get(doc, key);
	char *f = v ? netcfg_describe(v) : NULL;

	if (v)
		netcfg_error(c, v, doc, key, "found %s, expected %s", f, expected);
	else
		netcfg_error(c, doc, NULL, key, "missing, expected %s", expected);
	free(f);
}

/* The CNI keys. Returns the code of the first kind of problem, 0: none. */
static int check_cni_keys(struct netcfg_ctx *c, json_t *doc)
{
	const char *ver = json_string_value(json_object_get(doc, "cniVersion"));
	const char *name = json_string_value(json_object_get(doc, "name"));
	json_t *v;
	int code = 0;

	if (!ver) {
		bad_key(c, doc, "cniVersion", "a version string such as \"1.1.0\"");
		code = CNI_ERR_CONFIG;
	} else if (!cni_version_supported(ver)) {
		char *list = xstrdup("");

		for (int i = 0; cni_versions[i]; i++) {
			char *t = xasprintf("%s%s%s", list, i ? ", " : "", cni_versions[i]);

			free(list);
			list = t;
		}
		netcfg_error(c, json_object_get(doc, "cniVersion"), doc, "cniVersion",
			     "version \"%s\" is not supported; this plugin speaks %s", ver, list);
		free(list);
		return CNI_ERR_VERSION;
	}
	if (!valid_net_name(name)) {
		bad_key(c, doc, "name", "a network name (a letter or digit, then letters, "
			"digits, '_', '.', '-'; at most 64)");
		code = code ? code : CNI_ERR_CONFIG;
	}
	v = json_object_get(doc, "namespace");
	if (v && (!json_is_string(v) || json_string_value(v)[0] != '/')) {
		bad_key(c, doc, "namespace", "the path of a network namespace file "
			"(e.g. /run/netns/lab)");
		code = code ? code : CNI_ERR_CONFIG;
	}
	v = json_object_get(doc, "ipam");
	if (v && !json_is_null(v)) {
		const char *t = json_string_value(json_object_get(v, "type"));

		if (!json_is_object(v) || !t || !*t || strchr(t, '/') || !strcmp(t, ".") ||
		    !strcmp(t, "..")) {
			bad_key(c, doc, "ipam", "a mapping whose \"type\" names an IPAM plugin "
				"(e.g. {\"type\": \"host-local\", ...})");
			code = code ? code : CNI_ERR_CONFIG;
		}
	}
	static const char *const objects[] = {"prevResult", "runtimeConfig", "link", NULL};

	for (int i = 0; objects[i]; i++) {
		v = json_object_get(doc, objects[i]);
		if (v && !json_is_object(v) && !json_is_null(v)) {
			bad_key(c, doc, objects[i], "a mapping");
			code = code ? code : CNI_ERR_CONFIG;
		}
	}
	v = json_object_get(doc, "bridges");
	if (v && !json_is_array(v)) {
		bad_key(c, doc, "bridges", "a list of bridges ({\"bridge\": NAME, \"mode\": MODE})");
		code = code ? code : CNI_ERR_CONFIG;
	}
	/* a link property at the top level: conlink's vocabulary goes under
	 * "link" (other unknown keys are the runtime's and left alone) */
	static const char *const props[] = {"bridge", "mtu", "mac", "route", "netem",
					    "ethtool", "outer-dev", "vlanid", "ip", "dev", NULL};

	for (int p = 0; props[p]; p++)
		if ((v = json_object_get(doc, props[p]))) {
			netcfg_error(c, v, doc, props[p], "unsupported field at the top "
				     "level: conlink's link properties go under \"link\" "
				     "({\"link\": {\"%s\": ...}})", props[p]);
			code = code ? code : CNI_ERR_FIELD;
		}
	return code;
}

/* The link's properties the CNI config may not set. Returns the code. */
static int check_link_keys(struct netcfg_ctx *c, json_t *link)
{
	const char *type = json_string_value(json_object_get(link, "type"));
	const struct link_kind *k = link_kind_find(type ? type : NETCFG_DEFAULT_TYPE);
	int code = 0;
	json_t *v;

	for (int i = 0; not_in_cni[i].key; i++)
		if ((v = json_object_get(link, not_in_cni[i].key))) {
			char *p = xasprintf("link.%s", not_in_cni[i].key);

			netcfg_error(c, v, link, p, "unsupported field in a CNI config: %s",
				     not_in_cni[i].why);
			free(p);
			code = CNI_ERR_FIELD;
		}
	if (k && k->base == LINK_BASE_CONLINK && (v = json_object_get(link, "outer-dev"))) {
		netcfg_error(c, v, link, "link.outer-dev", "unsupported field on a %s link in "
			     "a CNI config: the outer end is named after the attachment "
			     "(network, container id, interface)", k->name);
		code = CNI_ERR_FIELD;
	}
	return code;
}

/* The enriched link's bridge must be one a CNI exec can keep: linux.
 * (A patch bridge pairs two links one process knows; OVS is not wired.) */
static void check_bridge_mode(struct netcfg_ctx *c, json_t *raw, json_t *link)
{
	json_t *b = json_object_get(link, "bridge");
	const char *mode = json_string_value(json_object_get(b, "mode"));
	const char *name = json_string_value(json_object_get(b, "bridge"));
	json_t *given = NULL, *item;
	size_t i;

	if (!b || !mode || !strcmp(mode, "linux"))
		return;
	json_array_foreach(json_object_get(raw, "bridges"), i, item)
		if (json_equal(json_object_get(item, "bridge"), json_object_get(b, "bridge")))
			given = item;
	netcfg_error(c, json_object_get(given, "mode"), given, "bridges.mode",
		     "bridge %s: mode '%s' is not supported by the CNI plugin, expected "
		     "linux (a patch bridge joins two links one conlink process knows)",
		     name, mode);
}

int cni_config_load(const char *name, const char *buf, size_t len, const char *cid,
		    const char *ifname, struct cni_config *cf)
{
	static struct conlink_opts opts = {
		.default_bridge_mode = "linux", .default_mtu = 65535,
	};
	struct netcfg_ctx c = {.opts = &opts};
	json_t *doc, *ytree = NULL, *raw = NULL, *link, *out = NULL;
	json_error_t je;
	int code;

	memset(cf, 0, sizeof(*cf));
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		error_msg("%s:%d:%d: not a JSON document: %s", name, je.line, je.column, je.text);
		return CNI_ERR_DECODE;
	}
	if (!json_is_object(doc)) {
		error_msg("%s: found a JSON %s, expected a network config (a mapping)", name,
			  json_is_array(doc) ? "list" : "value");
		json_decref(doc);
		return CNI_ERR_DECODE;
	}
	/* JSON is YAML: the YAML loader gives every node its line:col. Where
	 * it reads the text otherwise (YAML 1.1 corners), jansson's tree is
	 * used, without positions. */
	c.m = srcmap_new();
	if (yaml_load_buf(name, (const unsigned char *)buf, len, c.m, &ytree) == 0 &&
	    json_equal(ytree, doc)) {
		json_decref(doc);
		doc = ytree;
	} else {
		json_decref(ytree);
	}
	cf->doc = doc;
	code = check_cni_keys(&c, doc);
	link = json_object_get(doc, "link");
	if (code != CNI_ERR_VERSION && json_is_object(link)) {
		set_origin(c.m, link, "link");
		int k = check_link_keys(&c, link);

		code = code ? code : k;
	}
	if (code)
		goto out;
	/* the one link as a conlink network config: owner and dev from the runtime */
	link = link ? srcmap_copy(c.m, link) : json_object();
	json_object_set_new(link, "container", json_string(cid && *cid ? cid : "cni"));
	json_object_set_new(link, "dev", json_string(ifname && *ifname ? ifname : "eth0"));
	raw = json_pack("{s:[o]}", "links", link);
	if (json_is_array(json_object_get(doc, "bridges"))) {
		json_t *bridges = srcmap_copy(c.m, json_object_get(doc, "bridges")), *b;
		size_t i;

		json_array_foreach(bridges, i, b) {
			char *o = xasprintf("bridges[%zu]", i);

			set_origin(c.m, b, srcmap_intern(c.m, o));
			free(o);
		}
		json_object_set_new(raw, "bridges", bridges);
	}
	if (netcfg_validate(&c, raw) || !(out = netcfg_enrich(&c, raw))) {
		code = CNI_ERR_CONFIG;
		goto out;
	}
	cf->link = json_incref(json_array_get(json_object_get(json_object_get(
		json_object_get(out, "containers"), cid && *cid ? cid : "cni"), "links"), 0));
	check_bridge_mode(&c, raw, cf->link);
	if (c.nerrors) {
		code = CNI_ERR_CONFIG;
		goto out;
	}
	cf->bridge = json_object_get(cf->link, "bridge");
	cf->version = json_string_value(json_object_get(doc, "cniVersion"));
	cf->name = json_string_value(json_object_get(doc, "name"));
	cf->netns = json_string_value(json_object_get(doc, "namespace"));
	cf->ipam = json_object_get(doc, "ipam");
	if (json_is_null(cf->ipam))
		cf->ipam = NULL;
	cf->prev_result = json_object_get(doc, "prevResult");
	if (!json_is_object(cf->prev_result))
		cf->prev_result = NULL;
	cf->runtime = json_object_get(doc, "runtimeConfig");
	if (!json_is_object(cf->runtime))
		cf->runtime = NULL;
out:
	json_decref(raw);
	json_decref(out);
	srcmap_free(c.m);
	if (code)
		cni_config_free(cf);
	return code;
}

void cni_config_free(struct cni_config *cf)
{
	json_decref(cf->link);
	json_decref(cf->doc);
	memset(cf, 0, sizeof(*cf));
}
