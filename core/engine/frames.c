/* frames.c - decode the exec output stream (see engine_exec.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_exec.h"
#include "http.h"

static int looks_framed(const unsigned char *b)
{
	return b[0] <= 2 && !b[1] && !b[2] && !b[3];
}

int engine_frames_feed(struct engine_frames *f, const char *bytes, size_t n,
		       engine_output_fn *fn, void *arg)
{
	size_t at = 0;

	if (f->mode == 2) {
		fn(arg, 1, bytes, n);
		return 0;
	}
	if (engine_buf_append(&f->buf, &f->len, bytes, n))
		return -ENOMEM;
	if (!f->mode) {
		if (f->len < 4)
			return 0;
		f->mode = looks_framed((unsigned char *)f->buf) ? 1 : 2;
		if (f->mode == 2) {
			fn(arg, 1, f->buf, f->len);
			f->len = 0;
			return 0;
		}
	}
	while (f->len - at >= 8) {
		const unsigned char *h = (unsigned char *)f->buf + at;
		uint32_t size = (uint32_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];

		if (f->len - at - 8 < size)
			break;
		if (size)
			fn(arg, h[0] == 2 ? 2 : 1, f->buf + at + 8, size);
		at += 8 + size;
	}
	memmove(f->buf, f->buf + at, f->len - at);
	f->len -= at;
	return 0;
}

void engine_frames_end(struct engine_frames *f, engine_output_fn *fn, void *arg)
{
	/* a short raw output never reached the 4 bytes that decide */
	if (fn && f->mode != 1 && f->len)	/* exec_free passes none */
		fn(arg, 1, f->buf, f->len);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}
