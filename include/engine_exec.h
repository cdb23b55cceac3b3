/* engine_exec.h - run a command in a container through the engine's exec
 * API on the daemon's loop: create, start (output stream decoded and
 * logged line by line), exit code read back.
 */
#ifndef CONLINK_ENGINE_EXEC_H
#define CONLINK_ENGINE_EXEC_H

#include <stddef.h>
#include <jansson.h>

/* Called once an exec has ended: exit code << 8, or -errno when the
 * engine refused it (the same shape as the daemon's command_done_fn). */
typedef void engine_exec_done_fn(void *arg, int status);

/* Run CMD (a JSON string: sh -c STRING; a list of strings: as is) inside
 * container ID on the engine at SOCKET_PATH; each output line is logged as
 * "NAME: line". DONE(ARG, exit code << 8) is called once it ended, or
 * DONE(ARG, -errno) when the engine refused it. 0, or -errno. */
int engine_exec(const char *socket_path, const char *id, const char *name,
		const json_t *cmd, engine_exec_done_fn *done, void *arg);

/* Abandon every exec still running (daemon exit); DONE is not called. */
void engine_exec_stop_all(void);

/* The exec output stream. With Tty false Docker multiplexes stdout and
 * stderr in frames (1 byte stream, 3 zero bytes, 4 bytes big-endian
 * length, payload); Podman 4 may send the bare output instead. The first
 * bytes tell which. Pure: bytes in, (stream, bytes) out. */
struct engine_frames {
	unsigned char head[8];	/* the header being read (or the first raw bytes) */
	size_t len;		/* bytes of it in head */
	size_t left;		/* payload bytes of the current frame still to come */
	int stream;		/* the current frame's: 1 or 2 */
	int mode;		/* 0 undecided, 1 frames, 2 raw */
};

typedef void engine_output_fn(void *arg, int stream, const char *bytes, size_t n);

/* Feed N bytes; FN gets each payload (stream 1 stdout, 2 stderr; raw
 * output counts as stdout) as it comes: a frame's payload is passed on in
 * the pieces it arrives in, never kept, so a huge or endless frame costs
 * no memory and time stays linear. 0 (it cannot fail). */
int engine_frames_feed(struct engine_frames *f, const char *bytes, size_t n,
		       engine_output_fn *fn, void *arg);
/* End of stream: pass on what is left (a raw output shorter than the 4
 * bytes that decide); a frame cut short ends where it was cut. */
void engine_frames_end(struct engine_frames *f, engine_output_fn *fn, void *arg);

#endif
