/* state_view.c - the state table link by link, as status, metrics and
 * heal see it (state_links_each, state.h): the links of live containers,
 * those still waiting for a container, and tunnels. */
#include <string.h>

#include "state.h"
#include "state_priv.h"

static void view_fill(struct link_view *v, const struct link_state *ls, const char *name)
{
	static const char *const shown[] = {
		[LS_NONE] = "waiting", [LS_MADE] = "made", [LS_FAILED] = "failed",
		[LS_RETRYING] = "retrying", [LS_PENDING] = "pending",
	};
	const struct cont_state *s = ls->owner;

	memset(v, 0, sizeof(*v));
	v->link = name;
	v->cfg = ls->cfg;
	v->container = s ? s->name : NULL;
	v->id = s ? s->id : NULL;
	v->service = s ? state_service_of(s) : NULL;
	v->replica = s ? s->index : 0;
	v->dev = s ? json_string_value(json_object_get(ls->cfg, "dev")) : ls->outer;
	v->outer_dev = ls->outer;
	v->bridge = ls->bridge;
	v->state = ls->st == LS_MADE && ls->drift ? "drifted" : shown[ls->st];
	v->error = ls->error;
	v->drift = ls->drift;
	v->heals = ls->heals;
	v->netem_now = ls->netem_now;
	v->admin_down = ls->admin_down;
	v->timeline = ls->timeline;
	v->cont_ns = s ? s->nsfd : -1;
	v->outer_ns = ls->st == LS_NONE ? -1 : state_outer_ns_of(ls);
	v->tunnel = !s;
}

static void each_since(const struct cont_state *s, state_view_fn *fn, void *arg)
{
	char name[300];
	struct link_view v;

	if (!s)
		return;
	each_since(s->next, fn, arg);
	for (size_t i = 0; i < s->nlinks; i++) {
		state_link_name(name, sizeof(name), s->name, s->links[i].cfg);
		view_fill(&v, &s->links[i], name);
		fn(&v, arg);
	}
}

/* The links of config entries no live container matches yet. */
static void each_waiting(const struct cfg_entry *e, size_t n, int service,
			 state_view_fn *fn, void *arg)
{
	char name[300];
	struct link_view v;
	size_t i;
	json_t *l;

	for (; n--; e++) {
		if (e->seen)
			continue;
		json_array_foreach(e->links, i, l) {
			const json_t *br = json_object_get(l, "bridge");
			const char *bname = json_is_object(br)
				? json_string_value(json_object_get(br, "bridge"))
				: json_string_value(br);

			state_link_name(name, sizeof(name), e->name, l);
			memset(&v, 0, sizeof(v));
			v.link = name;
			v.cfg = l;
			v.service = service ? e->name : NULL;
			v.dev = json_string_value(json_object_get(l, "dev"));
			v.outer_dev = "";
			v.bridge = bname ? bname : "";
			v.state = "waiting";
			v.cont_ns = v.outer_ns = -1;
			fn(&v, arg);
		}
	}
}

void state_links_each(state_view_fn *fn, void *arg)
{
	const struct cfg_entry *by_name, *by_svc;
	const struct link_state *tunnels = NULL;
	size_t n_name, n_svc, n_tunnels;
	char name[300];
	struct link_view v;

	state_entries(&by_name, &n_name, &by_svc, &n_svc);
	tunnels = state_tunnel_list(&n_tunnels);
	each_since(state_newest(), fn, arg);
	each_waiting(by_name, n_name, 0, fn, arg);
	each_waiting(by_svc, n_svc, 1, fn, arg);
	for (size_t i = 0; i < n_tunnels; i++) {
		if (!tunnels[i].cfg)
			continue;
		state_link_name(name, sizeof(name), NULL, tunnels[i].cfg);
		view_fill(&v, &tunnels[i], name);
		fn(&v, arg);
	}
}
