/* http.c - HTTP/1.1 to an engine's unix socket (see http.h): the request
 * written by hand, the answer parsed by libhttp-parser, a non-blocking
 * socket that the loop (async.c) or poll (engine_http, blocking) waits on.
 * No TLS, proxy or redirect: the Engine API on a unix socket needs none. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "http.h"
#include "err.h"
#include "loop.h"

/* One read: a 32 MiB list takes 1,024 of them, an event line one. */
#define READ_CHUNK 32768

int engine_buf_append(char **buf, size_t *len, size_t *cap, const char *bytes,
		      size_t n)
{
	if (!*buf || *len + n + 1 > *cap) {
		size_t want = *cap ? *cap : 256;
		char *p;

		while (want < *len + n + 1)
			want *= 2;
		if (!(p = realloc(*buf, want)))
			return -ENOMEM;
		*buf = p;
		*cap = want;
	}
	memcpy(*buf + *len, bytes, n);
	*len += n;
	(*buf)[*len] = 0;
	return 0;
}

char *engine_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *p = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			*p++ = c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = 0;
	return out;
}

/* ---- one request on one connection ---- */

static int on_headers_complete(http_parser *p)
{
	struct engine_http_conn *c = p->data;

	c->head_done = 1;
	return c->on_head && c->on_head(c) ? -1 : 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
	struct engine_http_conn *c = p->data;

	return c->on_body ? c->on_body(c, at, n) : 0;
}

static int on_message_complete(http_parser *p)
{
	struct engine_http_conn *c = p->data;

	c->complete = 1;
	return 0;
}

static const http_parser_settings settings = {
	.on_headers_complete = on_headers_complete,
	.on_body = on_body,
	.on_message_complete = on_message_complete,
};

int engine_http_open(struct engine_http_conn *c, const char *socket_path,
		     const char *method, const char *path, const json_t *body)
{
	char *payload = NULL, len[96] = "";
	int n;

	c->fd = -1;
	c->out = NULL;
	c->out_len = c->out_off = 0;
	c->connected = c->head_done = c->complete = 0;
	if (strlen(socket_path) >= sizeof(c->addr.sun_path))
		return err_fail(ENAMETOOLONG, "socket path too long");
	memset(&c->addr, 0, sizeof(c->addr));
	c->addr.sun_family = AF_UNIX;
	strcpy(c->addr.sun_path, socket_path);
	if (body || !strcmp(method, "POST")) {
		payload = body ? json_dumps(body, JSON_COMPACT) : strdup("");
		if (!payload)
			return err_fail(ENOMEM, "request");
		snprintf(len, sizeof(len), "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\n", strlen(payload));
	}
	/* Host is required by HTTP/1.1; on a unix socket any name does */
	n = asprintf(&c->out, "%s %s HTTP/1.1\r\nHost: localhost\r\n"
		     "User-Agent: conlink\r\nConnection: close\r\n%s\r\n%s",
		     method, path, len, payload ? payload : "");
	free(payload);
	if (n < 0) {
		c->out = NULL;
		return err_fail(ENOMEM, "request");
	}
	c->out_len = n;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		n = errno;
		engine_http_close(c);
		return err_fail(n, "socket");
	}
	http_parser_init(&c->parser, HTTP_RESPONSE);
	c->parser.data = c;
	return 0;
}

int engine_http_send(struct engine_http_conn *c)
{
	if (!c->connected) {
		if (connect(c->fd, (struct sockaddr *)&c->addr, sizeof(c->addr)) &&
		    errno != EISCONN) {
			/* a full backlog (EAGAIN): tried again a little later */
			if (errno == EAGAIN || errno == EINPROGRESS || errno == EALREADY)
				return -EAGAIN;
			/* no socket is no engine, not "no such container" */
			return err_fail(errno == ENOENT ? ECONNREFUSED : errno,
					"cannot connect: %s", strerror(errno));
		}
		c->connected = 1;
	}
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return -EAGAIN;
		if (n < 0)
			return err_fail(errno, "cannot send the request: %s", strerror(errno));
		c->out_off += n;
	}
	return 0;
}

int engine_http_recv(struct engine_http_conn *c)
{
	char buf[READ_CHUNK];
	enum http_errno he;
	ssize_t n;

	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return err_fail(errno == EPIPE ? ECONNRESET : errno, "read: %s",
				strerror(errno));
	/* a read of 0 bytes tells the parser the end (a body until EOF) */
	http_parser_execute(&c->parser, &settings, buf, n);
	if (c->complete)
		return 1;
	he = HTTP_PARSER_ERRNO(&c->parser);
	if (he == HPE_CB_headers_complete || he == HPE_CB_body)
		return -ECANCELED;
	if (he != HPE_OK)
		return err_fail(EPROTO, "not an HTTP answer (%s)", http_errno_description(he));
	if (!n)
		return err_fail(ECONNRESET, c->head_done ? "connection closed before the "
				"answer ended" : "connection closed without an answer");
	return 0;
}

void engine_http_close(struct engine_http_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
}

/* ---- blocking: one request, poll() until done or the deadline ---- */

static int collect(struct engine_http_conn *c, const char *bytes, size_t n)
{
	struct engine_http_reply *r = c->owner;

	if (r->len + n > ENGINE_BODY_MAX) {
		r->status = -1;	/* over the cap: told apart from out of memory */
		return 1;
	}
	return engine_buf_append(&r->body, &r->len, &r->cap, bytes, n) ? 1 : 0;
}

static int exchange(struct engine_http_conn *c, long timeout_ms)
{
	int64_t deadline = loop_now_ms() + timeout_ms;
	int ret;

	for (;;) {
		struct pollfd pfd = { .fd = c->fd };
		int64_t left = deadline - loop_now_ms();

		if (c->out_off < c->out_len || !c->connected) {
			if ((ret = engine_http_send(c)) != -EAGAIN && ret)
				return ret;
			pfd.events = ret ? POLLOUT : POLLIN;
		} else if ((ret = engine_http_recv(c))) {
			return ret < 0 ? ret : 0;
		} else {
			pfd.events = POLLIN;
		}
		if (left <= 0)
			return -ETIMEDOUT;
		if (!c->connected) {	/* backlog full: no fd event says when */
			poll(NULL, 0, left < 10 ? (int)left : 10);
			continue;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return err_fail(errno, "poll");
	}
}

int engine_http(const char *socket_path, const char *method, const char *path,
		const json_t *body, long timeout_ms, struct engine_http_reply *r)
{
	struct engine_http_conn c = { .on_body = collect, .owner = r };
	int ret;

	memset(r, 0, sizeof(*r));
	ret = engine_http_open(&c, socket_path, method, path, body);
	if (!ret)
		ret = exchange(&c, timeout_ms);
	if (!ret || r->status != -1)
		r->status = c.head_done ? c.parser.status_code : 0;
	engine_http_close(&c);
	if (!ret)
		return 0;
	if (ret == -ECANCELED && r->status == -1)
		ret = err_fail(EFBIG, "engine socket '%s': %s %s: answer over %ld MiB: not read",
			       socket_path, method, path, ENGINE_BODY_MAX >> 20);
	else if (ret == -ECANCELED)
		ret = err_fail(ENOMEM, "engine socket '%s': %s %s: out of memory",
			       socket_path, method, path);
	else if (ret == -ETIMEDOUT)
		ret = err_fail(ETIMEDOUT, "engine socket '%s': %s %s: no answer in %ld ms",
			       socket_path, method, path, timeout_ms);
	else
		ret = err_wrap(ret, "engine socket '%s': %s %s", socket_path,
			       method, path);
	engine_http_reply_free(r);
	return ret;
}

void engine_http_reply_free(struct engine_http_reply *r)
{
	free(r->body);
	r->body = NULL;
	r->len = r->cap = 0;
}

const char *engine_http_error(const struct engine_http_reply *r)
{
	static char buf[256];
	json_t *j;

	if (r->body && (j = json_loads(r->body, 0, NULL))) {
		const char *m = json_string_value(json_object_get(j, "message"));

		if (m)
			snprintf(buf, sizeof(buf), "%s", m);
		json_decref(j);
		if (m)
			return buf;
	}
	if (r->body && r->len) {
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(r->body, "\n"), r->body);
		return buf;
	}
	snprintf(buf, sizeof(buf), "HTTP %ld", r->status);
	return buf;
}
