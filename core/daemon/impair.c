/* impair.c - netem changed in place, links taken down and up on purpose
 * (see impair.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "events_log.h"
#include "impair.h"
#include "link.h"
#include "log.h"
#include "netem.h"
#include "nl.h"
#include "state.h"
#include "state_priv.h"

#define NAME_MAX_LEN 300	/* as state_link_name's callers */

static struct link_state *find_in(struct link_state *ls, size_t n, const char *cname,
				  const char *name)
{
	char buf[NAME_MAX_LEN];

	for (size_t i = 0; i < n; i++) {
		if (!ls[i].cfg)
			continue;
		state_link_name(buf, sizeof(buf), cname, ls[i].cfg);
		if (!strcmp(buf, name))
			return &ls[i];
	}
	return NULL;
}

/* The state table hands out its records read-only (state_priv.h); this
 * module is the one that changes a made link at run time, on the loop. */
struct link_state *impair_find(const char *name)
{
	const struct link_state *tunnels;
	struct link_state *ls;
	size_t n;

	for (const struct cont_state *s = state_newest(); s; s = s->next)
		if ((ls = find_in((struct link_state *)s->links, s->nlinks, s->name, name)))
			return ls;
	tunnels = state_tunnel_list(&n);
	return find_in((struct link_state *)tunnels, n, NULL, name);
}

static void name_of(const struct link_state *ls, char *buf, size_t size)
{
	state_link_name(buf, size, ls->owner ? ls->owner->name : NULL, ls->cfg);
}

static const char *cfg_dev(const struct link_state *ls)
{
	return json_string_value(json_object_get(ls->cfg, "dev"));
}

/* -EAGAIN unless LS is made (a link being made, retried or waiting has no
 * interface to change). */
static int must_be_made(const struct link_state *ls, const char *name)
{
	static const char *const st[] = {
		[LS_NONE] = "not made", [LS_MADE] = "made", [LS_FAILED] = "failed",
		[LS_RETRYING] = "being retried", [LS_PENDING] = "waiting for its ethtool programs",
	};

	return ls->st == LS_MADE ? 0 : err_fail(EAGAIN, "%s is %s: nothing to change", name,
						    st[ls->st]);
}

/* An event about LS: type link (tunnel), ACTION, and ATTRS (taken over)
 * with the link's container and ends added. */
static void impair_event(const struct link_state *ls, const char *action, json_t *attrs)
{
	char name[NAME_MAX_LEN];

	name_of(ls, name, sizeof(name));
	if (attrs) {
		json_object_set_new(attrs, "container",
				    ls->owner ? json_string(ls->owner->name) : json_null());
		json_object_set_new(attrs, "dev", json_string(ls->owner ? cfg_dev(ls) : ls->outer));
		json_object_set_new(attrs, "outer_dev", json_string(ls->outer));
	}
	events_emit(ls->owner ? "link" : "tunnel", action, name, ls->owner ? ls->owner->id : NULL,
		    attrs);
}

/* The netem in force on LS as text ("" none): what was set at run time,
 * else the configured string or list joined. */
static void netem_text(const struct link_state *ls, char *buf, size_t size)
{
	const json_t *v = json_object_get(ls->cfg, "netem"), *e;
	size_t i, len = 0;

	buf[0] = '\0';
	if (ls->netem_now) {
		snprintf(buf, size, "%s", ls->netem_now);
	} else if (json_is_string(v)) {
		snprintf(buf, size, "%s", json_string_value(v));
	} else {
		json_array_foreach(v, i, e) {
			int m = snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					 len ? " " : "", json_string_value(e) ?: "");

			len += m > 0 ? (size_t)m : 0;
		}
	}
}

void impair_netem_text(const struct link_state *ls, char *buf, size_t size)
{
	netem_text(ls, buf, size);
}

/* Only blanks? */
static bool blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

int impair_netem(struct link_state *ls, const char *netem)
{
	char name[NAME_MAX_LEN], was[1024];
	const char *dev = ls->owner ? cfg_dev(ls) : ls->outer;
	int ns = ls->owner ? ls->owner->nsfd : state_outer_ns_of(ls);
	struct netem_opts o, old;
	struct link_info li;
	struct nl_batch b;
	struct nl nl;
	char *copy;
	int ret;

	name_of(ls, name, sizeof(name));
	if ((ret = must_be_made(ls, name)) < 0)
		return ret;
	if (!blank(netem) && netem_parse(netem, &o) < 0)
		return err_wrap(-EINVAL, "%s: netem '%s'", name, netem);
	if (!dev || ns < 0)
		return err_fail(ENODEV, "%s: no interface to put a netem on", name);
	if (!(copy = strdup(netem)))
		return err_fail(ENOMEM, "%s: out of memory", name);
	netem_text(ls, was, sizeof(was));
	if ((ret = nl_open(&nl, NETLINK_ROUTE, ns)) < 0) {
		free(copy);
		return err_wrap(ret, "%s", name);
	}
	if ((ret = link_get(&nl, dev, &li)) < 0)
		goto out;
	nl_batch_init(&b);
	if (blank(netem)) {
		netem_del_batch(&b, li.index, "cannot remove netem qdisc");
	} else {
		/* a delay table cannot be taken off a netem (the kernel keeps
		 * the old one when given none): a new qdisc in its place then,
		 * under a handle next to the old one's */
		bool fresh = !blank(was) && netem_parse(was, &old) == 0 && old.dist[0] &&
			     strcmp(old.dist, "uniform") && !o.dist[0] && o.jitter_ns;
		uint32_t handle = 0;

		if (fresh && (ret = netem_root(&nl, li.index, &handle, NULL)) < 0) {
			nl_batch_free(&b);
			goto out;
		}
		if (fresh)
			handle = TC_H_MAKE(((TC_H_MAJ(handle) >> 16) % 0xfff0 + 1) << 16, 0);
		if ((ret = netem_replace_batch(&b, li.index, &o, handle,
					       "cannot change netem qdisc")) < 0) {
			nl_batch_free(&b);
			goto out;
		}
	}
	ret = nl_batch_run(&nl, &b);
	/* removing what is not there: the root is the default qdisc */
	if (ret == -ENOENT && blank(netem))
		ret = 0;
	else if ((ret == -ENOENT || ret == -EOPNOTSUPP) && strstr(err_msg(), "netem"))
		ret = err_fail(-ret, "kernel has no 'netem' qdisc (Specified qdisc kind is unknown)");
out:
	nl_close(&nl);
	if (ret < 0) {
		free(copy);
		return err_wrap(ret, "%s", name);
	}
	free(ls->netem_now);
	ls->netem_now = copy;
	log_info("%s: netem %s%s%s (was %s)", name, blank(netem) ? "removed" : "'",
		 blank(netem) ? "" : netem, blank(netem) ? "" : "'", blank(was) ? "none" : was);
	impair_event(ls, "netem", json_pack("{s:s, s:s}", "netem", netem, "was", was));
	return 0;
}

/* The bridge mode LS's config gives (enrich's {"bridge", "mode"}), or NULL. */
static const char *bridge_mode_of(const struct link_state *ls)
{
	const json_t *br = json_object_get(ls->cfg, "bridge");

	return json_is_object(br) ? json_string_value(json_object_get(br, "mode")) : NULL;
}

struct ends {
	struct link_state *ls[2];	/* LS, and its patch cable's other link */
	int n;
};

/* LS and, on a patch bridge, the other made link on it. */
static void patch_ends(struct link_state *ls, struct ends *e)
{
	const char *mode = bridge_mode_of(ls);
	const struct link_state *tunnels;
	size_t n;

	e->ls[0] = ls;
	e->n = 1;
	if (!ls->bridge[0])
		return;
	for (const struct cont_state *s = state_newest(); s; s = s->next)
		for (size_t i = 0; i < s->nlinks; i++) {
			struct link_state *o = (struct link_state *)&s->links[i];

			if (o == ls || o->st != LS_MADE || strcmp(o->bridge, ls->bridge))
				continue;
			mode = mode ? mode : bridge_mode_of(o);
			if (e->n < 2)
				e->ls[e->n++] = o;
		}
	tunnels = state_tunnel_list(&n);
	for (size_t i = 0; i < n; i++) {
		struct link_state *o = (struct link_state *)&tunnels[i];

		if (o != ls && o->st == LS_MADE && !strcmp(o->bridge, ls->bridge) && e->n < 2)
			e->ls[e->n++] = o;
	}
	if (!mode || strcmp(mode, "patch"))
		e->n = 1;
}

/* Set the interface that carries LS down or up: its outer end when it has
 * one of its own (veth, tunnel), else its container end. */
static int set_one(struct link_state *ls, bool up, char *which, size_t size)
{
	const struct link_kind *k =
		ls->owner ? link_kind_find(json_string_value(json_object_get(ls->cfg, "type")))
			  : NULL;
	bool outer = !ls->owner || (k && k->base == LINK_BASE_CONLINK && ls->outer[0]);
	const char *dev = outer ? ls->outer : cfg_dev(ls);
	int ns = outer ? state_outer_ns_of(ls) : ls->owner->nsfd;
	struct link_info li;
	struct nl nl;
	int ret;

	snprintf(which, size, "%s", dev ? dev : "");
	if (!dev || ns < 0)
		return err_fail(ENODEV, "no interface to set %s", up ? "up" : "down");
	if ((ret = nl_open(&nl, NETLINK_ROUTE, ns)) < 0)
		return ret;
	if ((ret = link_get(&nl, dev, &li)) == 0)
		ret = link_set_updown(&nl, li.index, up);
	nl_close(&nl);
	return ret;
}

int impair_set_up(struct link_state *ls, int up)
{
	char name[NAME_MAX_LEN], dev[2][IFNAMSIZ];
	struct ends e;
	int ret;

	name_of(ls, name, sizeof(name));
	if ((ret = must_be_made(ls, name)) < 0)
		return ret;
	patch_ends(ls, &e);
	for (int i = 0; i < e.n; i++) {
		/* first: heal.c reads it when the kernel's notification comes */
		int was = e.ls[i]->admin_down;

		e.ls[i]->admin_down = !up;
		if ((ret = set_one(e.ls[i], up, dev[i], sizeof(dev[i]))) < 0) {
			e.ls[i]->admin_down = was;
			return err_wrap(ret, "%s", name);
		}
	}
	for (int i = 0; i < e.n; i++) {
		char other[NAME_MAX_LEN];

		name_of(e.ls[i], other, sizeof(other));
		log_info("%s: %s on purpose (%s%s%s)", other, up ? "up" : "down", dev[i],
			 i ? ", the patch cable's other end of " : "", i ? name : "");
		impair_event(e.ls[i], up ? "up" : "down",
			     json_pack("{s:s, s:s}", "admin", up ? "up" : "down", "set", dev[i]));
	}
	return 0;
}

bool impair_down_on_purpose(const void *ls)
{
	return ((const struct link_state *)ls)->admin_down;
}
