/* netgraph_mermaid.c - the network graph (netgraph.h) as a Mermaid
 * flowchart, which GitHub renders in a ```mermaid block.
 *
 * Syntax: https://mermaid.js.org/syntax/flowchart.html. The clusters of the
 * DOT output become subgraphs (host system, one per container or service,
 * conlink/network with one per bridge), the same nodes and edges. Node
 * and subgraph ids are generated (i0, o0, c0, b0, n0, t0, r0): names from
 * the config only ever appear inside quoted labels, where the characters
 * Mermaid would read (" # & < > ` |) are written as entity codes. Marked
 * with a status, an edge is labelled with its state (and netem) and drawn
 * in its colour with a linkStyle, counted by edge order.
 *
 * With hosts (multi-host), a subgraph per host (hH, its conlink/network
 * kH, its bridges bB_H) in place of the one host system, the tunnel
 * devices of each meshed bridge's copy (mK_H, geneve mK_H_P: as
 * netgraph_dot.c draws them) and an undirected edge per pair of hosts
 * sharing the bridge, after every other edge (so linkStyle numbers of
 * the others are as without hosts). A tunnel made on every host is one
 * node per host (tT_H).
 */
#include <stdlib.h>
#include <string.h>

#include "netgraph.h"
#include "xwrap.h"

#define INTF_STYLE "fill:#ffbb9e,stroke:#d7db00"
#define NIC_STYLE "fill:#ffbb9e,stroke:#d7db00"
#define REMOTE_STYLE "fill:#a5a5a5,stroke:#888888"
#define HOST_STYLE "fill:#f5f5f5,stroke:#666666"
#define CONLINK_STYLE "fill:#c1b5c7,stroke:#9673a6"
#define BRIDGE_STYLE "fill:#dae8fc,stroke:#6c8ebf"
#define CONTAINER_STYLE "fill:#e1d5e7,stroke:#9673a6"
#define SERVICE_STYLE "fill:#d1c5e7,stroke:#9673a6,stroke-width:2px"

/* S as the inside of a quoted label. */
static void put_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"': fputs("#quot;", out); break;
		case '#': fputs("#35;", out); break;
		case '&': fputs("#amp;", out); break;
		case '<': fputs("#lt;", out); break;
		case '>': fputs("#gt;", out); break;
		case '`': fputs("#96;", out); break;
		case '|': fputs("#124;", out); break;
		case '\n': fputs("<br>", out); break;
		default:
			fputc((unsigned char)*s < ' ' ? ' ' : *s, out);
		}
	}
}

static void put_node_id(FILE *out, const char *indent, const char *id, const char *label)
{
	fprintf(out, "%s%s[\"", indent, id);
	put_text(out, label);
	fputs("\"]\n", out);
}

static void put_node(FILE *out, const char *indent, char kind, size_t n, const char *label)
{
	char id[32];

	snprintf(id, sizeof(id), "%c%zu", kind, n);
	put_node_id(out, indent, id, label);
}

/* Ids of what a host holds: HOST (a place in g->hosts) or NOHOST, the one
 * host system of a config without hosts. */
#define NOHOST ((size_t)-1)

static void tunnel_id(char *id, size_t len, size_t t, size_t host)
{
	if (host == NOHOST)
		snprintf(id, len, "t%zu", t);
	else
		snprintf(id, len, "t%zu_%zu", t, host);
}

static void bridge_id(char *id, size_t len, size_t b, size_t host)
{
	if (host == NOHOST)
		snprintf(id, len, "b%zu", b);
	else
		snprintf(id, len, "b%zu_%zu", b, host);
}

/* Mesh K's device on its host SELF toward PEER (places in its hosts). */
static void mesh_id(char *id, size_t len, const struct ng_mesh *m, size_t k, size_t self,
		    size_t peer)
{
	if (strcmp(m->kind, "geneve"))
		snprintf(id, len, "m%zu_%zu", k, self);
	else
		snprintf(id, len, "m%zu_%zu_%zu", k, self, peer);
}

static const char *host_name(const struct netgraph *g, size_t host)
{
	return host == NOHOST ? NULL : g->hosts[host].name;
}

static void put_subgraph(FILE *out, const char *indent, const char *id, const char *label)
{
	fprintf(out, "%ssubgraph %s[\"", indent, id);
	put_text(out, label);
	fputs("\"]\n", out);
}

/* The first tunnel to REMOTE among the first N: remotes are one node each. */
static size_t remote_of(const struct netgraph *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g->tun[i].remote, g->tun[n].remote))
			return i;
	return n;
}

/* The first host-base link on the same host interface (of the same
 * host) as link N. */
static size_t nic_of(const struct netgraph *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g->intf[i].base, "host") && g->intf[i].outer_dev &&
		    !strcmp(g->intf[i].outer_dev, g->intf[n].outer_dev) &&
		    (g->intf[i].host == g->intf[n].host ||
		     (g->intf[i].host && g->intf[n].host &&
		      !strcmp(g->intf[i].host, g->intf[n].host))))
			return i;
	return n;
}

static bool on_bridge(const struct ng_intf *f, const char *b)
{
	return !strcmp(f->base, "conlink") && f->bridge && !strcmp(f->bridge, b) && f->outer_dev;
}

static bool is_host_link(const struct ng_intf *f)
{
	return !strcmp(f->base, "host") && f->outer_dev;
}

/* Does host HOST (a place, or NOHOST) draw anything on a bridge? */
static bool has_bridges(const struct netgraph *g, size_t host)
{
	for (char **br = g->bridges; *br; br++)
		if (netgraph_bridge_here(g, *br, host_name(g, host)))
			return true;
	return false;
}

/* The devices of the meshes of bridge BR on host HOST. */
static void mesh_nodes(const struct netgraph *g, FILE *out, size_t host, const char *br)
{
	for (size_t k = 0; host != NOHOST && k < g->nmesh; k++) {
		const struct ng_mesh *m = &g->mesh[k];
		long self = netgraph_mesh_pos(m, g->hosts[host].name);
		char dev[IFNAMSIZ], id[72];

		if (self < 0 || strcmp(m->bridge, br))
			continue;
		for (size_t p = 0; p < json_array_size(m->hosts); p++) {
			if ((long)p == self)
				continue;
			netgraph_mesh_dev(m, p, dev);
			mesh_id(id, sizeof(id), m, k, self, p);
			put_node_id(out, "        ", id, dev);
			if (strcmp(m->kind, "geneve"))
				break;	/* vxlan: one device for every peer */
		}
	}
}

/* One host's subgraph (HOST a place in g->hosts, or NOHOST: "host system"). */
static void host_nodes(const struct netgraph *g, FILE *out, size_t host)
{
	const char *hn = host_name(g, host);
	size_t i, j, c = 0, b = 0;
	char id[72];

	if (host == NOHOST) {
		fputs("  subgraph host[\"host system\"]\n", out);
	} else {
		char *label = xasprintf("host '%s' (%s)", hn, g->hosts[host].address);

		snprintf(id, sizeof(id), "h%zu", host);
		put_subgraph(out, "  ", id, label);
		free(label);
	}
	for (i = 0; i < g->n; i = j, c++) {
		const struct ng_intf *f = &g->intf[i];
		char *label;

		for (j = i; j < g->n && !strcmp(g->intf[j].owner, f->owner); j++)
			;
		if (!netgraph_here(f->host, hn))
			continue;
		label = xasprintf("%s '%s'", f->service ? "service" : "container", f->name);
		snprintf(id, sizeof(id), "c%zu", c);
		put_subgraph(out, "    ", id, label);
		for (j = i; j < g->n && !strcmp(g->intf[j].owner, f->owner); j++)
			put_node(out, "      ", 'i', j, g->intf[j].dev);
		fputs("    end\n", out);
		free(label);
	}
	if (has_bridges(g, host)) {
		if (host == NOHOST) {
			fputs("    subgraph conlink[\"conlink/network\"]\n", out);
		} else {
			snprintf(id, sizeof(id), "k%zu", host);
			put_subgraph(out, "    ", id, "conlink/network");
		}
		for (char **br = g->bridges; *br; br++, b++) {
			const char *mode = netgraph_bridge_mode(g, *br);
			char *label;

			if (!netgraph_bridge_here(g, *br, hn))
				continue;
			label = mode && strcmp(mode, "linux") ? xasprintf("%s (%s)", *br, mode)
							      : xstrdup(*br);
			bridge_id(id, sizeof(id), b, host);
			put_subgraph(out, "      ", id, label);
			for (i = 0; i < g->n; i++)
				if (on_bridge(&g->intf[i], *br) && netgraph_here(g->intf[i].host, hn))
					put_node(out, "        ", 'o', i, g->intf[i].outer_dev);
			for (i = 0; i < g->ntun; i++)
				if (g->tun[i].bridge && !strcmp(g->tun[i].bridge, *br) &&
				    netgraph_here(g->tun[i].host, hn)) {
					tunnel_id(id, sizeof(id), i, host);
					put_node_id(out, "        ", id, g->tun[i].name);
				}
			mesh_nodes(g, out, host, *br);
			fputs("      end\n", out);
			free(label);
		}
		fputs("    end\n", out);
	}
	for (i = 0; i < g->n; i++)
		if (is_host_link(&g->intf[i]) && nic_of(g, i) == i &&
		    netgraph_here(g->intf[i].host, hn))
			put_node(out, "    ", 'n', i, g->intf[i].outer_dev);
	for (i = 0; i < g->ntun; i++)	/* on no bridge: drawn all the same */
		if (!g->tun[i].bridge && netgraph_here(g->tun[i].host, hn)) {
			tunnel_id(id, sizeof(id), i, host);
			put_node_id(out, "    ", id, g->tun[i].name);
		}
	fputs("  end\n", out);
}

static void nodes(const struct netgraph *g, FILE *out)
{
	size_t i;

	if (!g->nhosts)
		host_nodes(g, out, NOHOST);
	for (i = 0; i < g->nhosts; i++)
		host_nodes(g, out, i);
	for (i = 0; i < g->ntun; i++) {
		char *label;

		if (remote_of(g, i) != i)
			continue;
		label = xasprintf("remote host '%s'", g->tun[i].remote);
		put_node(out, "  ", 'r', i, label);
		free(label);
	}
}

/* Edge N drawn in the colour of STATE: a linkStyle line into STYLES. */
static void link_style(json_t *styles, size_t n, const char *state)
{
	bool dashed;
	const char *colour = netgraph_state_colour(state, &dashed);
	char *st = xasprintf("  linkStyle %zu stroke:%s,stroke-width:2px,color:%s%s\n", n,
			     colour, colour, dashed ? ",stroke-dasharray:5 5" : "");

	json_array_append_new(styles, json_string(st));
	free(st);
}

/* One edge FROM --> TO labelled LABEL and LIVE's label; the live ones'
 * linkStyle lines are gathered in STYLES, *N counting edges. */
static void put_edge(FILE *out, const char *from, char tk, size_t to, const char *label,
		     const struct ng_live *live, json_t *styles, size_t *n)
{
	char *both = NULL;

	if (live->label)
		label = both = label ? xasprintf("%s\n%s", label, live->label) : xstrdup(live->label);
	fprintf(out, "  %s -->", from);
	if (label) {
		fputs("|\"", out);
		put_text(out, label);
		fputs("\"|", out);
	}
	fprintf(out, " %c%zu\n", tk, to);
	if (live->label)
		link_style(styles, *n, live->worst);
	(*n)++;
	free(both);
}

static void edges(const struct netgraph *g, FILE *out, json_t *styles)
{
	size_t i, n = 0;

	for (char **br = g->bridges; *br; br++)
		for (i = 0; i < g->n; i++)
			if (on_bridge(&g->intf[i], *br))
			{
				char id[32];

				snprintf(id, sizeof(id), "i%zu", i);
				put_edge(out, id, 'o', i, NULL, &g->intf[i].live, styles, &n);
			}
	for (i = 0; i < g->n; i++) {
		const struct ng_intf *f = &g->intf[i];
		char *label;

		if (!is_host_link(f))
			continue;
		label = f->has_vlanid ? xasprintf("%s %lld", f->type, (long long)f->vlanid)
				      : xstrdup(f->type);
		char id[32];

		snprintf(id, sizeof(id), "i%zu", i);
		put_edge(out, id, 'n', nic_of(g, i), label, &f->live, styles, &n);
		free(label);
	}
	for (i = 0; i < g->ntun; i++)
		for (size_t h = 0; h < (g->nhosts ? g->nhosts : 1); h++) {
			size_t host = g->nhosts ? h : NOHOST;
			char id[72];

			if (!netgraph_here(g->tun[i].host, host_name(g, host)))
				continue;
			tunnel_id(id, sizeof(id), i, host);
			put_edge(out, id, 'r', remote_of(g, i), NULL,
				 netgraph_tunnel_live(g, &g->tun[i], host_name(g, host)), styles, &n);
		}
	/* the mesh last: the edges above keep their linkStyle numbers */
	for (size_t k = 0; k < g->nmesh; k++) {
		const struct ng_mesh *m = &g->mesh[k];
		size_t nh = json_array_size(m->hosts);

		for (size_t a = 0; a < nh; a++)
			for (size_t b = a + 1; b < nh; b++) {
				char ia[72], ib[72];

				struct ng_live live;

				mesh_id(ia, sizeof(ia), m, k, a, b);
				mesh_id(ib, sizeof(ib), m, k, b, a);
				netgraph_mesh_live(g, m, a, b, &live);
				fprintf(out, "  %s ---|\"%s %lld", ia, m->kind, (long long)m->vni);
				if (live.label) {
					fputs("<br>", out);
					put_text(out, live.label);
				}
				fprintf(out, "\"| %s\n", ib);
				if (live.label)
					link_style(styles, n, live.worst);
				free(live.label);
				n++;
			}
	}
}

/* "class i0,i3 NAME" for the nodes of KIND that TAKE: one line. */
static void put_class(FILE *out, const struct netgraph *g, char kind, const char *name,
		      bool (*take)(const struct netgraph *g, size_t i), size_t count)
{
	const char *sep = "  class ";

	for (size_t i = 0; i < count; i++)
		if (take(g, i)) {
			fprintf(out, "%s%c%zu", sep, kind, i);
			sep = ",";
		}
	if (*sep == ',')
		fprintf(out, " %s\n", name);
}

static bool any(const struct netgraph *g, size_t i) { (void)g; (void)i; return true; }
static bool outer(const struct netgraph *g, size_t i)
{
	for (char **br = g->bridges; *br; br++)
		if (on_bridge(&g->intf[i], *br))
			return true;
	return false;
}
static bool nic(const struct netgraph *g, size_t i)
{
	return is_host_link(&g->intf[i]) && nic_of(g, i) == i;
}
static bool remote(const struct netgraph *g, size_t i) { return remote_of(g, i) == i; }

/* With hosts: "class" for each host's tunnels and mesh devices (intf). */
static void host_classes(const struct netgraph *g, FILE *out)
{
	const char *sep = "  class ";
	char id[72];

	for (size_t t = 0; t < g->ntun; t++)
		for (size_t h = 0; h < g->nhosts; h++)
			if (netgraph_here(g->tun[t].host, g->hosts[h].name)) {
				tunnel_id(id, sizeof(id), t, h);
				fprintf(out, "%s%s", sep, id);
				sep = ",";
			}
	for (size_t k = 0; k < g->nmesh; k++) {
		const struct ng_mesh *m = &g->mesh[k];
		size_t nh = json_array_size(m->hosts);

		for (size_t a = 0; a < nh; a++)
			for (size_t p = 0; p < nh; p++) {
				if (p == a)
					continue;
				mesh_id(id, sizeof(id), m, k, a, p);
				fprintf(out, "%s%s", sep, id);
				sep = ",";
				if (strcmp(m->kind, "geneve"))
					break;	/* vxlan: one device per host */
			}
	}
	if (*sep == ',')
		fputs(" intf\n", out);
}

/* With hosts: each host's subgraph, its conlink/network and bridges. */
static void host_styles(const struct netgraph *g, FILE *out)
{
	char id[72];

	for (size_t h = 0; h < g->nhosts; h++) {
		size_t b = 0;

		fprintf(out, "  style h%zu " HOST_STYLE "\n", h);
		if (!has_bridges(g, h))
			continue;
		fprintf(out, "  style k%zu " CONLINK_STYLE "\n", h);
		for (char **br = g->bridges; *br; br++, b++)
			if (netgraph_bridge_here(g, *br, g->hosts[h].name)) {
				bridge_id(id, sizeof(id), b, h);
				fprintf(out, "  style %s " BRIDGE_STYLE "\n", id);
			}
	}
}

void netgraph_mermaid(const struct netgraph *g, FILE *out)
{
	json_t *styles = json_array(), *s;
	size_t i, j, c = 0;

	fputs("flowchart LR\n", out);
	nodes(g, out);
	edges(g, out, styles);
	fputs("  classDef intf " INTF_STYLE ",font-size:10px\n"
	      "  classDef nic " NIC_STYLE "\n"
	      "  classDef remote " REMOTE_STYLE "\n", out);
	put_class(out, g, 'i', "intf", any, g->n);
	put_class(out, g, 'o', "intf", outer, g->n);
	if (g->nhosts)
		host_classes(g, out);
	else
		put_class(out, g, 't', "intf", any, g->ntun);
	put_class(out, g, 'n', "nic", nic, g->n);
	put_class(out, g, 'r', "remote", remote, g->ntun);
	if (g->nhosts) {
		host_styles(g, out);
	} else {
		fputs("  style host " HOST_STYLE "\n", out);
		if (g->bridges[0])
			fputs("  style conlink " CONLINK_STYLE "\n", out);
		for (i = 0; g->bridges[i]; i++)
			fprintf(out, "  style b%zu " BRIDGE_STYLE "\n", i);
	}
	for (i = 0; i < g->n; i = j, c++) {
		for (j = i; j < g->n && !strcmp(g->intf[j].owner, g->intf[i].owner); j++)
			;
		fprintf(out, "  style c%zu %s\n", c,
			g->intf[i].service ? SERVICE_STYLE : CONTAINER_STYLE);
	}
	json_array_foreach(styles, i, s)
		fputs(json_string_value(s), out);
	json_decref(styles);
}
