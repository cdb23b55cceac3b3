/* async.c - libcurl multi on the daemon's loop (see engine_async.h).
 * curl tells which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to
 * call it back (CURLMOPT_TIMERFUNCTION); the loop does the waiting. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "curl_load.h"
#include "engine.h"
#include "engine_async.h"
#include "http.h"
#include "err.h"
#include "loop.h"

struct engine_req {
	CURL *easy;
	struct curl_slist *hdrs;
	char *url, *payload;
	engine_data_fn *data;
	engine_done_fn *done;
	engine_ready_fn *ready;	/* once, when a 2xx answer's headers are in */
	void *arg;
	char *body;		/* collected: non-2xx answers, or all without DATA */
	size_t len, cap;
	long timeout_ms;	/* 0: none */
	int too_big;		/* the collected body passed ENGINE_BODY_MAX */
	int cancelled;
	int pending;		/* not yet added to the multi handle */
	int streaming;		/* decided on the first body bytes */
	struct engine_req *next;
};

static CURLM *multi;
static struct loop_timer *multi_timer;
static struct engine_req *reqs;
static struct loop_timer *reap_timer;
/* Inside curl_multi_socket_action (so inside a write callback), curl
 * refuses new handles (CURLM_RECURSIVE_API_CALL): those wait here. */
static int in_curl;
static struct loop_timer *add_timer;
static struct loop_timer *check_timer;	/* engine_async_flush's check_done */

static void reap_cancelled(void *arg);

static void req_free(struct engine_req *r)
{
	struct engine_req **pp;

	for (pp = &reqs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	if (r->easy) {
		if (!r->pending)
			curl_multi_remove_handle(multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->hdrs);
	free(r->url);
	free(r->payload);
	free(r->body);
	free(r);
}

static void check_done(void)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(multi, &left))) {
		struct engine_req *r;
		long status = 0;
		int err = 0, plen;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		if (r->cancelled) {
			req_free(r);
			continue;
		}
		/* the path without its query (filters): what a reader needs */
		plen = (int)strcspn(r->url + 16, "?");
		if (r->too_big)
			err = err_fail(EFBIG, "%.*s: answer over %ld MiB: not read",
				       plen, r->url + 16, ENGINE_BODY_MAX >> 20);
		else if (m->data.result == CURLE_OPERATION_TIMEDOUT && r->timeout_ms)
			err = err_fail(ETIMEDOUT, "%.*s: no answer in %ld ms", plen,
				       r->url + 16, r->timeout_ms);
		else if (m->data.result != CURLE_OK)
			err = err_fail(m->data.result == CURLE_OPERATION_TIMEDOUT ?
				       ETIMEDOUT : ECONNRESET, "%.*s: %s", plen, r->url + 16,
				       curl_easy_strerror(m->data.result));
		else if (status >= 400) {
			struct engine_http_reply rep = { status, r->body, r->len, r->cap };

			err = err_fail(status == 404 ? ENOENT : EIO, "%.*s: %s",
				       plen, r->url + 16, engine_http_error(&rep));
		}
		r->done(r->arg, err, status, r->data && r->streaming ? NULL : r->body,
			r->len);
		req_free(r);
	}
}

static void on_fd(int fd, uint32_t events, void *arg)
{
	int flags = 0, running;

	if (events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	in_curl++;
	curl_multi_socket_action(multi, fd, flags, &running);
	in_curl--;
	check_done();
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	uint32_t ev = 0;

	if (what == CURL_POLL_REMOVE) {
		loop_del_fd(s);
		curl_multi_assign(multi, s, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		ev |= EPOLLOUT;
	if (socketp)
		return loop_mod_fd(s, ev) ? -1 : 0;
	if (loop_add_fd(s, ev, on_fd, NULL))
		return -1;
	curl_multi_assign(multi, s, (void *)1);
	return 0;
}

static void on_timeout(void *arg)
{
	int running;

	multi_timer = NULL;	/* the loop frees a fired timer */
	in_curl++;
	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
	in_curl--;
	check_done();
}

static int on_timer(CURLM *m, long timeout_ms, void *userp)
{
	loop_timer_cancel(multi_timer);
	multi_timer = NULL;
	if (timeout_ms >= 0 && !(multi_timer = loop_timer_add(timeout_ms, on_timeout, NULL)))
		return -1;
	return 0;
}

static size_t on_body(char *bytes, size_t size, size_t nmemb, void *arg)
{
	struct engine_req *r = arg;
	size_t n = size * nmemb;

	if (r->cancelled)
		return 0;	/* aborts the transfer; check_done frees it */
	if (r->data && !r->streaming && !r->len) {
		long status = 0;

		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		r->streaming = status >= 200 && status < 300;
	}
	if (r->streaming) {
		r->data(r->arg, bytes, n);
		return r->cancelled ? 0 : n;
	}
	if (r->len + n > ENGINE_BODY_MAX) {
		r->too_big = 1;
		return 0;	/* aborts the transfer; check_done says why */
	}
	return engine_buf_append(&r->body, &r->len, &r->cap, bytes, n) ? 0 : n;
}

/* The blank line that ends the headers: the server is now answering, so a
 * stream (events) is live. READY runs from a timer, outside curl. */
static void call_ready(void *arg)
{
	struct engine_req *r = arg;

	for (struct engine_req *q = reqs; q; q = q->next)
		if (q == r && !r->cancelled && r->ready)
			r->ready(r->arg);
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *arg)
{
	struct engine_req *r = arg;
	size_t n = size * nmemb;
	long status = 0;

	if (r->cancelled)
		return 0;
	if ((n == 2 && line[0] == '\r') || (n == 1 && line[0] == '\n')) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300 && r->ready &&
		    !loop_timer_add(0, call_ready, r))
			return 0;
	}
	return n;
}

void engine_async_on_ready(struct engine_req *r, engine_ready_fn *ready)
{
	r->ready = ready;
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
}

static void add_pending(void *arg)
{
	struct engine_req *r, *next;

	add_timer = NULL;
	for (r = reqs; r; r = next) {
		next = r->next;
		if (!r->pending)
			continue;
		r->pending = 0;
		if (r->cancelled) {
			r->pending = 1;	/* never added: not to be removed */
			req_free(r);
		} else if (curl_multi_add_handle(multi, r->easy) != CURLM_OK) {
			engine_done_fn *done = r->done;
			void *a = r->arg;

			r->pending = 1;
			req_free(r);
			done(a, err_fail(ENOMEM, "engine request"), 0, NULL, 0);
		}
	}
}

static int multi_init(void)
{
	int ret;

	if (multi)
		return 0;
	if ((ret = engine_global_init()))
		return ret;
	multi = curl_multi_init();
	if (!multi)
		return err_fail(ENOMEM, "curl_multi_init");
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
	return 0;
}

struct engine_req *engine_async(const char *socket_path, const char *method,
				const char *path, const json_t *body, long timeout_ms,
				engine_data_fn *data, engine_done_fn *done, void *arg)
{
	struct engine_req *r;

	if (multi_init())
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r || !(r->easy = curl_easy_init()) ||
	    asprintf(&r->url, "http://localhost%s", path) < 0) {
		if (r)
			r->url = NULL;
		goto nomem;
	}
	r->data = data;
	r->timeout_ms = timeout_ms;
	r->done = done;
	r->arg = arg;
	curl_easy_setopt(r->easy, CURLOPT_UNIX_SOCKET_PATH, socket_path);
	curl_easy_setopt(r->easy, CURLOPT_URL, r->url);
	curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	if (timeout_ms)
		curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (body || !strcmp(method, "POST")) {
		r->payload = body ? json_dumps(body, JSON_COMPACT) : strdup("");
		r->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
		if (!r->payload || !r->hdrs)
			goto nomem;
		curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->payload);
	}
	if (in_curl) {
		r->pending = 1;
		if (!add_timer && !(add_timer = loop_timer_add(0, add_pending, NULL)))
			goto nomem;
	} else if (curl_multi_add_handle(multi, r->easy) != CURLM_OK) {
		goto nomem;
	}
	r->next = reqs;
	reqs = r;
	return r;
nomem:
	if (r) {
		if (r->easy)
			curl_easy_cleanup(r->easy);
		curl_slist_free_all(r->hdrs);
		free(r->payload);
		free(r->url);
		free(r);
	}
	err_fail(ENOMEM, "engine request %s %s", method, path);
	return NULL;
}

static void check_later(void *arg)
{
	check_timer = NULL;
	check_done();
}

void engine_async_flush(void)
{
	int running;

	if (!multi || in_curl)
		return;
	in_curl++;
	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
	in_curl--;
	/* what ended in there is handed over from the loop, not inside the
	 * caller (which may be one of those answers' callbacks) */
	if (!check_timer)
		check_timer = loop_timer_add(0, check_later, NULL);
}

void engine_async_cancel(struct engine_req *r)
{
	/* curl may be inside one of R's callbacks: mark it now, free it from
	 * a timer (outside curl), or when a write callback aborts it first */
	if (!r)
		return;
	r->cancelled = 1;
	r->done = NULL;
	if (!reap_timer)
		reap_timer = loop_timer_add(0, reap_cancelled, NULL);
}

static void reap_cancelled(void *arg)
{
	struct engine_req *r = reqs, *next;

	reap_timer = NULL;
	for (; r; r = next) {
		next = r->next;
		if (r->cancelled)
			req_free(r);
	}
}

void engine_async_shutdown(void)
{
	while (reqs)
		req_free(reqs);
	loop_timer_cancel(multi_timer);
	loop_timer_cancel(reap_timer);
	loop_timer_cancel(add_timer);
	loop_timer_cancel(check_timer);
	multi_timer = reap_timer = add_timer = check_timer = NULL;
	if (multi)
		curl_multi_cleanup(multi);
	multi = NULL;
}
