/* net2dot.c - draw a conlink network config as a GraphViz dot graph.
 *
 * No standard. Follows upstream conlink's net2dot: a host cluster holding
 * the containers/services and a conlink cluster with a cluster per bridge.
 */
const char net2dot_usage[] =
"Usage: net2dot [FILE]\n"
"\n"
"Read the network config JSON that `conlink --show-config` prints (from\n"
"FILE, or stdin when FILE is absent or -) and write a GraphViz dot graph:\n"
"\n"
"  conlink --show-config --compose-file F | net2dot | dot -Tsvg > net.svg\n"
"\n"
"  -h, --help    this text\n";

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "applet.h"
#include "linkname.h"
#include "xwrap.h"

#define DEFAULT_PROPS "shape=box fontsize=12 style=filled penwidth=1"
#define CONLINK_PROPS "style=\"rounded,filled\" fillcolor=\"#c1b5c7\" color=\"#9673a6\""
#define BRIDGE_PROPS "style=filled fillcolor=\"#dae8fc\" color=\"#6c8ebf\""
#define HOST_PROPS "style=filled fillcolor=\"#f5f5f5\" color=\"#666666\""
#define TUNNEL_PROPS "fillcolor=\"#a5a5a5\" color=\"#888888\""
#define CONTAINER_PROPS "style=\"rounded,filled\" fillcolor=\"#e1d5e7\" color=\"#9673a6\""
#define SERVICE_PROPS CONTAINER_PROPS " fillcolor=\"#d1c5e7\" penwidth=2"
#define INTF_PROPS "width=0.1 height=0.1 fontsize=10 fillcolor=\"#ffbb9e\" color=\"#d7db00\""
#define NIC_PROPS "fontsize=12 fillcolor=\"#ffbb9e\" color=\"#d7db00\""

/* One interface in a container, as upstream's link-instance-enrich names it
 * for replica 1: outer-dev SERVICE_1-DEV or CONTAINER-DEV. */
struct intf {
	char *owner;		/* cluster: "S_svc" or the container name */
	char *dev_id;		/* owner:dev */
	const char *dev, *type, *bridge, *base;
	char *outer_dev;	/* NULL for local (dummy) links */
	json_int_t vlanid;
	bool has_vlanid;
};

static void put_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

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

static const char *str(json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : dflt;
}

static size_t collect(json_t *cfg, struct intf **out)
{
	static const char *const kinds[] = {"containers", "services"};
	struct intf *v = NULL;
	size_t n = 0;

	for (int k = 0; k < 2; k++) {
		json_t *map = json_object_get(cfg, kinds[k]);
		const char **names = sorted_keys(map);

		for (const char **name = names; *name; name++) {
			json_t *links = json_object_get(json_object_get(map, *name), "links"), *l;
			size_t i;

			json_array_foreach(links, i, l) {
				struct intf *f;

				v = xrealloc(v, (n + 1) * sizeof(*v));
				f = &v[n++];
				memset(f, 0, sizeof(*f));
				f->owner = k ? xasprintf("S_%s", *name) : xstrdup(*name);
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
					linkname_outer(od, k ? *name : NULL, k ? NULL : *name, 1,
						       *name, f->dev);
					f->outer_dev = xstrdup(od);
				}
				f->has_vlanid = json_is_integer(json_object_get(l, "vlanid"));
				f->vlanid = json_integer_value(json_object_get(l, "vlanid"));
			}
		}
		free(names);
	}
	*out = v;
	return n;
}

static void node(const char *indent, const char *id, const char *label, const char *props)
{
	fputs(indent, stdout);
	put_quoted(id);
	fputs(" [label=", stdout);
	put_quoted(label);
	printf(" %s];\n", props);
}

static void edge(const char *indent, const char *from, const char *to, const char *label)
{
	fputs(indent, stdout);
	put_quoted(from);
	fputs(" -> ", stdout);
	put_quoted(to);
	if (label) {
		fputs(" [label=", stdout);
		put_quoted(label);
		fputs("]", stdout);
	}
	fputs(";\n", stdout);
}

static void draw(json_t *cfg, struct intf *f, size_t n)
{
	json_t *tunnels = json_object_get(cfg, "tunnels"), *t;
	json_t *bridges = json_object(), *nics = json_object();
	size_t i, j;

	puts("digraph D {\n  splines = true;\n  compound = true;\n  node [" DEFAULT_PROPS "];\n");
	puts("  // host system\n  subgraph \"cluster_host\" {\n    label = \"host system\";\n"
	     "    " HOST_PROPS ";\n\n    // container interfaces");
	for (i = 0; i < n; i++)
		node("    ", f[i].dev_id, f[i].dev, INTF_PROPS);

	puts("\n    // containers and their interfaces");
	for (i = 0; i < n; i = j) {
		bool svc = !strncmp(f[i].owner, "S_", 2);
		char *label = xasprintf("%s '%s'", svc ? "service" : "container",
					f[i].owner + (svc ? 2 : 0));
		char *cl = xasprintf("cluster_%s", f[i].owner);

		fputs("    subgraph ", stdout);
		put_quoted(cl);
		fputs(" {\n      label = ", stdout);
		put_quoted(label);
		printf(";\n      %s;\n", svc ? SERVICE_PROPS : CONTAINER_PROPS);
		for (j = i; j < n && !strcmp(f[j].owner, f[i].owner); j++) {
			fputs("      ", stdout);
			put_quoted(f[j].dev_id);
			fputs(";\n", stdout);
		}
		puts("    }");
		free(label);
		free(cl);
	}

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].base, "conlink") && f[i].bridge)
			json_object_set_new(bridges, f[i].bridge, json_true());
	json_array_foreach(tunnels, i, t)
		if (str(t, "bridge", NULL))
			json_object_set_new(bridges, str(t, "bridge", NULL), json_true());
	const char **bnames = sorted_keys(bridges);

	puts("\n    // bridges, tunnels, veth connections\n    subgraph \"cluster_conlink\" {\n"
	     "      label = \"conlink/network\";\n      " CONLINK_PROPS ";");
	for (const char **b = bnames; *b; b++) {
		char *cl = xasprintf("cluster_bridge_%s", *b), *bid = xasprintf("bridge_%s", *b);

		fputs("      subgraph ", stdout);
		put_quoted(cl);
		fputs(" {\n        label = ", stdout);
		put_quoted(*b);
		printf(";\n        %s;\n        ", BRIDGE_PROPS);
		put_quoted(bid);
		puts(" [shape=point style=invis];");
		for (i = 0; i < n; i++) {
			if (strcmp(f[i].base, "conlink") || !f[i].bridge || strcmp(f[i].bridge, *b) ||
			    !f[i].outer_dev)
				continue;
			node("        ", f[i].outer_dev, f[i].outer_dev, INTF_PROPS);
			edge("        ", f[i].dev_id, f[i].outer_dev, NULL);
		}
		json_array_foreach(tunnels, j, t) {
			if (strcmp(str(t, "bridge", ""), *b))
				continue;
			char od[IFNAMSIZ];

			linkname_tunnel(od, str(t, "type", "tunnel"),
					json_integer_value(json_object_get(t, "vni")));
			node("        ", od, od, INTF_PROPS);
		}
		puts("      }");
		free(cl);
		free(bid);
	}
	puts("    }\n\n    // vlan/vtap links");
	for (i = 0; i < n; i++) {
		if (strcmp(f[i].base, "host") || !f[i].outer_dev)
			continue;
		if (!json_object_get(nics, f[i].outer_dev)) {
			json_object_set_new(nics, f[i].outer_dev, json_true());
			node("    ", f[i].outer_dev, f[i].outer_dev, NIC_PROPS);
		}
		char *label = f[i].has_vlanid ? xasprintf("%s %lld", f[i].type, (long long)f[i].vlanid)
					      : xstrdup(f[i].type);

		edge("    ", f[i].dev_id, f[i].outer_dev, label);
		free(label);
	}
	puts("  // end of host system\n  }\n\n  // remote hosts and tunnel links");
	json_array_foreach(tunnels, i, t) {
		const char *remote = str(t, "remote", "?");
		char *rid = xasprintf("remote_%s", remote), *rl = xasprintf("remote host '%s'", remote);
		char od[IFNAMSIZ];

		linkname_tunnel(od, str(t, "type", "tunnel"),
				json_integer_value(json_object_get(t, "vni")));
		node("  ", rid, rl, TUNNEL_PROPS);
		edge("  ", od, rid, NULL);
		free(rid);
		free(rl);
	}
	puts("}");
	free(bnames);
	json_decref(bridges);
	json_decref(nics);
}

int net2dot_main(int argc, char **argv)
{
	const char *path;
	struct intf *f;
	json_error_t jerr;
	json_t *cfg;
	size_t n;

	while (xgetopt(argc, argv, "", NULL) != -1)
		;
	if (argc - optind > 1)
		usage_exit("too many arguments");
	path = optind < argc ? argv[optind] : "-";
	if (!strcmp(path, "-"))
		cfg = json_loadf(stdin, 0, &jerr);
	else
		cfg = json_load_file(path, 0, &jerr);
	if (!cfg)
		error_exit("%s:%d:%d: %s", strcmp(path, "-") ? path : "stdin", jerr.line,
			   jerr.column, jerr.text);
	if (!json_is_object(cfg) || !json_is_object(json_object_get(cfg, "bridges")))
		error_exit("%s: not a conlink --show-config JSON (no \"bridges\" mapping)", path);
	n = collect(cfg, &f);
	draw(cfg, f, n);
	for (size_t i = 0; i < n; i++) {
		free(f[i].owner);
		free(f[i].dev_id);
		free(f[i].outer_dev);
	}
	free(f);
	json_decref(cfg);
	return fflush(stdout) ? 1 : 0;
}
