/* netgraph_dot.c - the network graph (netgraph.h) as GraphViz DOT.
 *
 * No standard. Follows upstream conlink's net2dot: a host cluster holding
 * the containers/services and a conlink cluster with a cluster per bridge.
 * Marked with a status, an edge carries its state (and netem) as its label
 * and its colour.
 */
#include <stdlib.h>
#include <string.h>

#include "netgraph.h"
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

static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void node(FILE *out, const char *indent, const char *id, const char *label,
		 const char *props)
{
	fputs(indent, out);
	put_quoted(out, id);
	fputs(" [label=", out);
	put_quoted(out, label);
	fprintf(out, " %s];\n", props);
}

/* FROM -> TO, labelled LABEL (may be NULL), in the colour of LIVE's state
 * when marked. */
static void edge(FILE *out, const char *indent, const char *from, const char *to,
		 const char *label, const struct ng_live *live)
{
	char *both = NULL;

	if (live && live->label)
		label = both = label ? xasprintf("%s\n%s", label, live->label) : xstrdup(live->label);
	fputs(indent, out);
	put_quoted(out, from);
	fputs(" -> ", out);
	put_quoted(out, to);
	if (label) {
		fputs(" [label=", out);
		put_quoted(out, label);
		if (live && live->label) {
			bool dashed;
			const char *colour = netgraph_state_colour(live->worst, &dashed);

			fprintf(out, " color=\"%s\" fontcolor=\"%s\" penwidth=2%s", colour, colour,
				dashed ? " style=dashed" : "");
		}
		fputs("]", out);
	}
	fputs(";\n", out);
	free(both);
}

static void containers(const struct netgraph *g, FILE *out)
{
	size_t i, j;

	for (i = 0; i < g->n; i = j) {
		const struct ng_intf *f = &g->intf[i];
		char *label = xasprintf("%s '%s'", f->service ? "service" : "container", f->name);
		char *cl = xasprintf("cluster_%s", f->owner);

		fputs("    subgraph ", out);
		put_quoted(out, cl);
		fputs(" {\n      label = ", out);
		put_quoted(out, label);
		fprintf(out, ";\n      %s;\n", f->service ? SERVICE_PROPS : CONTAINER_PROPS);
		for (j = i; j < g->n && !strcmp(g->intf[j].owner, f->owner); j++) {
			fputs("      ", out);
			put_quoted(out, g->intf[j].dev_id);
			fputs(";\n", out);
		}
		fputs("    }\n", out);
		free(label);
		free(cl);
	}
}

static void bridges(const struct netgraph *g, FILE *out)
{
	for (char **b = g->bridges; *b; b++) {
		char *cl = xasprintf("cluster_bridge_%s", *b), *bid = xasprintf("bridge_%s", *b);

		fputs("      subgraph ", out);
		put_quoted(out, cl);
		fputs(" {\n        label = ", out);
		put_quoted(out, *b);
		fprintf(out, ";\n        %s;\n        ", BRIDGE_PROPS);
		put_quoted(out, bid);
		fputs(" [shape=point style=invis];\n", out);
		for (size_t i = 0; i < g->n; i++) {
			const struct ng_intf *f = &g->intf[i];

			if (strcmp(f->base, "conlink") || !f->bridge || strcmp(f->bridge, *b) ||
			    !f->outer_dev)
				continue;
			node(out, "        ", f->outer_dev, f->outer_dev, INTF_PROPS);
			edge(out, "        ", f->dev_id, f->outer_dev, NULL, &f->live);
		}
		for (size_t i = 0; i < g->ntun; i++)
			if (g->tun[i].bridge && !strcmp(g->tun[i].bridge, *b))
				node(out, "        ", g->tun[i].name, g->tun[i].name, INTF_PROPS);
		fputs("      }\n", out);
		free(cl);
		free(bid);
	}
}

/* vlan, macvlan, ipvlan links: an edge to the host interface they hang off */
static void host_links(const struct netgraph *g, FILE *out)
{
	json_t *nics = json_object();

	for (size_t i = 0; i < g->n; i++) {
		const struct ng_intf *f = &g->intf[i];

		if (strcmp(f->base, "host") || !f->outer_dev)
			continue;
		if (!json_object_get(nics, f->outer_dev)) {
			json_object_set_new(nics, f->outer_dev, json_true());
			node(out, "    ", f->outer_dev, f->outer_dev, NIC_PROPS);
		}
		char *label = f->has_vlanid ? xasprintf("%s %lld", f->type, (long long)f->vlanid)
					    : xstrdup(f->type);

		edge(out, "    ", f->dev_id, f->outer_dev, label, &f->live);
		free(label);
	}
	json_decref(nics);
}

void netgraph_dot(const struct netgraph *g, FILE *out)
{
	fputs("digraph D {\n  splines = true;\n  compound = true;\n  node [" DEFAULT_PROPS "];\n\n",
	      out);
	fputs("  // host system\n  subgraph \"cluster_host\" {\n    label = \"host system\";\n"
	      "    " HOST_PROPS ";\n\n    // container interfaces\n", out);
	for (size_t i = 0; i < g->n; i++)
		node(out, "    ", g->intf[i].dev_id, g->intf[i].dev, INTF_PROPS);
	fputs("\n    // containers and their interfaces\n", out);
	containers(g, out);
	fputs("\n    // bridges, tunnels, veth connections\n    subgraph \"cluster_conlink\" {\n"
	      "      label = \"conlink/network\";\n      " CONLINK_PROPS ";\n", out);
	bridges(g, out);
	fputs("    }\n\n    // vlan/vtap links\n", out);
	host_links(g, out);
	fputs("  // end of host system\n  }\n\n  // remote hosts and tunnel links\n", out);
	for (size_t i = 0; i < g->ntun; i++) {
		const struct ng_tunnel *t = &g->tun[i];
		char *rid = xasprintf("remote_%s", t->remote);
		char *rl = xasprintf("remote host '%s'", t->remote);

		node(out, "  ", rid, rl, TUNNEL_PROPS);
		edge(out, "  ", t->name, rid, NULL, &t->live);
		free(rid);
		free(rl);
	}
	fputs("}\n", out);
}
