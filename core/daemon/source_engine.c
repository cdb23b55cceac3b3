/* source_engine.c - Docker and Podman as container sources: containers
 * running at start, then the events stream (start/die), reconnect with
 * backoff and resync when the stream drops; commands through exec.
 * Defines engine_sources_start/stop (sources.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "docker_eth0.h"
#include "engine.h"
#include "engine_async.h"
#include "engine_events.h"
#include "engine_exec.h"
#include "err.h"
#include "log.h"
#include "loop.h"
#include "sources.h"

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000

struct engine_src {
	struct source src;
	char *sock;
	struct engine_conn *conn;
	struct engine_event_parser parser;
	struct engine_req *events;
	struct loop_timer *retry;
	long backoff_ms;
	int reconnecting;	/* say so once the stream is live again */
	char **known;		/* ids reported up and not yet down */
	size_t n_known;
	struct inspect_req *inspects;	/* asked after a start, not answered yet */
};

static struct engine_src *srcs[2];
static size_t n_srcs;

static ssize_t known_find(struct engine_src *s, const char *id)
{
	for (size_t i = 0; i < s->n_known; i++)
		if (!strcmp(s->known[i], id))
			return i;
	return -1;
}

static void known_add(struct engine_src *s, const char *id)
{
	char **k = realloc(s->known, (s->n_known + 1) * sizeof(*k));

	if (!k || !(k[s->n_known] = strdup(id))) {
		if (k)
			s->known = k;
		log_error("%s: out of memory", s->src.name);
		return;
	}
	s->known = k;
	s->n_known++;
}

static void known_del(struct engine_src *s, size_t i)
{
	free(s->known[i]);
	s->known[i] = s->known[--s->n_known];
}

/* Report a running container up (once). */
static void report_up(struct engine_src *s, const struct engine_info *info)
{
	char netns[64];
	struct container c = {
		.id = info->id, .name = info->name, .service = info->service,
		.project = info->project, .index = info->index, .pid = info->pid,
		.netns_path = netns, .src = &s->src,
	};

	if (!info->running || info->pid <= 0 || known_find(s, info->id) >= 0)
		return;
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)info->pid);
	known_add(s, info->id);
	log_verbose("%s: container %s (%.12s) started, pid %d", s->src.name,
		    info->name, info->id, (int)info->pid);
	state_container_up(&c);
}

static void report_down(struct engine_src *s, const char *id)
{
	ssize_t i = known_find(s, id);

	if (i < 0)
		return;
	log_verbose("%s: container %.12s died", s->src.name, id);
	known_del(s, i);
	state_container_down(&s->src, id);
}

/* An inspect asked after a start event. A die that comes before its answer
 * makes it stale: the answer (Running, when it was asked) must not link a
 * container that is gone, nor mark its id known, which would keep a later
 * restart of it (same id) from being linked. */
struct inspect_req {
	struct inspect_req *next;
	struct engine_src *s;
	struct engine_req *req;
	int stale;
	char id[];
};

static void inspect_unlink(struct inspect_req *q)
{
	for (struct inspect_req **pp = &q->s->inspects; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			return;
		}
}

/* Answers still to come go stale: a die of ID (NULL: of every one). */
static void inspects_stale(struct engine_src *s, const char *id)
{
	for (struct inspect_req *q = s->inspects; q; q = q->next)
		if (!id || !strcmp(q->id, id))
			q->stale = 1;
}

static void on_inspected(void *arg, int err, long status, const char *body, size_t len)
{
	struct inspect_req *q = arg;
	struct engine_src *s = q->s;
	struct engine_info info;
	json_t *j;

	inspect_unlink(q);
	if (q->stale) {
		log_verbose("%s: container %.12s died before its inspect answer",
			    s->src.name, q->id);
		free(q);
		return;
	}
	free(q);
	if (err) {
		/* gone again before we asked: its die event follows */
		log_verbose("%s: inspect: %s", s->src.name, err_msg());
		return;
	}
	j = json_loadb(body ? body : "", len, 0, NULL);
	if (j && !engine_info_from_json(j, &info)) {
		report_up(s, &info);
		engine_info_free(&info);
	} else {
		log_warn("%s: inspect answer not understood", s->src.name);
	}
	json_decref(j);
}

static void on_event(void *arg, const struct engine_event *ev)
{
	struct engine_src *s = arg;
	struct inspect_req *q;
	char path[PATH_MAX];

	if (ev->kind == ENGINE_EV_DIE) {
		inspects_stale(s, ev->id);
		report_down(s, ev->id);
		return;
	}
	q = calloc(1, sizeof(*q) + strlen(ev->id) + 1);
	if (!q) {
		log_error("%s: out of memory", s->src.name);
		return;
	}
	q->s = s;
	strcpy(q->id, ev->id);
	snprintf(path, sizeof(path), "/containers/%s/json", ev->id);
	q->req = engine_async(s->sock, "GET", path, NULL, 30000, NULL, on_inspected, q);
	if (!q->req) {
		log_error("%s: %s", s->src.name, err_msg());
		free(q);
		return;
	}
	q->next = s->inspects;
	s->inspects = q;
}

static void on_event_bytes(void *arg, const char *bytes, size_t n)
{
	struct engine_src *s = arg;

	s->backoff_ms = BACKOFF_MIN_MS;	/* the stream works again */
	if (engine_events_feed(&s->parser, bytes, n, on_event, s))
		log_error("%s: events: out of memory", s->src.name);
}

static void schedule_reconnect(struct engine_src *s);

static void on_events_end(void *arg, int err, long status, const char *body, size_t len)
{
	struct engine_src *s = arg;

	s->events = NULL;
	engine_events_reset(&s->parser);
	log_warn("%s: event stream on %s ended%s%s; reconnecting", s->src.name,
		 s->sock, err ? ": " : "", err ? err_msg() : "");
	schedule_reconnect(s);
}

static int resync(struct engine_src *s);

/* The events stream is live: only now list what runs, so a container that
 * starts while we list is seen by the stream or by the list (or both:
 * report_up says each once). Listing before the stream is live lost
 * containers started in between. */
static void on_events_ready(void *arg)
{
	struct engine_src *s = arg;
	int ret;

	daemon_summary_hold(1);
	ret = resync(s);
	daemon_summary_hold(0);
	if (ret) {
		log_warn("%s: %s", s->src.name, err_msg());
		engine_async_cancel(s->events);
		s->events = NULL;
		engine_events_reset(&s->parser);
		schedule_reconnect(s);
		return;
	}
	if (s->reconnecting)
		log_info("%s: reconnected to %s; containers resynchronised",
			 s->src.name, s->sock);
	s->reconnecting = 0;
}

static int events_start(struct engine_src *s)
{
	/* type filtered on the server, actions on the client: Podman's compat
	 * filter on event=die drops its "died" events */
	static const char path[] = "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D";

	s->events = engine_async(s->sock, "GET", path, NULL, 0, on_event_bytes,
				 on_events_end, s);
	if (!s->events)
		return -ENOMEM;
	engine_async_on_ready(s->events, on_events_ready);
	return 0;
}

/* Bring the known set in line with what runs now (start and reconnect). */
static int resync(struct engine_src *s)
{
	char *path = engine_list_path(NULL, NULL, 0);
	json_t *list = NULL, *c;
	size_t i;
	int ret;

	if (!path)
		return err_fail(ENOMEM, "resync");
	ret = engine_get_json(s->conn, path, &list);
	free(path);
	if (ret)
		return ret;
	/* the list is newer than any inspect answer still to come */
	inspects_stale(s, NULL);
	/* gone while we were not listening */
	for (i = s->n_known; i-- > 0;) {
		int found = 0;
		size_t k;

		json_array_foreach(list, k, c) {
			const char *id = json_string_value(json_object_get(c, "Id"));

			if (id && !strcmp(id, s->known[i]))
				found = 1;
		}
		if (!found) {
			char *id = strdup(s->known[i]);

			if (id)
				report_down(s, id);
			free(id);
		}
	}
	json_array_foreach(list, i, c) {
		const char *id = json_string_value(json_object_get(c, "Id"));
		struct engine_info info;

		if (!id || known_find(s, id) >= 0 || engine_inspect(s->conn, id, &info))
			continue;
		report_up(s, &info);
		engine_info_free(&info);
	}
	json_decref(list);
	return 0;
}

static void on_retry(void *arg)
{
	struct engine_src *s = arg;
	struct engine_conn *conn;

	s->retry = NULL;
	if (engine_connect(s->sock, &conn)) {
		log_verbose("%s: %s", s->src.name, err_msg());
		schedule_reconnect(s);
		return;
	}
	engine_disconnect(s->conn);
	s->conn = conn;
	s->reconnecting = 1;
	if (events_start(s)) {
		log_warn("%s: %s", s->src.name, err_msg());
		schedule_reconnect(s);
	}
}

static void schedule_reconnect(struct engine_src *s)
{
	if (s->retry)
		return;
	s->retry = loop_timer_add(s->backoff_ms, on_retry, s);
	s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
}

static int engine_run_command(const struct source *src, const struct container *c,
			      const json_t *cmd, command_done_fn *done, void *arg)
{
	const struct engine_src *s = src->priv;

	return engine_exec(s->sock, c->id, c->name, cmd, done, arg);
}

static void find_own_project(struct engine_src *s, const struct conlink_opts *opts,
			     const char *own_id)
{
	struct engine_info info;

	if (opts->compose_project || !own_id)
		return;
	if (!engine_inspect(s->conn, own_id, &info)) {
		if (info.project) {
			log_info("%s: conlink runs in compose project %s", s->src.name, info.project);
			daemon_set_compose_project(info.project);
		}
		engine_info_free(&info);
	}
}

static struct engine_src *src_new(const char *name, const char *sock)
{
	struct engine_src *s = calloc(1, sizeof(*s));

	if (!s || !(s->sock = strdup(sock))) {
		free(s);
		return NULL;
	}
	s->src.name = name;
	s->src.run_command = engine_run_command;
	s->src.priv = s;
	s->backoff_ms = BACKOFF_MIN_MS;
	return s;
}

static void src_free(struct engine_src *s)
{
	while (s->inspects) {
		struct inspect_req *q = s->inspects;

		s->inspects = q->next;
		engine_async_cancel(q->req);	/* its answer never comes now */
		free(q);
	}
	loop_timer_cancel(s->retry);
	engine_async_cancel(s->events);
	engine_events_reset(&s->parser);
	engine_disconnect(s->conn);
	for (size_t i = 0; i < s->n_known; i++)
		free(s->known[i]);
	free(s->known);
	free(s->sock);
	free(s);
}

int engine_sources_start(const struct conlink_opts *opts)
{
	const char *names[2] = { "docker", "podman" };
	const char *socks[2] = { opts->docker_socket, opts->podman_socket };
	char tried[2 * PATH_MAX + 16] = "";
	char *own_id = docker_own_container_id();

	if (own_id)
		log_verbose("Detected enclosing container: %s", own_id);
	for (int i = 0; i < 2; i++) {
		struct engine_src *s;
		struct engine_conn *conn;

		if (!socks[i] || !*socks[i])
			continue;
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s'%s'",
			 *tried ? " or " : "", socks[i]);
		if (engine_connect(socks[i], &conn)) {
			log_verbose("%s: %s", names[i], err_msg());
			continue;
		}
		if (!(s = src_new(names[i], socks[i]))) {
			engine_disconnect(conn);
			free(own_id);
			return err_fail(ENOMEM, "engine source");
		}
		s->conn = conn;
		log_info("Using %s engine at %s", names[i], socks[i]);
		srcs[n_srcs++] = s;
		find_own_project(s, opts, own_id);
		/* listing waits until the stream is live: on_events_ready */
		if (events_start(s)) {
			free(own_id);
			return err_wrap(-EIO, "%s", names[i]);
		}
	}
	free(own_id);
	if (!n_srcs)
		return err_fail(ECONNREFUSED, "no container engine answers on %s",
				*tried ? tried : "any socket");
	return 0;
}

void engine_sources_stop(void)
{
	engine_exec_stop_all();
	while (n_srcs)
		src_free(srcs[--n_srcs]);
	engine_async_shutdown();
}
