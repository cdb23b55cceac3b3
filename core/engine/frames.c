/* frames.c - decode the exec output stream (see engine_exec.h). */
#include <stdint.h>
#include <string.h>

#include "engine_exec.h"

static int looks_framed(const unsigned char *b)
{
	return b[0] <= 2 && !b[1] && !b[2] && !b[3];
}

int engine_frames_feed(struct engine_frames *f, const char *bytes, size_t n,
		       engine_output_fn *fn, void *arg)
{
	const char *end = bytes + n;

	if (!f->mode) {
		/* the first 4 bytes decide: kept in head until they are in */
		size_t take = 4 - f->len < n ? 4 - f->len : n;

		memcpy(f->head + f->len, bytes, take);
		f->len += take;
		bytes += take;
		if (f->len < 4)
			return 0;
		f->mode = looks_framed(f->head) ? 1 : 2;
		if (f->mode == 2) {
			fn(arg, 1, (const char *)f->head, f->len);
			f->len = 0;
		}
	}
	if (f->mode == 2) {
		if (bytes < end)
			fn(arg, 1, bytes, end - bytes);
		return 0;
	}
	while (bytes < end) {
		if (f->left) {
			size_t take = f->left < (size_t)(end - bytes) ? f->left : (size_t)(end - bytes);

			fn(arg, f->stream, bytes, take);
			f->left -= take;
			bytes += take;
			continue;
		}
		/* a header, possibly over several reads */
		while (f->len < 8 && bytes < end)
			f->head[f->len++] = *bytes++;
		if (f->len < 8)
			break;
		f->stream = f->head[0] == 2 ? 2 : 1;
		f->left = (uint32_t)f->head[4] << 24 | f->head[5] << 16 | f->head[6] << 8 |
			  f->head[7];
		f->len = 0;
	}
	return 0;
}

void engine_frames_end(struct engine_frames *f, engine_output_fn *fn, void *arg)
{
	/* a short raw output never reached the 4 bytes that decide */
	if (fn && !f->mode && f->len)	/* exec_free passes none */
		fn(arg, 1, (const char *)f->head, f->len);
	memset(f, 0, sizeof(*f));
}
