/* control.c - the control socket on the daemon's loop (see control.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <jansson.h>

#include "control.h"
#include "err.h"
#include "impair.h"
#include "log.h"
#include "loop.h"
#include "status.h"

#define REQ_MAX 4096		/* one request line */
#define OUT_MAX (1 << 20)	/* unread output before a subscriber is dropped */
#define REPLY_MAX (64 << 20)	/* a status reply (about 1 KiB a link) */
#define IDLE_MS 5000		/* for the request to arrive */
#define CLIENTS_MAX 32
#define STALL_MS 5000		/* output pending with no byte taken: dropped */
#define SNDBUF (16 * 1024)	/* the kernel's share of a client's output */

struct client {
	struct client *next;
	int fd;
	char in[REQ_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outoff, outcap;
	int subscribed;		/* streams events */
	int closing;		/* closed once OUT is flushed */
	struct loop_timer *idle;
	struct loop_timer *stall;	/* armed while output waits */
};

static int lfd = -1;
static char *lpath;
static dev_t ldev;
static ino_t lino;
static struct client *clients;
static int nclients, nsubscribers;

int control_subscribers(void)
{
	return nsubscribers;
}

static void client_drop(struct client *c)
{
	for (struct client **pp = &clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	loop_timer_cancel(c->idle);
	loop_timer_cancel(c->stall);
	loop_del_fd(c->fd);
	close(c->fd);
	nclients--;
	nsubscribers -= c->subscribed;
	free(c->out);
	free(c);
}

static void client_stalled(void *arg)
{
	struct client *c = arg;

	c->stall = NULL;
	log_warn("control: dropping a client that does not read (%zu bytes unread for %d ms)",
		 c->outlen - c->outoff, STALL_MS);
	client_drop(c);
}

/* Write what C has queued; drop it when done and closing, or on error.
 * A client that takes no byte for STALL_MS is dropped: a status reply or
 * events must not hold memory and a client slot for ever. 0 while C
 * lives, -1 when dropped. */
static int client_flush(struct client *c)
{
	size_t before = c->outoff;

	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_drop(c);
			return -1;
		}
		c->outoff += n;
	}
	if (c->outoff == c->outlen) {
		c->outoff = c->outlen = 0;
		loop_timer_cancel(c->stall);
		c->stall = NULL;
		if (c->closing) {
			client_drop(c);
			return -1;
		}
	} else if (!c->stall || c->outoff != before) {
		loop_timer_cancel(c->stall);
		c->stall = loop_timer_add(STALL_MS, client_stalled, c);
	}
	loop_mod_fd(c->fd, EPOLLIN | (c->outlen ? EPOLLOUT : 0));
	return 0;
}

/* Queue LEN bytes of DATA to C. -1 (C dropped) when past LIMIT unread. */
static int client_queue(struct client *c, const char *data, size_t len, size_t limit)
{
	size_t pending = c->outlen - c->outoff;

	if (pending + len > limit) {
		log_warn("control: dropping a client that does not read (%zu bytes unread)",
			 pending);
		client_drop(c);
		return -1;
	}
	if (c->outoff) {
		memmove(c->out, c->out + c->outoff, pending);
		c->outlen = pending;
		c->outoff = 0;
	}
	if (c->outlen + len > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *p;

		while (cap < c->outlen + len)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			client_drop(c);
			return -1;
		}
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, data, len);
	c->outlen += len;
	return 0;
}

static void client_reply(struct client *c, json_t *reply)
{
	char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;

	json_decref(reply);
	c->closing = 1;
	if (!text) {
		client_drop(c);
		return;
	}
	if (client_queue(c, text, strlen(text), REPLY_MAX) == 0 &&
	    client_queue(c, "\n", 1, REPLY_MAX) == 0)
		client_flush(c);
	free(text);
}

/* {"cmd": "netem", "link": L, "netem": OPTIONS} and {"cmd": "link",
 * "link": L, "up": BOOL}: impair.h's, answered {"ok": true, ...} or
 * {"error": MESSAGE}. */
static json_t *impair_request(const char *cmd, const json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "link"));
	const json_t *netem = json_object_get(req, "netem"), *up = json_object_get(req, "up");
	struct link_state *ls;
	int ret;

	if (!name)
		return json_pack("{s:s}", "error", "no \"link\" in the request");
	if (!strcmp(cmd, "netem") ? !json_is_string(netem) : !json_is_boolean(up))
		return json_pack("{s:s}", "error", !strcmp(cmd, "netem")
				 ? "no \"netem\" string in the request"
				 : "no \"up\" true or false in the request");
	if (!(ls = impair_find(name))) {
		char msg[400];

		snprintf(msg, sizeof(msg), "no link '%.300s' (ctl status names them)", name);
		return json_pack("{s:s}", "error", msg);
	}
	ret = !strcmp(cmd, "netem") ? impair_netem(ls, json_string_value(netem))
				    : impair_set_up(ls, json_is_true(up));
	if (ret < 0)
		return json_pack("{s:s}", "error", err_msg());
	return !strcmp(cmd, "netem")
		? json_pack("{s:b, s:s, s:O}", "ok", 1, "link", name, "netem", netem)
		: json_pack("{s:b, s:s, s:O}", "ok", 1, "link", name, "up", up);
}

static void client_request(struct client *c, const char *line)
{
	json_error_t jerr;
	json_t *req = json_loads(line, 0, &jerr);
	const char *cmd = json_string_value(json_object_get(req, "cmd"));

	loop_timer_cancel(c->idle);
	c->idle = NULL;
	if (cmd && !strcmp(cmd, "status")) {
		client_reply(c, status_json());
	} else if (cmd && !strcmp(cmd, "events")) {
		c->subscribed = 1;
		nsubscribers++;
	} else if (cmd && (!strcmp(cmd, "netem") || !strcmp(cmd, "link"))) {
		client_reply(c, impair_request(cmd, req));
	} else {
		client_reply(c, json_pack("{s:s}", "error", !req ? "request is not JSON"
					  : cmd ? "unknown cmd (status, events, netem, link)"
						: "no \"cmd\" in the request"));
	}
	json_decref(req);
}

static void client_io(int fd, uint32_t events, void *arg)
{
	struct client *c = arg;

	if (events & EPOLLOUT && client_flush(c) < 0)
		return;
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		ssize_t n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* gone (a subscriber that ends its stream, too) */
			client_drop(c);
			return;
		}
		if (c->subscribed || c->closing)
			continue;	/* nothing more is read from it */
		c->inlen += n;
		nl = memchr(c->in, '\n', c->inlen);
		if (nl) {
			*nl = '\0';
			client_request(c, c->in);
			return;
		}
		if (c->inlen == sizeof(c->in)) {
			log_warn("control: dropping a client whose request passed %d bytes", REQ_MAX);
			client_drop(c);
			return;
		}
	}
}

static void client_idle(void *arg)
{
	struct client *c = arg;

	c->idle = NULL;
	log_verbose("control: dropping a client that sent no request in %d ms", IDLE_MS);
	client_drop(c);
}

static void on_accept(int fd, uint32_t events, void *arg)
{
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c;

		if (cfd < 0)
			return;
		if (nclients >= CLIENTS_MAX || !(c = calloc(1, sizeof(*c)))) {
			log_warn("control: refusing a client (%d connected)", nclients);
			close(cfd);
			continue;
		}
		c->fd = cfd;
		/* a small kernel share: one that does not read is seen soon */
		setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &(int){ SNDBUF }, sizeof(int));
		if (loop_add_fd(cfd, EPOLLIN, client_io, c) < 0) {
			close(cfd);
			free(c);
			continue;
		}
		c->idle = loop_timer_add(IDLE_MS, client_idle, c);
		c->next = clients;
		clients = c;
		nclients++;
	}
}

void control_broadcast(const char *line)
{
	size_t len = strlen(line);

	for (struct client *c = clients, *next; c; c = next) {
		next = c->next;
		if (!c->subscribed)
			continue;
		if (client_queue(c, line, len, OUT_MAX) == 0 &&
		    client_queue(c, "\n", 1, OUT_MAX) == 0)
			client_flush(c);
	}
}

/* Make PATH's directory (0700: the socket's mode is the guard, this is
 * one more) when it is missing; its parent must exist. */
static void make_dir_of(const char *path)
{
	char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;

	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	free(dir);
}

/* A socket file at PATH: someone answering is theirs (-EADDRINUSE); a
 * stale one (nobody listens) is removed. */
static int claim_path(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return err_fail(EEXIST, "control socket %s: exists and is not a socket", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_fail(errno, "control socket: %s", strerror(errno));
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (ret == 0)
		return err_fail(EADDRINUSE, "control socket %s: another process answers there",
				path);
	unlink(path);
	return 0;
}

int control_start(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return err_fail(ENAMETOOLONG, "control socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	make_dir_of(path);
	if ((ret = claim_path(path, &sa)) < 0)
		return ret;
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return err_fail(errno, "control socket: %s", strerror(errno));
	/* 0600 from the start: no moment where others may connect */
	old = umask(0177);
	ret = bind(lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0 || listen(lfd, 16) < 0 || chmod(path, 0600) < 0 || stat(path, &st) < 0) {
		ret = err_fail(errno, "control socket %s: %s", path, strerror(errno));
		close(lfd);
		lfd = -1;
		return ret;
	}
	ldev = st.st_dev;
	lino = st.st_ino;
	lpath = strdup(path);
	if ((ret = loop_add_fd(lfd, EPOLLIN, on_accept, NULL)) < 0) {
		control_stop();
		return ret;
	}
	log_verbose("Control socket %s", path);
	return 0;
}

void control_stop(void)
{
	struct stat st;

	while (clients)
		client_drop(clients);
	if (lfd >= 0) {
		loop_del_fd(lfd);
		close(lfd);
		/* a later conlink may have replaced it: only ours goes */
		if (lpath && stat(lpath, &st) == 0 && st.st_dev == ldev && st.st_ino == lino)
			unlink(lpath);
	}
	lfd = -1;
	free(lpath);
	lpath = NULL;
}
