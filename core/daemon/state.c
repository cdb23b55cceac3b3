/* state.c - containers' links made and undone, counted, summarised
 * (see state.h). state_container_up/down (container.h) live here. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "container_commands.h"
#include "err.h"
#include "instance.h"
#include "linkname.h"
#include "apply.h"
#include "state.h"
#include "log.h"
#include "sources.h"

/* A name under "containers" or "services" of the config. */
struct cfg_entry {
	const char *name;
	const json_t *links, *commands;
	size_t nlinks;
	int seen;		/* live containers matched to it */
};

struct link_state {
	const json_t *cfg;	/* the configured link (borrowed from the config) */
	struct undo *undo;
	char *error;		/* why it failed; NULL when made */
	int made;
};

struct cont_state {
	struct cont_state *next;	/* newest first */
	const struct source *src;
	struct cfg_entry *by_name, *by_service;
	char *id, *name;	/* point into strings[] */
	int nsfd;		/* kept open until its links are undone */
	size_t nlinks;
	struct link_state *links;	/* points into the same allocation */
	char strings[];
};

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
static long made, failed;
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
static void link_name(char *buf, size_t size, const char *cname, const json_t *link)
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

/* Failed links of S and the containers before it, oldest first. */
static void log_failed(const struct cont_state *s)
{
	if (!s)
		return;
	log_failed(s->next);
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->links[i].error)
			log_error("not connected: %s", s->links[i].error);
}

static void summary_check(void)
{
	if (!summary_on || unseen || made + failed < expected)
		return;
	if (!failed) {
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
		if (tunnels[i].error)
			log_error("not connected: %s", tunnels[i].error);
	log_failed(states);
}

void state_summary_enable(int on)
{
	summary_on = on;
	summary_dirty = 1;
	summary_check();
}

/* Note the outcome of one link; a failure keeps its message, led by the
 * link's name when the message does not name it already. */
static void record(struct link_state *ls, const char *name, int ret,
		   struct undo *undo)
{
	const char *msg = err_msg();
	size_t n = strlen(name);

	summary_dirty = 1;
	if (ret < 0) {
		if (!strncmp(msg, name, n) && msg[n] == ':')
			ls->error = strdup(msg);
		else if (asprintf(&ls->error, "%s: %s", name, msg) < 0)
			ls->error = NULL;
		log_error("%s", ls->error ? ls->error : msg);
		failed++;
		return;
	}
	ls->undo = undo;
	ls->made = 1;
	made++;
}

static void forget(struct link_state *ls)
{
	if (ls->made) {
		undo_run(ls->undo);
		made--;
	} else if (ls->error) {
		failed--;
	}
	free(ls->error);
	memset(ls, 0, sizeof(*ls));
}

void state_tunnels_make(void)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(config, "tunnels"), i, t) {
		struct undo *undo = NULL;
		char name[300];
		int ret;

		link_name(name, sizeof(name), NULL, t);
		log_info("Creating tunnel %s (bridge %s, remote %s)", name,
			 json_string_value(json_object_get(t, "bridge")),
			 json_string_value(json_object_get(t, "remote")));
		tunnels[i].cfg = t;
		ret = tunnel_make(t, env->self_ns, &undo);
		record(&tunnels[i], name, ret, undo);
	}
}

/* upstream's link-repr: "c1:eth0 (IP 10.0.0.1/24) <-> c1-eth0 (bridge s1)" */
static void log_creating(const json_t *inst)
{
	const json_t *br = json_object_get(inst, "bridge");
	const char *ip = json_string_value(json_object_get(inst, "ip"));
	const char *outer = json_string_value(json_object_get(inst, "outer-dev"));
	const char *bridge = json_is_object(br)
		? json_string_value(json_object_get(br, "bridge"))
		: json_string_value(br);

	log_info("Creating %s link %s%s%s%s%s%s%s%s%s",
		 json_string_value(json_object_get(inst, "type")),
		 json_string_value(json_object_get(inst, "dev-id")),
		 ip ? " (IP " : "", ip ? ip : "", ip ? ")" : "",
		 outer ? " <-> " : "", outer ? outer : "",
		 bridge ? " (bridge " : "", bridge ? bridge : "", bridge ? ")" : "");
}

static int outer_ns_for(const struct link_kind *k)
{
	return k->base == LINK_BASE_CONLINK ? env->self_ns :
	       k->base == LINK_BASE_HOST ? env->host_ns : -1;
}

static void link_one(struct cont_state *s, const struct container *c,
		     struct link_state *ls)
{
	struct undo *undo = NULL;
	json_t *inst = link_instance(ls->cfg, c->id, c->name, c->index);
	char name[300];
	int ret;

	link_name(name, sizeof(name), c->name, ls->cfg);
	if (!inst) {
		record(ls, name, -EINVAL, NULL);
		return;
	}
	log_creating(inst);
	if (s->nsfd < 0) {
		ret = err_fail(ENOENT, "%s: cannot open network namespace '%s'",
			       json_string_value(json_object_get(inst, "dev-id")),
			       c->netns_path);
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
		};

		ret = link_make(&lc, &undo);
	}
	record(ls, name, ret, undo);
	json_decref(inst);
}

static struct cont_state *state_new(const struct container *c, struct cfg_entry *ce,
				    struct cfg_entry *se)
{
	size_t nlinks = (ce ? ce->nlinks : 0) + (se ? se->nlinks : 0);
	size_t idlen = strlen(c->id) + 1, namelen = strlen(c->name) + 1;
	size_t lsoff = (idlen + namelen + _Alignof(struct link_state) - 1) /
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
	memcpy(s->name, c->name, namelen);
	s->links = (struct link_state *)(s->strings + lsoff);
	s->nlinks = nlinks;
	for (size_t i = 0; i < nlinks; i++)
		s->links[i].cfg = json_array_get(i < (ce ? ce->nlinks : 0) ? ce->links
						 : se->links,
						 i < (ce ? ce->nlinks : 0) ? i
						 : i - (ce ? ce->nlinks : 0));
	return s;
}

static void state_drop(struct cont_state *s)
{
	for (size_t i = s->nlinks; i-- > 0;) {
		if (s->links[i].made) {
			char name[300];

			link_name(name, sizeof(name), s->name, s->links[i].cfg);
			log_info("Deleting %s link %s",
				 json_string_value(json_object_get(s->links[i].cfg, "type")), name);
		}
		forget(&s->links[i]);
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
	for (size_t i = 0; i < s->nlinks; i++)
		link_one(s, c, &s->links[i]);
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
		forget(&tunnels[i]);
	free(tunnels);
	free(by_container);
	free(by_service);
	free(compose_project);
	tunnels = NULL;
	by_container = by_service = NULL;
	compose_project = NULL;
	n_tunnels = n_containers = n_services = 0;
	expected = made = failed = unseen = 0;
}
