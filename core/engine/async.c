/* async.c - engine requests on the daemon's loop (see engine_async.h): each
 * request its own non-blocking connection (http.c) whose fd the loop
 * watches, its timeout a loop timer. Nothing here blocks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "engine_async.h"
#include "http.h"
#include "err.h"
#include "loop.h"

/* A full listen backlog says nothing on an fd: connect is tried again
 * this often, for at most CONNECT_MS (with or without a request timeout). */
#define CONNECT_RETRY_MS 10
#define CONNECT_MS 10000

struct engine_req {
	struct engine_http_conn c;
	char *what;		/* the path without its query (filters): for messages */
	engine_data_fn *data;
	engine_done_fn *done;
	engine_ready_fn *ready;	/* once, when a 2xx answer's headers are in */
	void *arg;
	char *body;		/* collected: non-2xx answers, or all without DATA */
	size_t len, cap;
	long timeout_ms;	/* 0: none */
	int64_t started;	/* loop_now_ms() at the start */
	struct loop_timer *deadline;	/* the request's timeout */
	struct loop_timer *kick;	/* connect again, or report a failure */
	char *failed;		/* why it failed before the loop saw it */
	int failed_err;
	int watched;		/* the fd is on the loop */
	int too_big;		/* the collected body passed ENGINE_BODY_MAX */
	int streaming;		/* a 2xx answer's body goes to DATA */
	int cancelled;
	int busy;		/* inside one of its callbacks: freed after */
	struct engine_req *next;
};

static struct engine_req *reqs;

static void req_free(struct engine_req *r)
{
	struct engine_req **pp;

	for (pp = &reqs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	if (r->watched)
		loop_del_fd(r->c.fd);
	loop_timer_cancel(r->deadline);
	loop_timer_cancel(r->kick);
	engine_http_close(&r->c);
	free(r->what);
	free(r->failed);
	free(r->body);
	free(r);
}

/* The request is over: RET 0 an answer came whole, else -errno with
 * err_msg() (or R's own flags) saying why. DONE once, then R is freed. */
static void finish(struct engine_req *r, int ret)
{
	long status = r->c.head_done ? r->c.parser.status_code : 0;
	engine_done_fn *done = r->done;
	int err = 0;

	if (r->cancelled || !done) {
		req_free(r);
		return;
	}
	if (r->too_big)
		err = err_fail(EFBIG, "%s: answer over %ld MiB: not read", r->what,
			       ENGINE_BODY_MAX >> 20);
	else if (ret == -ETIMEDOUT)
		err = err_fail(ETIMEDOUT, "%s: no answer in %ld ms", r->what,
			       r->timeout_ms ? r->timeout_ms : CONNECT_MS);
	else if (ret == -ECANCELED)
		err = err_fail(ENOMEM, "%s: out of memory", r->what);
	else if (ret)
		err = err_wrap(ret, "%s", r->what);
	else if (status >= 400) {
		struct engine_http_reply rep = { status, r->body, r->len, r->cap };

		err = err_fail(status == 404 ? ENOENT : EIO, "%s: %s", r->what,
			       engine_http_error(&rep));
	}
	r->done = NULL;
	r->busy++;
	done(r->arg, err, status, r->streaming ? NULL : r->body, r->len);
	req_free(r);
}

static void on_fd(int fd, uint32_t events, void *arg)
{
	struct engine_req *r = arg;
	int ret;

	r->busy++;
	if (r->c.out_off < r->c.out_len) {
		ret = engine_http_send(&r->c);
		if (!ret && loop_mod_fd(fd, EPOLLIN))
			ret = -errno;
		if (ret == -EAGAIN)
			ret = 0;
	} else {
		ret = engine_http_recv(&r->c);
	}
	r->busy--;
	if (r->cancelled)
		req_free(r);
	else if (ret)
		finish(r, ret > 0 ? 0 : ret);
}

static void on_deadline(void *arg)
{
	struct engine_req *r = arg;

	r->deadline = NULL;	/* the loop frees a fired timer */
	finish(r, -ETIMEDOUT);
}

/* Connect (again) and send; -errno with err_msg() on failure. */
static int step(struct engine_req *r);

static void on_kick(void *arg)
{
	struct engine_req *r = arg;
	int ret;

	r->kick = NULL;
	if (r->failed) {
		ret = err_fail(r->failed_err, "%s", r->failed);
		finish(r, ret);
		return;
	}
	if ((ret = step(r)))
		finish(r, ret);
}

static int step(struct engine_req *r)
{
	int ret = engine_http_send(&r->c);

	if (ret && ret != -EAGAIN)
		return ret;
	if (!r->c.connected) {
		if (loop_now_ms() - r->started >= CONNECT_MS)
			return -ETIMEDOUT;
		r->kick = loop_timer_add(CONNECT_RETRY_MS, on_kick, r);
		return r->kick ? 0 : err_fail(ENOMEM, "timer");
	}
	if ((ret = loop_add_fd(r->c.fd, ret ? EPOLLOUT : EPOLLIN, on_fd, r)))
		return ret;
	r->watched = 1;
	return 0;
}

static int on_head(struct engine_http_conn *c)
{
	struct engine_req *r = c->owner;
	int ok = c->parser.status_code >= 200 && c->parser.status_code < 300;

	r->streaming = r->data && ok;
	/* the server is now answering, so a stream (events) is live */
	if (ok && r->ready)
		r->ready(r->arg);
	return r->cancelled;
}

static int on_body(struct engine_http_conn *c, const char *bytes, size_t n)
{
	struct engine_req *r = c->owner;

	if (r->streaming) {
		r->data(r->arg, bytes, n);
		return r->cancelled;
	}
	if (r->len + n > ENGINE_BODY_MAX) {
		r->too_big = 1;
		return 1;	/* ends the request; finish says why */
	}
	return engine_buf_append(&r->body, &r->len, &r->cap, bytes, n) ? 1 : 0;
}

void engine_async_on_ready(struct engine_req *r, engine_ready_fn *ready)
{
	r->ready = ready;
}

struct engine_req *engine_async(const char *socket_path, const char *method,
				const char *path, const json_t *body, long timeout_ms,
				engine_data_fn *data, engine_done_fn *done, void *arg)
{
	struct engine_req *r = calloc(1, sizeof(*r));
	int ret;

	if (!r || !(r->what = strndup(path, strcspn(path, "?")))) {
		free(r);
		err_fail(ENOMEM, "engine request %s %s", method, path);
		return NULL;
	}
	r->c.fd = -1;
	r->c.on_head = on_head;
	r->c.on_body = on_body;
	r->c.owner = r;
	r->data = data;
	r->done = done;
	r->arg = arg;
	r->timeout_ms = timeout_ms;
	r->started = loop_now_ms();
	r->next = reqs;
	reqs = r;
	if ((ret = engine_http_open(&r->c, socket_path, method, path, body))) {
		err_wrap(ret, "engine request %s %s", method, r->what);
		req_free(r);
		return NULL;
	}
	if (timeout_ms && !(r->deadline = loop_timer_add(timeout_ms, on_deadline, r)))
		goto nomem;
	/* DONE never runs before the caller has R: a failure now (no such
	 * socket, refused) is reported from the loop */
	if ((ret = step(r))) {
		r->failed_err = -ret;
		if (!(r->failed = strdup(err_msg())) ||
		    !(r->kick = loop_timer_add(0, on_kick, r)))
			goto nomem;
	}
	return r;
nomem:
	req_free(r);
	err_fail(ENOMEM, "engine request %s %s", method, path);
	return NULL;
}

void engine_async_cancel(struct engine_req *r)
{
	if (!r)
		return;
	r->cancelled = 1;
	r->done = NULL;
	if (!r->busy)
		req_free(r);	/* else once its callback has returned */
}

void engine_async_shutdown(void)
{
	while (reqs)
		req_free(reqs);
}
