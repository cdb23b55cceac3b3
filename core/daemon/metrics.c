/* metrics.c - /metrics over libmicrohttpd on the daemon's loop (see
 * metrics.h). libmicrohttpd because an HTTP server that is correct
 * against slow, partial and hostile clients (timeouts, limits, chunked
 * writes) is more than this endpoint should write itself, and it runs
 * without a thread of its own: MHD_USE_EPOLL without an internal thread
 * hands us its epoll fd, which our loop watches; MHD_run() then does
 * whatever is ready, and MHD_get_timeout() says when to call it anyway.
 *
 * It is loaded (dlopen) only when --metrics is given: Debian builds it with
 * GnuTLS, ten more shared libraries and ~2.6 MB of RSS that every conlink
 * process (and every CNI exec) would pay for a feature most runs leave off. */
#include <errno.h>

#include "err.h"
#include "metrics.h"

#ifndef HAVE_MICROHTTPD
int metrics_start(const char *addr_port)
{
	return err_fail(ENOSYS, "--metrics: this conlink was built without libmicrohttpd");
}

void metrics_stop(void)
{
}
#else
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include <jansson.h>

#include "dlsyms.h"
#include "log.h"
#include "loop.h"
#include "status.h"

/* The ABI of the -dev package's headers (libmicrohttpd12). */
#define MHD_SONAME "libmicrohttpd.so.12"

/* libmicrohttpd's functions, resolved from MHD_SONAME by mhd_load(). The
 * names below call through them, so the code reads as the library's API. */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} mhd_fn;
#define MHD_start_daemon mhd_fn.start_daemon
#define MHD_stop_daemon mhd_fn.stop_daemon
#define MHD_get_daemon_info mhd_fn.get_daemon_info
#define MHD_run mhd_fn.run
#define MHD_get_timeout mhd_fn.get_timeout
#define MHD_create_response_from_buffer mhd_fn.create_response_from_buffer
#define MHD_add_response_header mhd_fn.add_response_header
#define MHD_queue_response mhd_fn.queue_response
#define MHD_destroy_response mhd_fn.destroy_response

#define WANT(f, name) { name, (void **)&mhd_fn.f }
static const struct dlsym_want mhd_want[] = {
	WANT(start_daemon, "MHD_start_daemon"),
	WANT(stop_daemon, "MHD_stop_daemon"),
	WANT(get_daemon_info, "MHD_get_daemon_info"),
	WANT(run, "MHD_run"),
	WANT(get_timeout, "MHD_get_timeout"),
	WANT(create_response_from_buffer, "MHD_create_response_from_buffer"),
	WANT(add_response_header, "MHD_add_response_header"),
	WANT(queue_response, "MHD_queue_response"),
	WANT(destroy_response, "MHD_destroy_response"),
};
#undef WANT

/* 0, or -ENOENT naming the library and what the loader said. */
static int mhd_load(void)
{
	static int loaded;
	int ret;

	if (loaded)
		return 0;
	ret = dlsyms_load(MHD_SONAME, mhd_want, sizeof(mhd_want) / sizeof(mhd_want[0]));
	if (ret)
		return err_wrap(ret, "--metrics needs %s (Debian: libmicrohttpd12)", MHD_SONAME);
	loaded = 1;
	return 0;
}

#define CONN_MAX 16
#define CONN_TIMEOUT_S 10
#define CONN_MEMORY (64 * 1024)

static struct MHD_Daemon *mhd;
static int mhd_epfd = -1;
static struct loop_timer *mhd_timer;

/* A growing text buffer; on failure it stays short and the reply is 500. */
struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (int tries = 0; tries < 2 && !b->oom; tries++) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->p && b->len + n < b->cap) {
			b->len += n;
			return;
		}
		size_t cap = b->cap ? b->cap : 16384;

		while (cap <= b->len + n)
			cap *= 2;
		char *q = realloc(b->p, cap);

		if (!q) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

/* A label value as the text format wants it: \\, \" and \n escaped. */
static void put_label(struct buf *b, const char *name, const char *v, int first)
{
	put(b, "%s%s=\"", first ? "" : ",", name);
	for (; v && *v; v++)
		if (*v == '\\' || *v == '"')
			put(b, "\\%c", *v);
		else if (*v == '\n')
			put(b, "\\n");
		else
			put(b, "%c", *v);
	put(b, "\"");
}

static void put_labels(struct buf *b, const json_t *l, const char *project)
{
	char replica[16];

	snprintf(replica, sizeof(replica), "%lld", json_integer_value(json_object_get(l, "replica")));
	put(b, "{");
	put_label(b, "project", project, 1);
	put_label(b, "service", json_string_value(json_object_get(l, "service")), 0);
	put_label(b, "replica", replica, 0);
	put_label(b, "container", json_string_value(json_object_get(l, "container")), 0);
	put_label(b, "dev", json_string_value(json_object_get(l, "dev")), 0);
	put_label(b, "bridge", json_string_value(json_object_get(l, "bridge")), 0);
	put_label(b, "link", json_string_value(json_object_get(l, "link")), 0);
}

static void head(struct buf *b, const char *name, const char *type, const char *help)
{
	put(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *const states[] = {
	"made", "failed", "retrying", "pending", "drifted", "waiting",
};

/* One family over every link (and tunnel) of S. */
static void per_link(struct buf *b, const json_t *s, const char *project, const char *name,
		     const char *type, const char *help, const char *stat)
{
	const char *arrays[] = { "links", "tunnels" };
	const json_t *l;
	size_t i;

	head(b, name, type, help);
	for (int a = 0; a < 2; a++)
		json_array_foreach(json_object_get(s, arrays[a]), i, l) {
			const char *st = json_string_value(json_object_get(l, "state"));
			const json_t *v;

			if (!strcmp(stat, "state")) {
				for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
					put(b, "%s", name);
					put_labels(b, l, project);
					put(b, ",state=\"%s\"} %d\n", states[k], st && !strcmp(st, states[k]));
				}
				continue;
			}
			if (!strcmp(stat, "admin")) {
				/* taken down on purpose (ctl link, a timeline step):
				 * not drift, and its carrier 0 is meant */
				const char *admin = json_string_value(json_object_get(l, "admin"));

				put(b, "%s", name);
				put_labels(b, l, project);
				put(b, "} %d\n", admin && !strcmp(admin, "down"));
				continue;
			}
			if (!strcmp(stat, "carrier"))
				v = json_object_get(l, "carrier");
			else if (!strcmp(stat, "heals"))
				v = json_object_get(l, "heals");
			else
				v = json_object_get(json_object_get(l, "stats"), stat);
			if (!v)
				continue;	/* not there now: no sample */
			put(b, "%s", name);
			put_labels(b, l, project);
			put(b, "} %lld\n", json_is_boolean(v) ? (long long)json_is_true(v)
							    : json_integer_value(v));
		}
}

/* A mesh tunnel's labels (multi-host). remote_host: the host it reaches;
 * a vxlan device reaches every other host sharing its bridge and the
 * kernel counts per device, so there it is their ids joined with ","
 * (conlink_mesh_tunnel_remote_info has one sample per remote host). */
static void put_mesh_labels(struct buf *b, const json_t *m, const char *inst)
{
	char vni[16], remotes[256] = "";
	const json_t *h;
	size_t i, n = 0;

	json_array_foreach(json_object_get(m, "hosts"), i, h) {
		const char *id = json_string_value(json_object_get(h, "host"));
		int w = snprintf(remotes + n, sizeof(remotes) - n, "%s%s", i ? "," : "", id ? id : "");

		if (w < 0 || (size_t)w >= sizeof(remotes) - n)
			break;	/* 256 bytes of host ids: the rest left off */
		n += w;
	}
	snprintf(vni, sizeof(vni), "%lld", json_integer_value(json_object_get(m, "vni")));
	put(b, "{");
	put_label(b, "conlink_instance", inst, 1);
	put_label(b, "host", json_string_value(json_object_get(m, "host")), 0);
	put_label(b, "bridge", json_string_value(json_object_get(m, "bridge")), 0);
	put_label(b, "dev", json_string_value(json_object_get(m, "name")), 0);
	put_label(b, "kind", json_string_value(json_object_get(m, "kind")), 0);
	put_label(b, "vni", vni, 0);
	put_label(b, "remote_host", remotes, 0);
}

static const char *const mesh_states[] = {
	"up", "down", "not-made", "missing", "detached", "deleted",
};

/* The families of the mesh's tunnel devices (status's "mesh"). */
static void per_mesh(struct buf *b, const json_t *s, const char *inst)
{
	static const struct {
		const char *name, *type, *help, *stat;
	} fams[] = {
		{ "conlink_mesh_tunnel_state", "gauge", "1 for the state the mesh tunnel is in.", "state" },
		{ "conlink_mesh_tunnel_up", "gauge", "1 when the mesh tunnel device exists and is up.", "up" },
		{ "conlink_mesh_tunnel_heals_total", "counter", "Times the mesh tunnel was restored.", "heals" },
		{ "conlink_mesh_tunnel_rx_bytes_total", "counter", "Bytes received from the remote hosts.", "rx_bytes" },
		{ "conlink_mesh_tunnel_rx_packets_total", "counter", "Packets received from the remote hosts.", "rx_packets" },
		{ "conlink_mesh_tunnel_rx_dropped_total", "counter", "Packets dropped on receive.", "rx_dropped" },
		{ "conlink_mesh_tunnel_tx_bytes_total", "counter", "Bytes sent to the remote hosts.", "tx_bytes" },
		{ "conlink_mesh_tunnel_tx_packets_total", "counter", "Packets sent to the remote hosts.", "tx_packets" },
		{ "conlink_mesh_tunnel_tx_dropped_total", "counter", "Packets dropped on send.", "tx_dropped" },
	};
	const json_t *mesh = json_object_get(s, "mesh"), *m, *h;
	size_t i, j;

	if (!json_array_size(mesh))
		return;	/* one host: no mesh families at all */
	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		head(b, fams[f].name, fams[f].type, fams[f].help);
		json_array_foreach(mesh, i, m) {
			const json_t *v;

			if (!strcmp(fams[f].stat, "state")) {
				const char *st = json_string_value(json_object_get(m, "state"));

				for (size_t k = 0; k < sizeof(mesh_states) / sizeof(mesh_states[0]); k++) {
					put(b, "%s", fams[f].name);
					put_mesh_labels(b, m, inst);
					put(b, ",state=\"%s\"} %d\n", mesh_states[k],
					    st && !strcmp(st, mesh_states[k]));
				}
				continue;
			}
			if (!strcmp(fams[f].stat, "up"))
				v = json_boolean(json_is_true(json_object_get(m, "exists")) &&
						 json_is_true(json_object_get(m, "up")));
			else if (!strcmp(fams[f].stat, "heals"))
				v = json_object_get(m, "heals");
			else
				v = json_object_get(json_object_get(m, "stats"), fams[f].stat);
			if (!v)
				continue;	/* not there now: no sample */
			put(b, "%s", fams[f].name);
			put_mesh_labels(b, m, inst);
			put(b, "} %lld\n", json_is_boolean(v) ? (long long)json_is_true(v)
							    : json_integer_value(v));
		}
	}
	head(b, "conlink_mesh_tunnel_remote_info", "gauge",
	     "1 for each remote host a mesh tunnel reaches, with its underlay address.");
	json_array_foreach(mesh, i, m)
		json_array_foreach(json_object_get(m, "hosts"), j, h) {
			put(b, "conlink_mesh_tunnel_remote_info");
			put_mesh_labels(b, m, inst);
			put_label(b, "remote", json_string_value(json_object_get(h, "host")), 0);
			put_label(b, "remote_address", json_string_value(json_object_get(h, "address")), 0);
			put(b, "} 1\n");
		}
}

static void exposition(struct buf *b)
{
	static const struct {
		const char *name, *type, *help, *stat;
	} fams[] = {
		{ "conlink_link_state", "gauge", "1 for the state the link is in.", "state" },
		{ "conlink_link_carrier", "gauge", "1 when the container end has carrier.", "carrier" },
		{ "conlink_link_admin_down", "gauge",
		  "1 when the link was taken down on purpose (ctl link, a timeline step).", "admin" },
		{ "conlink_link_heals_total", "counter", "Times the link was restored.", "heals" },
		{ "conlink_link_rx_bytes_total", "counter", "Bytes the outer end received (the container sent).", "rx_bytes" },
		{ "conlink_link_rx_packets_total", "counter", "Packets the outer end received.", "rx_packets" },
		{ "conlink_link_rx_dropped_total", "counter", "Packets the outer end dropped on receive.", "rx_dropped" },
		{ "conlink_link_tx_bytes_total", "counter", "Bytes the outer end sent (toward the container).", "tx_bytes" },
		{ "conlink_link_tx_packets_total", "counter", "Packets the outer end sent.", "tx_packets" },
		{ "conlink_link_tx_dropped_total", "counter", "Packets the outer end dropped on send.", "tx_dropped" },
	};
	static const struct {
		const char *name, *type, *help, *key;
	} totals[] = {
		{ "conlink_links_expected", "gauge", "Links the config expects for the containers seen.", "expected" },
		{ "conlink_links_made", "gauge", "Links made.", "made" },
		{ "conlink_links_failed", "gauge", "Links failed for good.", "failed" },
		{ "conlink_links_retrying", "gauge", "Links failed and tried again.", "retrying" },
		{ "conlink_links_pending", "gauge", "Links waiting for their ethtool programs.", "pending" },
		{ "conlink_links_drifted", "gauge", "Links changed by hand and left so.", "drifted" },
		{ "conlink_containers", "gauge", "Live containers with links.", "containers" },
		{ "conlink_heals_total", "counter", "Interfaces restored after a change by hand.", "heals" },
		{ "conlink_events_total", "counter", "Events since start.", "events" },
		{ "conlink_engine_stream_reconnects_total", "counter",
		  "Times an engine's event stream was live again after it dropped.", "engine_reconnects" },
	};
	json_t *s = status_json();
	const json_t *sum = json_object_get(s, "summary");
	const char *project = json_string_value(json_object_get(s, "project"));

	if (!s) {
		b->oom = 1;
		return;
	}
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		head(b, totals[i].name, totals[i].type, totals[i].help);
		put(b, "%s", totals[i].name);
		put(b, "{");
		/* not "instance": Prometheus sets that label to the target it scraped */
		put_label(b, "conlink_instance", json_string_value(json_object_get(s, "instance")), 1);
		put(b, "} %lld\n", json_integer_value(json_object_get(sum, totals[i].key)));
	}
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		per_link(b, s, project ? project : "", fams[i].name, fams[i].type, fams[i].help,
			 fams[i].stat);
	per_mesh(b, s, json_string_value(json_object_get(s, "instance")));
	json_decref(s);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code, const char *type,
			     char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **req_cls)
{
	struct buf b = { 0 };

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     strdup("GET only\n"), 9);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain",
			     strdup("see /metrics\n"), 13);
	exposition(&b);
	if (b.oom) {
		free(b.p);
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     strdup("out of memory\n"), 14);
	}
	return reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
		     b.p ? b.p : strdup(""), b.len);
}

static void mhd_drive(void);

static void on_timer(void *arg)
{
	mhd_timer = NULL;
	mhd_drive();
}

/* Do what is ready, then arm the timer MHD asks for (idle timeouts). */
static void mhd_drive(void)
{
	MHD_UNSIGNED_LONG_LONG ms;

	MHD_run(mhd);
	loop_timer_cancel(mhd_timer);
	mhd_timer = NULL;
	if (MHD_get_timeout(mhd, &ms) == MHD_YES)
		mhd_timer = loop_timer_add(ms > 60000 ? 60000 : (long)ms, on_timer, NULL);
}

static void on_ready(int fd, uint32_t events, void *arg)
{
	mhd_drive();
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_verbose("metrics: %s", msg);
}

/* ADDR:PORT, [V6]:PORT or :PORT into a socket address. */
static int parse_addr(const char *text, struct sockaddr_storage *ss, int *v6)
{
	char host[128] = "", *colon;
	const char *port;
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM }, *ai;
	int ret;

	if (text[0] == '[') {
		const char *end = strchr(text, ']');

		if (!end || end[1] != ':' || (size_t)(end - text - 1) >= sizeof(host))
			return err_fail(EINVAL, "--metrics '%s': not [ADDR]:PORT", text);
		memcpy(host, text + 1, end - text - 1);
		port = end + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			return err_fail(EINVAL, "--metrics '%s': not ADDR:PORT", text);
		memcpy(host, text, colon - text);
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port))
		return err_fail(EINVAL, "--metrics '%s': the port is not a number", text);
	ret = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (ret)
		return err_fail(EINVAL, "--metrics '%s': %s", text, gai_strerror(ret));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

int metrics_start(const char *addr_port)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	int v6 = 0, ret;

	if ((ret = parse_addr(addr_port, &ss, &v6)) < 0 || (ret = mhd_load()) < 0)
		return ret;
	mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
			       0, NULL, NULL, on_request, NULL,
			       MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			       MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_MAX,
			       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT_S,
			       MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
			       MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			       MHD_OPTION_END);
	if (!mhd)
		return err_fail(EADDRNOTAVAIL, "--metrics %s: cannot listen there", addr_port);
	info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_EPOLL_FD);
	mhd_epfd = info ? info->epoll_fd : -1;
	if (mhd_epfd < 0 || (ret = loop_add_fd(mhd_epfd, EPOLLIN, on_ready, NULL)) < 0) {
		MHD_stop_daemon(mhd);
		mhd = NULL;
		mhd_epfd = -1;
		return err_fail(EIO, "--metrics %s: no epoll fd from libmicrohttpd", addr_port);
	}
	log_info("Metrics at http://%s/metrics", addr_port);
	return 0;
}

void metrics_stop(void)
{
	if (!mhd)
		return;
	loop_timer_cancel(mhd_timer);
	mhd_timer = NULL;
	loop_del_fd(mhd_epfd);
	MHD_stop_daemon(mhd);
	mhd = NULL;
	mhd_epfd = -1;
}
#endif
