/* http.h - one blocking HTTP request to an engine's unix socket
 * (libcurl easy), the body parsed as JSON. Internal to core/engine*.c.
 */
#ifndef CONLINK_HTTP_H
#define CONLINK_HTTP_H

#include <jansson.h>

/* The largest answer body read whole (a list, an inspect, an error): the
 * list of 10,000 containers Docker gives is about 20 MiB. A longer one is
 * refused (EFBIG), never read into memory without end. */
#define ENGINE_BODY_MAX (32L << 20)

struct engine_http_reply {
	long status;		/* HTTP status, 0 when no answer */
	char *body;		/* NUL-terminated, owned */
	size_t len;
	size_t cap;		/* allocated */
};

/* METHOD PATH on the unix socket SOCKET_PATH, with an optional JSON body.
 * 0 when an HTTP answer came (any status: the caller judges it), or -errno
 * with err_msg() naming the socket. */
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
