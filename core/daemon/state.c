/* state.c - containers' links made and undone, counted, summarised
 * (see state.h). state_container_up/down (container.h) live here. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "container_commands.h"
#include "err.h"
#include "ethtool_wait.h"
#include "events_log.h"
#include "heal.h"
#include "instance.h"
#include "link.h"
#include "linkname.h"
#include "apply.h"
#include "state.h"
#include "state_priv.h"
#include "log.h"
#include "loop.h"
#include "mesh.h"
#include "owner.h"
#include "parent_wait.h"
#include "sources.h"
#include "timeline.h"

static const json_t *config;
static const struct link_env *env;
static struct cfg_entry *by_container, *by_service;
static size_t n_containers, n_services;
static struct cont_state *states;
static struct link_state *tunnels;
static size_t n_tunnels;
static char *compose_project;

/* Counts kept as links come and go, so a check costs nothing per event. */
static long expected;		/* links of every config entry, x replicas seen */
static long made, failed, retrying, pending, heals_total;
static long unseen;		/* config entries with links but no container yet */
static int summary_on, summary_dirty, all_connected_said;

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfg_entry *)a)->name,
		      ((const struct cfg_entry *)b)->name);
}

static struct cfg_entry *entry_find(struct cfg_entry *v, size_t n, const char *name)
{
	struct cfg_entry key = {.name = name};

	return name && n ? bsearch(&key, v, n, sizeof(*v), entry_cmp) : NULL;
}

static int index_entries(const json_t *obj, struct cfg_entry **out, size_t *n)
{
	const char *name;
	json_t *val;
	size_t i = 0;

	*n = json_object_size(obj);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return err_fail(ENOMEM, "state table");
	json_object_foreach((json_t *)obj, name, val) {
		struct cfg_entry *e = &(*out)[i++];

		e->name = name;
		e->links = json_object_get(val, "links");
		e->commands = json_object_get(val, "commands");
		e->nlinks = json_array_size(e->links);
		expected += e->nlinks;
		unseen += e->nlinks > 0;
	}
	qsort(*out, *n, sizeof(**out), entry_cmp);
	return 0;
}

int state_init(const json_t *cfg, const struct link_env *e)
{
	int ret;

	config = cfg;
	env = e;
	if ((ret = index_entries(json_object_get(cfg, "containers"),
				 &by_container, &n_containers)) < 0 ||
	    (ret = index_entries(json_object_get(cfg, "services"),
				 &by_service, &n_services)) < 0)
		return ret;
	n_tunnels = json_array_size(json_object_get(cfg, "tunnels"));
	tunnels = calloc(n_tunnels ? n_tunnels : 1, sizeof(*tunnels));
	if (!tunnels)
		return err_fail(ENOMEM, "state table");
	expected += n_tunnels;
	return 0;
}

void daemon_summary_hold(int hold)
{
	state_summary_enable(!hold);
}

void daemon_set_compose_project(const char *project)
{
	free(compose_project);
	compose_project = project ? strdup(project) : NULL;
}

static void entry_seen(struct cfg_entry *e, int delta)
{
	if (!e)
		return;
	/* the first container of an entry was already expected */
	if (delta > 0 && e->seen++ > 0)
		expected += e->nlinks;
	else if (delta > 0)
		unseen -= e->nlinks > 0;
	else if (--e->seen > 0)
		expected -= e->nlinks;
	else
		unseen += e->nlinks > 0;
}

/* "container:dev" of a configured link, or "type-vni" of a tunnel. */
void state_link_name(char *buf, size_t size, const char *cname, const json_t *link)
{
	const char *type = json_string_value(json_object_get(link, "type"));
	char *id;

	if (!cname) {
		linkname_tunnel(buf, type, json_integer_value(json_object_get(link, "vni")));
		return;
	}
	id = linkname_id(cname, json_string_value(json_object_get(link, "dev")));
	snprintf(buf, size, "%s", id ? id : cname);
	free(id);
}

/* How long from the next attempt of a retried link, for the summary. */
static long next_in(const struct link_state *ls)
{
	int64_t d = loop_timer_due(ls->retry) - loop_now_ms();

	return d > 0 ? (long)d : 0;
}

static void log_unconnected(const struct link_state *ls)
{
	if (ls->st == LS_FAILED && ls->error)
		log_error("not connected: %s", ls->error);
	else if (ls->st == LS_RETRYING)
		log_warn("retrying: %s (next in %ld ms)", ls->error ? ls->error : "?",
			 next_in(ls));
}

/* Links of S and the containers before it that failed or are retried,
 * oldest first. */
static void log_unconnected_since(const struct cont_state *s)
{
	if (!s)
		return;
	log_unconnected_since(s->next);
	for (size_t i = 0; i < s->nlinks; i++)
		log_unconnected(&s->links[i]);
}

/* Once every link expected is made, failed or retried: "All links
 * connected", or the count with what is not connected and why. A link whose
 * ethtool programs still run is none of these: the summary waits for it. */
static void summary_check(void)
{
	if (!summary_on || unseen || made + failed + retrying < expected)
		return;
	if (!failed && !retrying) {
		if (!all_connected_said)
			log_info("All links connected");
		all_connected_said = 1;
		summary_dirty = 0;
		return;
	}
	if (!summary_dirty)
		return;
	summary_dirty = 0;
	log_info("%ld of %ld links connected", made, expected);
	for (size_t i = 0; i < n_tunnels; i++)
		log_unconnected(&tunnels[i]);
	log_unconnected_since(states);
}

void state_summary_enable(int on)
{
	summary_on = on;
	summary_dirty = 1;
	summary_check();
}

/* Move LS to ST, keeping the counts; a change is worth a new summary. */
static void set_state(struct link_state *ls, enum link_st st)
{
	long *const count[] = {
		[LS_NONE] = NULL, [LS_MADE] = &made, [LS_FAILED] = &failed,
		[LS_RETRYING] = &retrying, [LS_PENDING] = &pending,
	};

	if (count[ls->st])
		(*count[ls->st])--;
	if (count[st])
		(*count[st])++;
	if (ls->st != st)
		summary_dirty = 1;
	/* a bridge's mesh tunnels live while it has a member made here (a
	 * link, or a tunnel: one of this host only joins its bridge's mesh) */
	if (ls->bridge[0] && (ls->st == LS_MADE) != (st == LS_MADE))
		mesh_member(ls->bridge, st == LS_MADE ? 1 : -1);
	ls->st = st;
}

/* Retries: the first 50 ms after a failure, doubling up to 5 s. */
#define RETRY_FIRST_MS 50
#define RETRY_MAX_MS 5000
/* A name held or a device busy is given up after a minute of retries: the
 * kernel frees a deleted interface's name within seconds, so one held
 * longer is someone else's to keep (upstream fails at once there). */
#define RETRY_GIVE_UP_MS 60000

/* How long failures with ERR (an errno) are retried, in ms from the
 * first: 0 not at all, -1 for ever. What another try may cure: a name the
 * kernel still holds for an interface being deleted (a restart while the
 * old namespace is torn down) or someone else's that may go (EEXIST), a
 * device not there yet: a *vlan parent, a veth peer, a route's device
 * (ENODEV, for ever: it may appear any time), a *vlan parent there but
 * down (ENETDOWN, a vlan cannot come up on it: for ever too, someone may
 * set it up any time), a busy device (EBUSY, EAGAIN). Everything else
 * fails at once: a value the kernel refuses (EINVAL, ERANGE,
 * ENETUNREACH), no permission, a kind or qdisc the kernel lacks
 * (EOPNOTSUPP, ENOENT), a config problem. */
static long retry_limit_ms(int err)
{
	switch (err) {
	case ENODEV:
	case ENETDOWN:
		return -1;
	case EEXIST:
	case EBUSY:
	case EAGAIN:
		return RETRY_GIVE_UP_MS;
	default:
		return 0;
	}
}

static void attempt(struct link_state *ls);

static const char *const st_names[] = {
	[LS_NONE] = "none", [LS_MADE] = "made", [LS_FAILED] = "failed",
	[LS_RETRYING] = "retrying", [LS_PENDING] = "pending",
};

/* The namespace a link of kind K has its outer end in, -1: none. */
static int outer_ns_for(const struct link_kind *k)
{
	return k->base == LINK_BASE_CONLINK ? env->self_ns :
	       k->base == LINK_BASE_HOST ? env->host_ns : -1;
}

/* The namespace LS's outer end (or tunnel) lives in, -1: none. */
int state_outer_ns_of(const struct link_state *ls)
{
	const struct link_kind *k;

	if (!ls->owner)
		return env->self_ns;
	k = link_kind_find(json_string_value(json_object_get(ls->cfg, "type")));
	return k ? outer_ns_for(k) : -1;
}

/* LS has an outer end of its own in conlink's namespace (a veth's, a
 * tunnel): heal.c watches it. A *vlan's outer-dev is its parent, not ours. */
static int watchable(const struct link_state *ls)
{
	const struct link_kind *k;

	if (!ls->outer[0])
		return 0;
	if (!ls->owner)
		return 1;
	k = link_kind_find(json_string_value(json_object_get(ls->cfg, "type")));
	return k && k->base == LINK_BASE_CONLINK;
}

/* An event about link LS named NAME (events_log.h). */
static void link_event(const struct link_state *ls, const char *name, const char *action)
{
	json_t *a = json_pack("{s:s, s:s*, s:s, s:s, s:s}",
			      "state", st_names[ls->st],
			      "container", ls->owner ? ls->owner->name : NULL,
			      "dev", ls->owner ? json_string_value(json_object_get(ls->cfg, "dev"))
					       : ls->outer,
			      "outer_dev", ls->outer, "bridge", ls->bridge);

	if (a && ls->error)
		json_object_set_new(a, "error", json_string(ls->error));
	events_emit(ls->owner ? "link" : "tunnel", action, name,
		    ls->owner ? ls->owner->id : NULL, a);
}

static void retry_fire(void *arg)
{
	struct link_state *ls = arg;

	ls->retry = NULL;
	attempt(ls);
	summary_check();
}

void state_parent_ready(void *link)
{
	struct link_state *ls = link;
	struct loop_timer *now;

	/* on the loop, not here: parent_wait.c is walking its list */
	if (ls->st != LS_RETRYING || !ls->retry || !(now = loop_timer_add(0, retry_fire, ls)))
		return;
	loop_timer_cancel(ls->retry);
	ls->retry = now;
}

/* LS failed with ERR for a reason its parent (a *vlan's outer-dev in the
 * host namespace) may be: missing or down. Its retry is woken when that
 * changes (parent_wait.c). */
static void wait_parent(struct link_state *ls, int err)
{
	const struct link_kind *k;

	if (!ls->owner || (err != ENODEV && err != ENETDOWN) || !ls->outer[0] ||
	    env->host_ns < 0)
		return;
	k = link_kind_find(json_string_value(json_object_get(ls->cfg, "type")));
	if (k && k->base == LINK_BASE_HOST)
		parent_wait(ls, env->host_ns, ls->outer, err);
}

/* The message of LS's failure, led by the link's NAME when it does not
 * name it already; NULL when out of memory. */
static char *failure_text(const char *name)
{
	const char *msg = err_msg();
	size_t n = strlen(name);
	char *text;

	if (!strncmp(msg, name, n) && msg[n] == ':')
		return strdup(msg);
	return asprintf(&text, "%s: %s", name, msg) < 0 ? NULL : text;
}

/* LS failed again with a reason another try may cure: the next try on a
 * timer. The reason is logged the first time it is seen (each attempt
 * only with -v). 0, or -1 when no timer could be set. */
static int retry_later(struct link_state *ls, const char *name, char *text)
{
	int again = ls->error && text && !strcmp(ls->error, text);

	ls->delay = ls->delay ? ls->delay * 2 : RETRY_FIRST_MS;
	if (ls->delay > RETRY_MAX_MS)
		ls->delay = RETRY_MAX_MS;
	ls->retry = loop_timer_add(ls->delay, retry_fire, ls);
	if (!ls->retry)
		return -1;
	if (again)
		log_verbose("retrying: %s (attempt %d, next in %ld ms)", text, ls->attempts,
			    ls->delay);
	else
		log_warn("retrying: %s (next in %ld ms)", text ? text : err_msg(), ls->delay);
	free(ls->error);
	ls->error = text;
	set_state(ls, LS_RETRYING);
	if (!again)
		link_event(ls, name, "failed");
	return 0;
}

/* Note the outcome of one attempt at a link: made, retried later (a
 * failure another try may cure, see retry_limit_ms), or failed for good,
 * logged once. */
static void record(struct link_state *ls, const char *name, int ret,
		   struct undo *undo)
{
	int64_t now = loop_now_ms();
	long limit;
	char *text;

	if (ret >= 0) {
		parent_unwait(ls);
		if (ls->attempts)
			log_info("%s: connected after %d failed attempt%s", name, ls->attempts,
				 ls->attempts > 1 ? "s" : "");
		free(ls->error);
		ls->error = NULL;
		ls->attempts = 0;
		ls->delay = 0;
		ls->undo = undo;
		set_state(ls, LS_MADE);
		if (ls->healing) {
			ls->heals++;
			heals_total++;
		}
		link_event(ls, name, ls->healing ? "restored" : "made");
		ls->healing = 0;
		ls->drift = NULL;
		if (watchable(ls))
			heal_watch(ls, env->self_ns, ls->outer, ls->bridge);
		/* its offsets count from now: made (again: from the start) */
		timeline_stop(ls->timeline);
		ls->timeline = timeline_start(ls);
		return;
	}
	text = failure_text(name);
	limit = retry_limit_ms(-ret);
	if (!ls->attempts++)
		ls->first_failed = now;
	if (limit && (limit < 0 || now - ls->first_failed < limit) &&
	    !retry_later(ls, name, text)) {
		wait_parent(ls, -ret);
		return;
	}
	parent_unwait(ls);
	if (limit && ls->attempts > 1 && text) {
		char *longer;

		if (asprintf(&longer, "%s (gave up after %d attempts in %lld ms)", text,
			     ls->attempts, (long long)(now - ls->first_failed)) >= 0) {
			free(text);
			text = longer;
		}
	}
	log_error("%s", text ? text : err_msg());
	free(ls->error);
	ls->error = text;
	set_state(ls, LS_FAILED);
	ls->healing = 0;
	link_event(ls, name, "failed");
}

/* Undo what LS made, stop its retries and kill its ethtool programs (not
 * waited for), and count it no more; an event says ACTION when something
 * made went (NULL: none, a heal). */
static void forget(struct link_state *ls, const char *action)
{
	loop_timer_cancel(ls->retry);
	parent_unwait(ls);
	ethtool_wait_cancel(ls->ethtool);
	heal_unwatch(ls);
	timeline_stop(ls->timeline);
	ls->timeline = NULL;
	if (ls->st == LS_MADE || ls->st == LS_PENDING) {
		undo_run(ls->undo);
		if (action) {
			char name[300];

			state_link_name(name, sizeof(name), ls->owner ? ls->owner->name : NULL, ls->cfg);
			link_event(ls, name, action);
		}
	}
	set_state(ls, LS_NONE);
	free(ls->error);
	ls->error = NULL;
	ls->undo = NULL;
	ls->retry = NULL;
	ls->ethtool = NULL;
	ls->delay = 0;
	ls->attempts = 0;
	ls->drift = NULL;
	/* made again, a link has its configured netem and is up */
	free(ls->netem_now);
	ls->netem_now = NULL;
	ls->admin_down = 0;
}

static void tunnel_one(struct link_state *ls)
{
	struct undo *undo = NULL;
	char name[300];
	int ret;

	state_link_name(name, sizeof(name), NULL, ls->cfg);
	snprintf(ls->outer, sizeof(ls->outer), "%.*s", IFNAMSIZ - 1, name);
	snprintf(ls->bridge, sizeof(ls->bridge), "%s",
		 json_string_value(json_object_get(ls->cfg, "bridge")) ?: "");
	(ls->attempts ? log_verbose : log_info)("Creating tunnel %s (bridge %s, remote %s)", name,
		 json_string_value(json_object_get(ls->cfg, "bridge")),
		 json_string_value(json_object_get(ls->cfg, "remote")));
	ret = tunnel_make(ls->cfg, env->self_ns, &undo);
	record(ls, name, ret, undo);
}

void state_tunnels_make(void)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(config, "tunnels"), i, t) {
		tunnels[i].cfg = t;
		tunnel_one(&tunnels[i]);
	}
}

/* upstream's link-repr: "c1:eth0 (IP 10.0.0.1/24) <-> c1-eth0 (bridge s1)";
 * a retry's only with -v. */
static void log_creating(const json_t *inst, int retry)
{
	const json_t *br = json_object_get(inst, "bridge");
	const char *ip = json_string_value(json_object_get(inst, "ip"));
	const char *outer = json_string_value(json_object_get(inst, "outer-dev"));
	const char *bridge = json_is_object(br)
		? json_string_value(json_object_get(br, "bridge"))
		: json_string_value(br);

	(retry ? log_verbose : log_info)("Creating %s link %s%s%s%s%s%s%s%s%s",
		 json_string_value(json_object_get(inst, "type")),
		 json_string_value(json_object_get(inst, "dev-id")),
		 ip ? " (IP " : "", ip ? ip : "", ip ? ")" : "",
		 outer ? " <-> " : "", outer ? outer : "",
		 bridge ? " (bridge " : "", bridge ? bridge : "", bridge ? ")" : "");
}

/* How long a link's ethtool programs may run before it fails. */
#define ETHTOOL_TIMEOUT_MS 10000

/* The ethtool programs of LS ended: made, or failed and undone. */
static void ethtool_done(void *arg, int ret)
{
	struct link_state *ls = arg;
	struct undo *undo = ls->undo;
	char name[300];

	ls->ethtool = NULL;
	ls->undo = NULL;
	state_link_name(name, sizeof(name), ls->owner->name, ls->cfg);
	if (ret < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", err_msg());
		undo_run(undo);
		undo = NULL;
		err_fail(-ret, "%s", msg);
	}
	record(ls, name, ret, undo);
	summary_check();
}

/* Link LS is made but for its ethtool programs KIDS: watch them; it
 * counts as made once every one exited 0. 0, or -errno when they cannot
 * be watched (then killed). */
static int ethtool_pending(struct link_state *ls, struct ethtool_child *kids,
			   struct undo *undo)
{
	ls->ethtool = ethtool_wait(kids, ETHTOOL_TIMEOUT_MS, ethtool_done, ls);
	if (!ls->ethtool)
		return -ENOMEM;
	ls->undo = undo;
	set_state(ls, LS_PENDING);
	return 0;
}

/* One attempt at link LS of container S. */
static void link_one(struct cont_state *s, struct link_state *ls)
{
	struct ethtool_child *kids = NULL;
	struct undo *undo = NULL;
	json_t *inst = link_instance(ls->cfg, s->id, s->name, s->index);
	char name[300];
	int ret;

	state_link_name(name, sizeof(name), s->name, ls->cfg);
	if (!inst) {
		record(ls, name, -EINVAL, NULL);
		return;
	}
	log_creating(inst, ls->attempts > 0);
	{
		const json_t *br = json_object_get(inst, "bridge");
		const char *bname = json_is_object(br)
			? json_string_value(json_object_get(br, "bridge"))
			: json_string_value(br);
		const char *outer = json_string_value(json_object_get(inst, "outer-dev"));

		snprintf(ls->outer, sizeof(ls->outer), "%s", outer ? outer : "");
		snprintf(ls->bridge, sizeof(ls->bridge), "%s", bname ? bname : "");
		mesh_member(ls->bridge, 0);	/* its tunnels before it */
	}
	if (s->nsfd < 0) {
		ret = err_fail(ENOENT, "%s: cannot open network namespace '%s'",
			       json_string_value(json_object_get(inst, "dev-id")),
			       s->netns_path);
	} else if (link_kind_of(inst)->base == LINK_BASE_HOST && env->host_ns < 0) {
		ret = err_fail(ENOENT, "%s: no host namespace ('%s' cannot be opened)",
			       json_string_value(json_object_get(inst, "dev-id")),
			       env->host_ns_path);
	} else {
		struct link_ctx lc = {
			.link = inst,
			.id = json_string_value(json_object_get(inst, "dev-id")),
			.cont_ns = s->nsfd,
			.outer_ns = outer_ns_for(link_kind_of(inst)),
			.self_ns = env->self_ns,
			.external_intf = env->external_intf,
			.ethtool = &kids,
		};

		ret = link_make(&lc, &undo);
		if (ret < 0) {
			ethtool_kill(kids);
		} else if (kids && ethtool_pending(ls, kids, undo) == 0) {
			json_decref(inst);
			return;
		} else if (kids) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", err_msg());
			undo_run(undo);
			undo = NULL;
			ret = err_fail(ENOMEM, "%s: %s", lc.id, msg);
		}
	}
	record(ls, name, ret, undo);
	json_decref(inst);
}

static void attempt(struct link_state *ls)
{
	if (ls->owner)
		link_one(ls->owner, ls);
	else
		tunnel_one(ls);
}

static struct cont_state *state_new(const struct container *c, struct cfg_entry *ce,
				    struct cfg_entry *se)
{
	size_t nlinks = (ce ? ce->nlinks : 0) + (se ? se->nlinks : 0);
	size_t idlen = strlen(c->id) + 1, namelen = strlen(c->name) + 1;
	const char *path = c->netns_path ? c->netns_path : "";
	size_t pathlen = strlen(path) + 1;
	size_t lsoff = (idlen + namelen + pathlen + _Alignof(struct link_state) - 1) /
		       _Alignof(struct link_state) * _Alignof(struct link_state);
	struct cont_state *s = calloc(1, sizeof(*s) + lsoff + nlinks * sizeof(struct link_state));

	if (!s)
		return NULL;
	s->src = c->src;
	s->by_name = ce;
	s->by_service = se;
	s->id = s->strings;
	s->name = s->strings + idlen;
	memcpy(s->id, c->id, idlen);
	s->netns_path = s->name + namelen;
	memcpy(s->name, c->name, namelen);
	memcpy(s->netns_path, path, pathlen);
	s->index = c->index;
	s->links = (struct link_state *)(s->strings + lsoff);
	s->nlinks = nlinks;
	for (size_t i = 0; i < nlinks; i++) {
		s->links[i].cfg = json_array_get(i < (ce ? ce->nlinks : 0) ? ce->links
						 : se->links,
						 i < (ce ? ce->nlinks : 0) ? i
						 : i - (ce ? ce->nlinks : 0));
		s->links[i].owner = s;
	}
	return s;
}

static void state_drop(struct cont_state *s)
{
	for (size_t i = s->nlinks; i-- > 0;) {
		if (s->links[i].st == LS_MADE || s->links[i].st == LS_PENDING) {
			char name[300];

			state_link_name(name, sizeof(name), s->name, s->links[i].cfg);
			log_info("Deleting %s link %s",
				 json_string_value(json_object_get(s->links[i].cfg, "type")), name);
		}
		forget(&s->links[i], "removed");
	}
	entry_seen(s->by_name, -1);
	entry_seen(s->by_service, -1);
	if (s->nsfd >= 0)
		close(s->nsfd);
	free(s);
}

/* An fd of the network namespace at PATH that does not pin PATH's mount:
 * an fd opened on a bind-mounted namespace file makes a plain umount of it
 * fail with EBUSY for as long as we hold it. The namespace's own nsfs
 * file, reached from inside it, has no such effect. -1 with errno. */
static int netns_open_unpinned(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), own;

	if (fd < 0 || setns(fd, CLONE_NEWNET))
		return fd;	/* not enterable: let link_make report it */
	own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(env->self_ns, CLONE_NEWNET)) {
		/* we would go on in the container's namespace: never */
		log_error("cannot return to conlink's namespace: %s", strerror(errno));
		abort();
	}
	if (own < 0)
		return fd;
	close(fd);
	return own;
}

/* The service S is a replica of, or NULL. */
const char *state_service_of(const struct cont_state *s)
{
	return s->by_service ? s->by_service->name : NULL;
}

static void container_event(const struct cont_state *s, const char *action)
{
	json_t *a = json_pack("{s:s*, s:i, s:s, s:I}", "service", state_service_of(s),
			      "replica", s->index, "source", s->src ? s->src->name : "?",
			      "links", (json_int_t)s->nlinks);

	events_emit("container", action, s->name, s->id, a);
}

static struct cont_state **state_find(const struct source *src, const char *id)
{
	for (struct cont_state **pp = &states; *pp; pp = &(*pp)->next)
		if ((*pp)->src == src && !strcmp((*pp)->id, id))
			return pp;
	return NULL;
}

void state_container_down(const struct source *src, const char *id)
{
	struct cont_state **pp = state_find(src, id), *s;

	if (!pp)
		return;
	s = *pp;
	*pp = s->next;
	log_verbose("Event: die %s %s", s->name, s->id);
	container_event(s, "die");
	state_drop(s);
}

static int project_matches(const struct container *c)
{
	/* the hook for compose matching: engines fill c->project */
	return !compose_project || !c->project || !strcmp(compose_project, c->project);
}

void state_container_up(const struct container *c)
{
	struct cfg_entry *ce = entry_find(by_container, n_containers, c->name);
	struct cfg_entry *se = c->service && project_matches(c)
		? entry_find(by_service, n_services, c->service) : NULL;
	struct cont_state *s;

	if (!ce && !se) {
		log_verbose("Event: no matching config for %s, ignoring", c->name);
		return;
	}
	/* two sockets of one engine (podman-docker's docker.sock is Podman's)
	 * report each container twice: it is linked once, by the first */
	for (s = states; s; s = s->next)
		if (s->src != c->src && !strcmp(s->id, c->id)) {
			log_verbose("Event: %s already seen through %s, not again through %s",
				    c->name, s->src ? s->src->name : "?",
				    c->src ? c->src->name : "?");
			return;
		}
	if (state_find(c->src, c->id)) {
		log_info("%s appeared again: relinking", c->name);
		state_container_down(c->src, c->id);
	}
	log_verbose("Event: start %s %s", c->name, c->id);
	s = state_new(c, ce, se);
	if (!s) {
		log_error("%s: out of memory", c->name);
		return;
	}
	s->nsfd = netns_open_unpinned(c->netns_path);
	entry_seen(ce, 1);
	entry_seen(se, 1);
	s->next = states;
	states = s;
	container_event(s, "start");
	owner_container_clean(s->nsfd, ce ? ce->links : NULL, se ? se->links : NULL);
	for (size_t i = 0; i < s->nlinks; i++)
		link_one(s, &s->links[i]);
	/* commands run once every link of the container is made (or failed) */
	if (ce)
		container_run_commands(c, ce->commands);
	if (se)
		container_run_commands(c, se->commands);
	summary_check();
}

void state_free(void)
{
	while (states) {
		struct cont_state *s = states;

		states = s->next;
		state_drop(s);
	}
	for (size_t i = n_tunnels; i-- > 0;)
		forget(&tunnels[i], "removed");
	ethtool_wait_exit();
	free(tunnels);
	free(by_container);
	free(by_service);
	free(compose_project);
	tunnels = NULL;
	by_container = by_service = NULL;
	compose_project = NULL;
	n_tunnels = n_containers = n_services = 0;
	expected = made = failed = retrying = pending = unseen = heals_total = 0;
}

/* ---- what status, metrics and heal see (state.h, heal.h; the links
 * one by one: state_view.c) ---- */

const struct cont_state *state_newest(void)
{
	return states;
}

void state_entries(const struct cfg_entry **by_name, size_t *n_name,
		   const struct cfg_entry **by_svc, size_t *n_svc)
{
	*by_name = by_container;
	*n_name = n_containers;
	*by_svc = by_service;
	*n_svc = n_services;
}

const struct link_state *state_tunnel_list(size_t *n)
{
	*n = n_tunnels;
	return tunnels;
}

void state_counts_get(struct state_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->expected = expected;
	c->made = made;
	c->failed = failed;
	c->retrying = retrying;
	c->pending = pending;
	c->heals = heals_total;
	for (const struct cont_state *s = states; s; s = s->next) {
		c->containers++;
		for (size_t i = 0; i < s->nlinks; i++)
			c->drifted += s->links[i].st == LS_MADE && s->links[i].drift;
	}
	for (size_t i = 0; i < n_tunnels; i++)
		c->drifted += tunnels[i].st == LS_MADE && tunnels[i].drift;
}

const char *state_compose_project(void)
{
	return compose_project;
}

void state_heal_relink(void *arg)
{
	struct link_state *ls = arg;

	if (ls->st != LS_MADE)
		return;
	ls->healing = 1;
	forget(ls, NULL);
	attempt(ls);
	summary_check();
}

void state_heal_drift(void *arg, const char *what)
{
	struct link_state *ls = arg;

	ls->drift = what;
}

void state_heal_counted(void *arg)
{
	struct link_state *ls = arg;

	ls->heals++;
	heals_total++;
}

bool state_heal_needs_bridge(void *arg)
{
	const struct link_state *ls = arg;

	return json_array_size(json_object_get(ls->cfg, "forward")) > 0;
}
