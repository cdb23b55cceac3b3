/* http.h - HTTP/1.1 to an engine's unix socket: our own socket I/O, the
 * answer parsed by libhttp-parser (status, headers, Content-Length or
 * chunked body). One connection per request (Connection: close). Used
 * blocking (engine_http: applets) and on the daemon's loop (async.c).
 * Internal to core/engine*.c.
 */
#ifndef CONLINK_HTTP_H
#define CONLINK_HTTP_H

#include <sys/un.h>

#include <http_parser.h>
#include <jansson.h>

/* The largest answer body read whole (a list, an inspect, an error): the
 * list of 10,000 containers Docker gives is about 20 MiB. A longer one is
 * refused (EFBIG), never read into memory without end. */
#define ENGINE_BODY_MAX (32L << 20)

/* One request on its own connection, in progress. */
struct engine_http_conn {
	int fd;			/* -1 when closed */
	struct sockaddr_un addr;	/* the engine's socket */
	http_parser parser;
	char *out;		/* the request's bytes */
	size_t out_len, out_off;
	int connected;		/* connect() went through */
	int head_done;		/* the answer's status and headers are in */
	int complete;		/* the whole answer is in */
	/* The answer's status and headers are in (parser->status_code):
	 * nonzero stops the exchange. Body bytes as they come (a chunked
	 * body without its framing): nonzero stops it. Either may be NULL. */
	int (*on_head)(struct engine_http_conn *c);
	int (*on_body)(struct engine_http_conn *c, const char *bytes, size_t n);
	void *owner;
};

/* Make the request's bytes and a non-blocking socket, and start the
 * connect. 0 or -errno with err_msg() (the caller names socket/path). */
int engine_http_open(struct engine_http_conn *c, const char *socket_path,
		     const char *method, const char *path, const json_t *body);
/* Connect (again after -EAGAIN: a full listen backlog), then write what
 * is left of the request. 0 when all is written, -EAGAIN to be called
 * again when the socket is writable (or, not connected yet, a little
 * later), -errno with err_msg(). */
int engine_http_send(struct engine_http_conn *c);
/* Read what is there and feed the parser: 1 when the answer is complete,
 * 0 to be called again when readable, -errno with err_msg(): -ECANCELED
 * when a callback stopped it, -ECONNRESET closed before the answer ended,
 * -EPROTO not HTTP. */
int engine_http_recv(struct engine_http_conn *c);
void engine_http_close(struct engine_http_conn *c);

struct engine_http_reply {
	long status;		/* HTTP status, 0 when no answer */
	char *body;		/* NUL-terminated, owned */
	size_t len;
	size_t cap;		/* allocated */
};

/* METHOD PATH on the unix socket SOCKET_PATH, with an optional JSON body,
 * blocking at most TIMEOUT_MS. 0 when an HTTP answer came (any status: the
 * caller judges it), or -errno with err_msg() naming the socket. */
int engine_http(const char *socket_path, const char *method, const char *path,
		const json_t *body, long timeout_ms, struct engine_http_reply *r);
void engine_http_reply_free(struct engine_http_reply *r);

/* The engine's own message for a failed request: the "message" of a JSON
 * error body, else the body itself, else "HTTP STATUS". Points into R or a
 * static buffer; valid until R is freed or the next call. */
const char *engine_http_error(const struct engine_http_reply *r);

/* Append BYTES to the growing buffer *BUF of *LEN bytes (kept
 * NUL-terminated) whose allocation is *CAP bytes: it grows by doubling, so
 * feeding a long body in small pieces stays linear. 0 or -ENOMEM. */
int engine_buf_append(char **buf, size_t *len, size_t *cap, const char *bytes,
		      size_t n);

/* Percent-encode S for a URL query. NULL when out of memory. */
char *engine_url_escape(const char *s);

#endif
