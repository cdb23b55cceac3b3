/* source_engine.c - Docker and Podman as container sources: containers
 * running at start, then the events stream (start/die), reconnect with
 * backoff and resync when the stream drops; commands through exec.
 * Defines engine_sources_start/stop (sources.h).
 *
 * Every request is asynchronous on the loop with a timeout (_ping, the
 * list, each inspect, the stream's answer): an engine that accepts but
 * never answers delays nothing else, neither another source's links nor a
 * signal. A container is known by its id and its process (PID and start
 * time), so one restarted under the same id while the stream was down is
 * relinked, and a PID reused by another process is never linked. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "container.h"
#include "docker_eth0.h"
#include "engine.h"
#include "engine_async.h"
#include "engine_events.h"
#include "engine_exec.h"
#include "engine_identity.h"
#include "err.h"
#include "events_log.h"
#include "log.h"
#include "loop.h"
#include "sources.h"

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000
#define PING_TIMEOUT_MS 5000
#define REQ_TIMEOUT_MS 10000	/* the list, an inspect */
#define STREAM_ANSWER_MS 10000	/* the events stream's answer headers */
/* A listing's first inspects, asked before the rest. All at once (100
 * containers: 100 connections), the engine answers them together, the
 * first only when most are done (Docker 20.10, 100 running: 5-55 ms after
 * asking, 0.7 ms for one alone). The first few alone, the first answers
 * ~0.1 ms after asking: that container is linked, then the rest are asked
 * at once (a few at a time all along made the engine's answer latency,
 * not the links, set the pace: 100 linked in 240-300 ms instead of 190). */
#define INSPECT_FIRST 4
/* Podman's own listing: the same Id per running container as its
 * Docker-compatible one, in about half the time (Podman 4.3, 100 running:
 * 55-60 ms instead of 100-115 ms). Any version prefix routes there. */
#define LIBPOD_PREFIX "/v4.0.0/libpod"

struct known {
	char *id;
	pid_t pid;
	unsigned long long start_time;	/* of PID: which process it was */
};

struct engine_src {
	struct source src;
	char *sock;
	char *own_id;		/* conlink's own container: its compose project */
	struct engine_event_parser parser;
	struct engine_req *ping, *own, *events, *list;
	struct loop_timer *retry, *stream_deadline;
	long backoff_ms;
	int used;		/* "Using ... engine" said */
	char *said;		/* the last failure said since the last success */
	int reconnecting;	/* say so once the stream is live again */
	int holding;		/* holds the summary: a listing is in flight */
	size_t batch;		/* inspects of listings not answered yet */
	size_t skipped_said, dropped_said;
	struct known *known;	/* reported up and not yet down */
	size_t n_known;
	struct inspect_req *inspects;	/* asked, not answered yet */
	char **queue;		/* a listing's ids not asked yet, in its order */
	size_t n_queue, queue_at;	/* ids in it, the next to ask */
	size_t in_window;	/* a listing's inspects asked, not answered */
	int window_open;	/* its first answer came: the rest asked at once */
	int libpod_list;	/* listed at LIBPOD_PREFIX (the podman source, until
				 * an engine there says 404) */
	unsigned long long list_asked;	/* engine_boot_ticks() when listed */
};

static struct engine_src *srcs[2];
static size_t n_srcs;
static int summary_holds;	/* sources listing: the summary waits for all */
static long stream_reconnects;	/* event streams live again after a drop */

long engine_stream_reconnects(void)
{
	return stream_reconnects;
}

static void hold_summary(struct engine_src *s)
{
	if (s->holding)
		return;
	s->holding = 1;
	if (summary_holds++ == 0)
		daemon_summary_hold(1);
}

/* Released once the listing and every inspect it asked are answered. */
static void release_summary(struct engine_src *s)
{
	if (!s->holding || s->list || s->batch)
		return;
	s->holding = 0;
	if (--summary_holds == 0)
		daemon_summary_hold(0);
}

/* A failure: a warning, unless it is the one said last (an engine that
 * stays down, retried, must not flood the log: verbose then). */
static void complain(struct engine_src *s, const char *what)
{
	if (s->said && !strcmp(s->said, what)) {
		log_verbose("%s: %s", s->src.name, what);
		return;
	}
	log_warn("%s: %s", s->src.name, what);
	free(s->said);
	s->said = strdup(what);
}

static void succeeded(struct engine_src *s)
{
	free(s->said);
	s->said = NULL;
}

static struct known *known_find(struct engine_src *s, const char *id)
{
	for (size_t i = 0; i < s->n_known; i++)
		if (!strcmp(s->known[i].id, id))
			return &s->known[i];
	return NULL;
}

/* K's process still runs: the same instance of the container. */
static int known_alive(const struct known *k)
{
	unsigned long long t;

	return !engine_pid_start_time(k->pid, &t) && t == k->start_time;
}

static struct known *known_add(struct engine_src *s, const char *id)
{
	struct known *k = realloc(s->known, (s->n_known + 1) * sizeof(*k));

	if (!k)
		return NULL;
	s->known = k;
	k += s->n_known;
	if (!(k->id = strdup(id)))
		return NULL;
	s->n_known++;
	return k;
}

static void known_del(struct engine_src *s, struct known *k)
{
	free(k->id);
	*k = s->known[--s->n_known];
}

/* Report a running container up: once per instance (id and process).
 * ASKED: when its inspect was asked (engine_boot_ticks). */
static void report_up(struct engine_src *s, const struct engine_info *info,
		      unsigned long long asked)
{
	struct known *k = known_find(s, info->id);
	unsigned long long start_time;
	unsigned long ino;
	char netns[64];
	struct container c = {
		.id = info->id, .name = info->name, .service = info->service,
		.project = info->project, .index = info->index, .pid = info->pid,
		.netns_path = netns, .src = &s->src,
	};

	if (!info->running || info->pid <= 0)
		return;
	if (k && k->pid == info->pid && known_alive(k))
		return;
	if (engine_pid_check(info->pid, asked, info->started, &start_time, &ino)) {
		log_warn("%s: container %s (%.12s): %s; not linked", s->src.name,
			 info->name, info->id, err_msg());
		return;
	}
	if (k) {
		log_info("%s: container %s (%.12s) runs again under the same id (pid %d, was %d)",
			 s->src.name, info->name, info->id, (int)info->pid, (int)k->pid);
	} else if (!(k = known_add(s, info->id))) {
		log_error("%s: out of memory", s->src.name);
		return;
	}
	k->pid = info->pid;
	k->start_time = c.start_time = start_time;
	snprintf(netns, sizeof(netns), "/proc/%d/ns/net", (int)info->pid);
	log_verbose("%s: container %s (%.12s) started, pid %d, netns inode %lu",
		    s->src.name, info->name, info->id, (int)info->pid, ino);
	/* a known id is relinked: its old links went with the old instance */
	state_container_up(&c);
}

static void report_down(struct engine_src *s, const char *id)
{
	struct known *k = known_find(s, id);
	char *gone;

	if (!k || !(gone = strdup(id)))
		return;
	log_verbose("%s: container %.12s died", s->src.name, id);
	known_del(s, k);
	state_container_down(&s->src, gone);
	free(gone);
}

/* An inspect asked after a start event or by a listing. A die that comes
 * before its answer makes it stale: the answer (Running, when it was
 * asked) must not link a container that is gone, nor mark its id known,
 * which would keep a later restart of it (same id) from being linked. */
struct inspect_req {
	struct inspect_req *next;
	struct engine_src *s;
	struct engine_req *req;
	int stale;
	int batch;		/* asked by a listing: counted in s->batch */
	unsigned long long asked;	/* engine_boot_ticks() when asked */
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

static void inspect_answer(struct engine_src *s, const struct inspect_req *q, int err,
			   const char *body, size_t len)
{
	const char *id = q->id;
	struct engine_info info;
	json_error_t jerr;
	json_t *j;

	if (err) {
		/* gone again before we asked: its die event follows */
		log_verbose("%s: inspect %.12s: %s", s->src.name, id, err_msg());
		return;
	}
	j = json_loadb(body ? body : "", len, 0, &jerr);
	if (!j)
		log_warn("%s: inspect %.12s: not JSON (%s); not linked", s->src.name,
			 id, jerr.text);
	else if (engine_info_from_json(j, &info))
		log_warn("%s: inspect %.12s: %s; not linked", s->src.name, id, err_msg());
	else {
		report_up(s, &info, q->asked);
		engine_info_free(&info);
	}
	json_decref(j);
}

static void inspect_start(struct engine_src *s, const char *id, int batch);

/* Ask the listing's next inspects: its first INSPECT_FIRST, or all that
 * are left once one answered. Sent at once (engine_async_flush). */
static void queue_ask(struct engine_src *s)
{
	while ((s->window_open || s->in_window < INSPECT_FIRST) && s->queue_at < s->n_queue) {
		char *id = s->queue[s->queue_at];

		s->queue[s->queue_at++] = NULL;
		s->batch--;	/* counted again by inspect_start, now asked */
		inspect_start(s, id, 1);
		free(id);
	}
	engine_async_flush();
}

/* The queue's ids not asked yet are dropped (a newer listing, the end). */
static void queue_clear(struct engine_src *s)
{
	for (; s->queue_at < s->n_queue; s->queue_at++) {
		free(s->queue[s->queue_at]);
		s->batch--;
	}
	free(s->queue);
	s->queue = NULL;
	s->n_queue = s->queue_at = 0;
}

static void on_inspected(void *arg, int err, long status, const char *body, size_t len)
{
	struct inspect_req *q = arg;
	struct engine_src *s = q->s;

	inspect_unlink(q);
	if (q->stale)
		log_verbose("%s: container %.12s went before its inspect answer",
			    s->src.name, q->id);
	else
		inspect_answer(s, q, err, body, len);
	/* linked first, then the rest asked: each of them is in the engine's
	 * hands while this one's answer is acted on or not */
	if (q->batch) {
		s->in_window--;
		s->window_open = 1;
		queue_ask(s);
		s->batch--;
	}
	free(q);
	release_summary(s);
}

static void inspect_start(struct engine_src *s, const char *id, int batch)
{
	struct inspect_req *q = calloc(1, sizeof(*q) + strlen(id) + 1);
	char path[PATH_MAX];

	if (!q) {
		log_error("%s: out of memory", s->src.name);
		return;
	}
	q->s = s;
	q->batch = batch;
	q->asked = engine_boot_ticks();
	strcpy(q->id, id);
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	q->req = engine_async(s->sock, "GET", path, NULL, REQ_TIMEOUT_MS, NULL,
			      on_inspected, q);
	if (!q->req) {
		log_error("%s: %s", s->src.name, err_msg());
		free(q);
		return;
	}
	s->batch += batch;
	s->in_window += batch;
	q->next = s->inspects;
	s->inspects = q;
}

static void on_event(void *arg, const struct engine_event *ev)
{
	struct engine_src *s = arg;

	if (ev->kind == ENGINE_EV_DIE) {
		inspects_stale(s, ev->id);
		report_down(s, ev->id);
		return;
	}
	inspect_start(s, ev->id, 0);
}

static void on_event_bytes(void *arg, const char *bytes, size_t n)
{
	struct engine_src *s = arg;

	s->backoff_ms = BACKOFF_MIN_MS;	/* the stream works again */
	if (engine_events_feed(&s->parser, bytes, n, on_event, s))
		log_error("%s: events: out of memory", s->src.name);
	if (s->parser.dropped > s->dropped_said) {
		log_warn("%s: event line over %ld KiB without a newline: dropped (%zu so far)",
			 s->src.name, ENGINE_EVENT_LINE_MAX >> 10, s->parser.dropped);
		s->dropped_said = s->parser.dropped;
	}
	if (s->parser.skipped > s->skipped_said) {
		if (!s->skipped_said)
			log_warn("%s: event line not a JSON object: skipped", s->src.name);
		s->skipped_said = s->parser.skipped;
	}
}

static void schedule_reconnect(struct engine_src *s);

/* The stream is gone or useless: everything that hangs on it stops, the
 * known containers stay as they are until a listing says otherwise. */
static void stream_restart(struct engine_src *s)
{
	engine_async_cancel(s->events);
	engine_async_cancel(s->list);
	loop_timer_cancel(s->stream_deadline);
	s->events = s->list = NULL;
	s->stream_deadline = NULL;
	if (s->parser.len)
		log_verbose("%s: a partial event line of %zu bytes dropped", s->src.name,
			    s->parser.len);
	engine_events_reset(&s->parser);
	s->reconnecting = 1;
	release_summary(s);
	schedule_reconnect(s);
}

static void on_events_end(void *arg, int err, long status, const char *body, size_t len)
{
	struct engine_src *s = arg;
	char why[512];

	s->events = NULL;
	snprintf(why, sizeof(why), "event stream on %s ended%s%s; reconnecting", s->sock,
		 err ? ": " : "", err ? err_msg() : "");
	complain(s, why);
	stream_restart(s);
}

static void on_stream_silent(void *arg)
{
	struct engine_src *s = arg;
	char why[512];

	s->stream_deadline = NULL;
	snprintf(why, sizeof(why), "event stream on %s: no answer in %d s; reconnecting",
		 s->sock, STREAM_ANSWER_MS / 1000);
	complain(s, why);
	stream_restart(s);
}

/* A listing is only used when every entry is an object with a string Id:
 * anything else (an error page, another API's answer) would unlink every
 * container it does not name. NULL when it is, else why not. */
static const char *list_type_error(const json_t *list)
{
	const json_t *c;
	size_t i;

	if (!json_is_array(list))
		return "not a JSON array";
	json_array_foreach(list, i, c)
		if (!json_is_string(json_object_get(c, "Id")))
			return "an entry without a string Id";
	return NULL;
}

static int listed(const json_t *list, const char *id)
{
	const json_t *c;
	size_t i;

	json_array_foreach(list, i, c)
		if (!strcmp(json_string_value(json_object_get(c, "Id")), id))
			return 1;
	return 0;
}

static void on_events_ready(void *arg);

/* A libpod listing entry tells all an inspect would (Podman's list has the
 * Pid, Names, Labels and StartedAt): INFO from it, 1, and no inspect. One
 * that does not (a field missing or of another type, another Podman): 0,
 * it is inspected. */
static int libpod_entry_info(struct engine_src *s, const json_t *c, struct engine_info *info)
{
	if (engine_info_from_libpod_entry(c, info) == 0)
		return 1;
	log_verbose("%s: %.12s: %s; inspected", s->src.name,
		    json_string_value(json_object_get(c, "Id")), err_msg());
	return 0;
}

/* Bring the known set in line with what runs now (start and reconnect). */
static void on_listed(void *arg, int err, long status, const char *body, size_t len)
{
	struct engine_src *s = arg;
	struct engine_info *ready;	/* complete libpod entries: no inspect */
	size_t i, n_ready = 0;
	json_error_t jerr;
	const char *why;
	char msg[512];
	json_t *list, *c;

	s->list = NULL;
	if (err == -ENOENT && s->libpod_list) {
		/* not Podman behind the podman socket: the compatible listing */
		log_verbose("%s: no libpod listing (%s); using /containers/json",
			    s->src.name, err_msg());
		s->libpod_list = 0;
		on_events_ready(s);
		return;
	}
	if (err) {
		snprintf(msg, sizeof(msg), "container list: %s; known containers kept",
			 err_msg());
		complain(s, msg);
		stream_restart(s);
		return;
	}
	list = json_loadb(body ? body : "", len, 0, &jerr);
	why = list ? list_type_error(list) : jerr.text;
	if (why) {
		snprintf(msg, sizeof(msg), "container list not understood (%s%s: '%.60s'):"
			 " known containers kept", list ? "" : "not JSON: ", why,
			 body ? body : "");
		complain(s, msg);
		json_decref(list);
		stream_restart(s);
		return;
	}
	/* the list is newer than any inspect answer still to come */
	inspects_stale(s, NULL);
	for (i = s->n_known; i-- > 0;)
		if (!listed(list, s->known[i].id))
			report_down(s, s->known[i].id);
	/* what runs: asked again unless its process is the one we linked;
	 * queued in the listing's order, the first INSPECT_FIRST asked now */
	queue_clear(s);
	s->window_open = 0;
	s->queue = calloc(json_array_size(list) + 1, sizeof(*s->queue));
	ready = s->libpod_list ? calloc(json_array_size(list) + 1, sizeof(*ready)) : NULL;
	json_array_foreach(list, i, c) {
		const char *id = json_string_value(json_object_get(c, "Id"));
		struct known *k = known_find(s, id);

		if (k && known_alive(k))
			continue;
		/* a complete libpod entry is linked below, without an inspect */
		if (ready && libpod_entry_info(s, c, &ready[n_ready])) {
			n_ready++;
			continue;
		}
		if (!s->queue || !(s->queue[s->n_queue] = strdup(id))) {
			log_error("%s: out of memory", s->src.name);
			break;
		}
		s->n_queue++;
		s->batch++;
	}
	/* the incomplete ones in the engine's hands while the others link,
	 * as their inspects' answers would; the PID checked against the time
	 * the listing was asked: the entry describes the process then (or
	 * later), as an inspect does its own */
	queue_ask(s);
	for (i = 0; i < n_ready; i++) {
		report_up(s, &ready[i], s->list_asked);
		engine_info_free(&ready[i]);
	}
	free(ready);
	json_decref(list);
	succeeded(s);
	if (s->reconnecting) {
		stream_reconnects++;
		log_info("%s: reconnected to %s; containers resynchronised",
			 s->src.name, s->sock);
		events_emit("engine", "reconnected", s->src.name, NULL,
			    json_pack("{s:s}", "socket", s->sock));
	}
	s->reconnecting = 0;
	release_summary(s);
}

/* The events stream is live: only now list what runs, so a container that
 * starts while we list is seen by the stream or by the list (or both:
 * report_up says each once). Listing before the stream is live lost
 * containers started in between. */
static void on_events_ready(void *arg)
{
	struct engine_src *s = arg;
	char *path = engine_list_path(NULL, NULL, 0), *libpod;

	if (path && s->libpod_list) {
		libpod = path;
		if (asprintf(&path, "%s%s", LIBPOD_PREFIX, libpod) < 0)
			path = NULL;
		free(libpod);
	}

	loop_timer_cancel(s->stream_deadline);
	s->stream_deadline = NULL;
	hold_summary(s);
	s->list_asked = engine_boot_ticks();
	if (path)
		s->list = engine_async(s->sock, "GET", path, NULL, REQ_TIMEOUT_MS, NULL,
				       on_listed, s);
	free(path);
	if (!s->list) {
		log_warn("%s: %s", s->src.name, path ? err_msg() : "out of memory");
		stream_restart(s);
	}
}

static void events_start(struct engine_src *s)
{
	/* type filtered on the server, actions on the client: Podman's compat
	 * filter on event=die drops its "died" events */
	static const char path[] = "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D";

	s->events = engine_async(s->sock, "GET", path, NULL, 0, on_event_bytes,
				 on_events_end, s);
	if (!s->events) {
		log_warn("%s: %s", s->src.name, err_msg());
		schedule_reconnect(s);
		return;
	}
	engine_async_on_ready(s->events, on_events_ready);
	s->stream_deadline = loop_timer_add(STREAM_ANSWER_MS, on_stream_silent, s);
}

/* conlink's own container told its compose project (or did not): the
 * stream may start, services now match in the right project. */
static void on_own_inspected(void *arg, int err, long status, const char *body, size_t len)
{
	struct engine_src *s = arg;
	json_t *j = err ? NULL : json_loadb(body ? body : "", len, 0, NULL);
	struct engine_info info;

	s->own = NULL;
	if (j && !engine_info_from_json(j, &info)) {
		if (info.project) {
			log_info("%s: conlink runs in compose project %s", s->src.name,
				 info.project);
			daemon_set_compose_project(info.project);
		}
		engine_info_free(&info);
		free(s->own_id);
		s->own_id = NULL;
	} else {
		log_verbose("%s: own container %.12s: %s", s->src.name, s->own_id,
			    err ? err_msg() : "inspect answer not understood");
	}
	json_decref(j);
	events_start(s);
}

static void on_ping(void *arg, int err, long status, const char *body, size_t len)
{
	struct engine_src *s = arg;
	char why[512], path[PATH_MAX];

	s->ping = NULL;
	if (err || status != 200) {
		snprintf(why, sizeof(why), "engine at %s does not answer (%s); retrying",
			 s->sock, err ? err_msg() : "_ping not OK");
		complain(s, why);
		schedule_reconnect(s);
		return;
	}
	if (!s->used)
		log_info("Using %s engine at %s", s->src.name, s->sock);
	s->used = 1;
	if (s->own_id) {
		snprintf(path, sizeof(path), "/containers/%s/json", s->own_id);
		s->own = engine_async(s->sock, "GET", path, NULL, REQ_TIMEOUT_MS, NULL,
				      on_own_inspected, s);
		if (s->own)
			return;
	}
	events_start(s);
}

static void src_connect(struct engine_src *s)
{
	s->ping = engine_async(s->sock, "GET", "/_ping", NULL, PING_TIMEOUT_MS, NULL,
			       on_ping, s);
	if (!s->ping) {
		log_warn("%s: %s", s->src.name, err_msg());
		schedule_reconnect(s);
	}
}

static void on_retry(void *arg)
{
	struct engine_src *s = arg;

	s->retry = NULL;
	src_connect(s);
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

static struct engine_src *src_new(const char *name, const char *sock, const char *own_id)
{
	struct engine_src *s = calloc(1, sizeof(*s));

	if (!s || !(s->sock = strdup(sock)) || (own_id && !(s->own_id = strdup(own_id)))) {
		if (s)
			free(s->sock);
		free(s);
		return NULL;
	}
	s->src.name = name;
	s->src.run_command = engine_run_command;
	s->src.priv = s;
	s->backoff_ms = BACKOFF_MIN_MS;
	s->libpod_list = !strcmp(name, "podman");
	return s;
}

/* Nothing waits: every request is only cancelled (freed with curl's
 * handles by engine_async_shutdown), whatever the engine is doing. */
static void src_free(struct engine_src *s)
{
	queue_clear(s);
	while (s->inspects) {
		struct inspect_req *q = s->inspects;

		s->inspects = q->next;
		engine_async_cancel(q->req);	/* its answer never comes now */
		free(q);
	}
	loop_timer_cancel(s->retry);
	loop_timer_cancel(s->stream_deadline);
	engine_async_cancel(s->ping);
	engine_async_cancel(s->own);
	engine_async_cancel(s->events);
	engine_async_cancel(s->list);
	engine_events_reset(&s->parser);
	for (size_t i = 0; i < s->n_known; i++)
		free(s->known[i].id);
	free(s->known);
	free(s->own_id);
	free(s->said);
	free(s->sock);
	free(s);
}

/* Does something listen on the unix socket PATH? A missing socket or a
 * refused connect is known at once; an engine that accepts but does not
 * answer is found out later, on the loop (its _ping times out). 0 or
 * -errno. */
static int socket_listens(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret = 0;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* EAGAIN: its backlog is full, it is there */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EAGAIN &&
	    errno != EINPROGRESS)
		ret = -errno;
	close(fd);
	return ret;
}

int engine_sources_start(const struct conlink_opts *opts)
{
	const char *names[2] = { "docker", "podman" };
	const char *socks[2] = { opts->docker_socket, opts->podman_socket };
	char tried[2 * PATH_MAX + 16] = "";
	char *own_id = opts->compose_project ? NULL : docker_own_container_id();

	if (own_id)
		log_verbose("Detected enclosing container: %s", own_id);
	for (int i = 0; i < 2; i++) {
		struct engine_src *s;
		int ret;

		if (!socks[i] || !*socks[i])
			continue;
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s'%s'",
			 *tried ? " or " : "", socks[i]);
		if ((ret = socket_listens(socks[i]))) {
			log_verbose("%s: engine socket '%s': %s", names[i], socks[i],
				    strerror(-ret));
			continue;
		}
		/* libcurl is loaded now, for a socket that is there (curl_load.h) */
		if ((ret = engine_global_init())) {
			free(own_id);
			return ret;
		}
		if (!(s = src_new(names[i], socks[i], own_id))) {
			free(own_id);
			return err_fail(ENOMEM, "engine source");
		}
		srcs[n_srcs++] = s;
		/* answered on the loop: on_ping, then the stream, then the list */
		src_connect(s);
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
