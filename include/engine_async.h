/* engine_async.h - non-blocking requests to engine sockets on the daemon's
 * loop (libcurl multi driven by loop.h fds and timers).
 */
#ifndef CONLINK_ENGINE_ASYNC_H
#define CONLINK_ENGINE_ASYNC_H

#include <stddef.h>
#include <jansson.h>

struct engine_req;

/* Bytes of a 2xx answer's body as they arrive (streams: events, exec). */
typedef void engine_data_fn(void *arg, const char *bytes, size_t n);
/* The request ended. ERR is 0 or -errno (err_msg() says why: no answer,
 * or the engine's own message for a status >= 400); STATUS the HTTP
 * status (0 without answer); BODY the collected body (NULL when DATA took
 * it), valid during the call. */
typedef void engine_done_fn(void *arg, int err, long status, const char *body,
			    size_t len);

/* Start METHOD PATH on the engine at SOCKET_PATH (BODY: JSON or NULL).
 * TIMEOUT_MS 0: none (streams). With DATA, a 2xx body goes to DATA instead
 * of being collected. DONE is called exactly once unless cancelled.
 * NULL with err_msg() when it could not be started. */
struct engine_req *engine_async(const char *socket_path, const char *method,
				const char *path, const json_t *body, long timeout_ms,
				engine_data_fn *data, engine_done_fn *done, void *arg);

/* The engine has answered R with a 2xx status and its headers: for a stream
 * (events) that means it is live from here on. */
typedef void engine_ready_fn(void *arg);

/* Call READY(arg) once R's 2xx headers are in (from the loop, not from
 * inside curl). Set it right after engine_async(). */
void engine_async_on_ready(struct engine_req *r, engine_ready_fn *ready);

/* Abort R; its DONE is not called. Safe from R's own callbacks. */
void engine_async_cancel(struct engine_req *r);
/* Send the requests just asked now, not when the loop next turns: a
 * caller about to do long work (link a container) keeps the engine busy
 * meanwhile. Answers still come on the loop. */
void engine_async_flush(void);

/* Abort every request and release curl (daemon exit). */
void engine_async_shutdown(void);

#endif
