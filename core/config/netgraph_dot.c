/* netgraph_dot.c - the network graph (netgraph.h) as GraphViz DOT.
 *
 * No standard. Follows upstream conlink's net2dot: a host cluster holding
 * the containers/services and a conlink cluster with a cluster per bridge.
 * Marked with a status, an edge carries its state (and netem) as its label
 * and its colour.
 *
 * With hosts (multi-host), one such host cluster per host, each with its
 * own containers, conlink/network cluster and bridges; a meshed bridge's
 * copy on each host holds the tunnel devices that host's daemon makes,
 * and an undirected edge per pair of hosts sharing the bridge joins the
 * two ends of each tunnel (the mesh is a full mesh of point-to-point
 * tunnels: there is no hub to draw). Ids that two hosts would share (a
 * tunnel, a host NIC, a bridge) are prefixed "HOST/"; labels stay the
 * names the kernel shows.
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
#define MESH_EDGE_PROPS "dir=none penwidth=2 color=\"#6c8ebf\" fontcolor=\"#6c8ebf\""
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

/* HOST's copy of NAME as an id: NAME itself without hosts. */
static char *host_id(const char *host, const char *name)
{
	return host ? xasprintf("%s/%s", host, name) : xstrdup(name);
}

static void containers(const struct netgraph *g, FILE *out, const char *host)
{
	size_t i, j;

	for (i = 0; i < g->n; i = j) {
		const struct ng_intf *f = &g->intf[i];
		char *label, *cl;

		if (!netgraph_here(f->host, host)) {
			for (j = i; j < g->n && !strcmp(g->intf[j].owner, f->owner); j++)
				;
			continue;
		}
		label = xasprintf("%s '%s'", f->service ? "service" : "container", f->name);
		cl = xasprintf("cluster_%s", f->owner);
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

/* The mesh tunnel devices HOST's daemon makes on bridge B. */
static void mesh_nodes(const struct netgraph *g, FILE *out, const char *host, const char *b)
{
	for (size_t k = 0; host && k < g->nmesh; k++) {
		const struct ng_mesh *m = &g->mesh[k];
		long self = netgraph_mesh_pos(m, host);
		char dev[IFNAMSIZ];

		if (self < 0 || strcmp(m->bridge, b))
			continue;
		for (size_t p = 0; p < json_array_size(m->hosts); p++) {
			char *id;

			if ((long)p == self)
				continue;
			netgraph_mesh_dev(m, p, dev);
			id = host_id(host, dev);
			node(out, "        ", id, dev, INTF_PROPS);
			free(id);
			if (strcmp(m->kind, "geneve"))
				break;	/* vxlan: one device for every peer */
		}
	}
}

static void bridges(const struct netgraph *g, FILE *out, const char *host)
{
	for (char **b = g->bridges; *b; b++) {
		char *hb, *cl, *bid;

		if (!netgraph_bridge_here(g, *b, host))
			continue;
		hb = host_id(host, *b);
		cl = xasprintf("cluster_bridge_%s", hb);
		bid = xasprintf("bridge_%s", hb);

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
			    !f->outer_dev || !netgraph_here(f->host, host))
				continue;
			node(out, "        ", f->outer_dev, f->outer_dev, INTF_PROPS);
			edge(out, "        ", f->dev_id, f->outer_dev, NULL, &f->live);
		}
		for (size_t i = 0; i < g->ntun; i++)
			if (g->tun[i].bridge && !strcmp(g->tun[i].bridge, *b) &&
			    netgraph_here(g->tun[i].host, host)) {
				char *tid = host_id(host, g->tun[i].name);

				node(out, "        ", tid, g->tun[i].name, INTF_PROPS);
				free(tid);
			}
		mesh_nodes(g, out, host, *b);
		fputs("      }\n", out);
		free(hb);
		free(cl);
		free(bid);
	}
}

/* vlan, macvlan, ipvlan links: an edge to the host interface they hang off */
static void host_links(const struct netgraph *g, FILE *out, const char *host)
{
	json_t *nics = json_object();

	for (size_t i = 0; i < g->n; i++) {
		const struct ng_intf *f = &g->intf[i];

		if (strcmp(f->base, "host") || !f->outer_dev || !netgraph_here(f->host, host))
			continue;
		char *nid = host_id(host, f->outer_dev);

		if (!json_object_get(nics, f->outer_dev)) {
			json_object_set_new(nics, f->outer_dev, json_true());
			node(out, "    ", nid, f->outer_dev, NIC_PROPS);
		}
		char *label = f->has_vlanid ? xasprintf("%s %lld", f->type, (long long)f->vlanid)
					    : xstrdup(f->type);

		edge(out, "    ", f->dev_id, nid, label, &f->live);
		free(label);
		free(nid);
	}
	json_decref(nics);
}

/* One host's cluster: HOST NULL, the one "host system" of a config
 * without hosts. */
static void host_system(const struct netgraph *g, FILE *out, const struct ng_host *h)
{
	const char *host = h ? h->name : NULL;

	if (h) {
		char *cl = xasprintf("cluster_host_%s", h->name);
		char *label = xasprintf("host '%s' (%s)", h->name, h->address);
		char *cc = xasprintf("cluster_conlink_%s", h->name);

		fputs("  // host ", out);
		fputs(h->name, out);
		fputs("\n  subgraph ", out);
		put_quoted(out, cl);
		fputs(" {\n    label = ", out);
		put_quoted(out, label);
		fputs(";\n    " HOST_PROPS ";\n\n    // container interfaces\n", out);
		free(cl);
		free(label);
		for (size_t i = 0; i < g->n; i++)
			if (netgraph_here(g->intf[i].host, host))
				node(out, "    ", g->intf[i].dev_id, g->intf[i].dev, INTF_PROPS);
		fputs("\n    // containers and their interfaces\n", out);
		containers(g, out, host);
		fputs("\n    // bridges, tunnels, veth connections\n    subgraph ", out);
		put_quoted(out, cc);
		fputs(" {\n      label = \"conlink/network\";\n      " CONLINK_PROPS ";\n", out);
		free(cc);
	} else {
		fputs("  // host system\n  subgraph \"cluster_host\" {\n    label = \"host system\";\n"
		      "    " HOST_PROPS ";\n\n    // container interfaces\n", out);
		for (size_t i = 0; i < g->n; i++)
			node(out, "    ", g->intf[i].dev_id, g->intf[i].dev, INTF_PROPS);
		fputs("\n    // containers and their interfaces\n", out);
		containers(g, out, NULL);
		fputs("\n    // bridges, tunnels, veth connections\n    subgraph \"cluster_conlink\" {\n"
		      "      label = \"conlink/network\";\n      " CONLINK_PROPS ";\n", out);
	}
	bridges(g, out, host);
	fputs("    }\n\n    // vlan/vtap links\n", out);
	host_links(g, out, host);
	if (h)
		fprintf(out, "  // end of host %s\n  }\n\n", h->name);
	else
		fputs("  // end of host system\n  }\n\n", out);
}

/* Each meshed bridge: one edge per pair of its hosts, between the two
 * ends of their tunnel. */
static void mesh_edges(const struct netgraph *g, FILE *out)
{
	for (size_t k = 0; k < g->nmesh; k++) {
		const struct ng_mesh *m = &g->mesh[k];
		size_t n = json_array_size(m->hosts);
		char *label = xasprintf("%s %lld", m->kind, (long long)m->vni);

		for (size_t a = 0; a < n; a++)
			for (size_t b = a + 1; b < n; b++) {
				char da[IFNAMSIZ], db[IFNAMSIZ];
				struct ng_live live;
				char *ia, *ib;

				netgraph_mesh_dev(m, b, da);
				netgraph_mesh_dev(m, a, db);
				ia = host_id(json_string_value(json_array_get(m->hosts, a)), da);
				ib = host_id(json_string_value(json_array_get(m->hosts, b)), db);
				fputs("  ", out);
				put_quoted(out, ia);
				fputs(" -> ", out);
				put_quoted(out, ib);
				netgraph_mesh_live(g, m, a, b, &live);
				fputs(" [label=", out);
				if (live.label) {
					/* marked: the state of the status's end */
					bool dashed;
					const char *colour = netgraph_state_colour(live.worst, &dashed);
					char *both = xasprintf("%s\n%s", label, live.label);

					put_quoted(out, both);
					fprintf(out, " dir=none penwidth=2 color=\"%s\" fontcolor=\"%s\"%s];\n",
						colour, colour, dashed ? " style=dashed" : "");
					free(both);
				} else {
					put_quoted(out, label);
					fputs(" " MESH_EDGE_PROPS "];\n", out);
				}
				free(live.label);
				free(ia);
				free(ib);
			}
		free(label);
	}
}

void netgraph_dot(const struct netgraph *g, FILE *out)
{
	fputs("digraph D {\n  splines = true;\n  compound = true;\n  node [" DEFAULT_PROPS "];\n\n",
	      out);
	if (!g->nhosts)
		host_system(g, out, NULL);
	for (size_t h = 0; h < g->nhosts; h++)
		host_system(g, out, &g->hosts[h]);
	if (g->nmesh) {
		fputs("  // mesh tunnels between hosts (one per pair sharing a bridge)\n", out);
		mesh_edges(g, out);
		fputs("\n", out);
	}
	fputs("  // remote hosts and tunnel links\n", out);
	for (size_t i = 0; i < g->ntun; i++) {
		const struct ng_tunnel *t = &g->tun[i];
		char *rid = xasprintf("remote_%s", t->remote);
		char *rl = xasprintf("remote host '%s'", t->remote);

		node(out, "  ", rid, rl, TUNNEL_PROPS);
		for (size_t h = 0; h < (g->nhosts ? g->nhosts : 1); h++) {
			const char *host = g->nhosts ? g->hosts[h].name : NULL;
			char *tid;

			if (!netgraph_here(t->host, host))
				continue;
			tid = host_id(host, t->name);
			edge(out, "  ", tid, rid, NULL, netgraph_tunnel_live(g, t, host));
			free(tid);
		}
		free(rid);
		free(rl);
	}
	fputs("}\n", out);
}
