/* fuzz_frames.c - libFuzzer target: the exec output stream decoder
 * (Docker's 8-byte frame headers, or Podman's raw output). The input is
 * fed whole, then again in pieces (the first byte seeds their sizes): each
 * stream gets the same bytes both ways, never more than were fed. */
#include "engine_exec.h"
#include "fuzz.h"

struct out {
	char *buf[2];
	size_t len[2];
	FILE *f[2];
};

static void on_output(void *arg, int stream, const char *bytes, size_t n)
{
	struct out *o = arg;

	FUZZ_ASSERT(stream == 1 || stream == 2, "stream %d", stream);
	FUZZ_ASSERT(fwrite(bytes, 1, n, o->f[stream - 1]) == n, "write");
}

static void feed(const uint8_t *data, size_t size, unsigned step, struct out *o)
{
	struct engine_frames f = { 0 };

	for (int i = 0; i < 2; i++)
		o->f[i] = open_memstream(&o->buf[i], &o->len[i]);
	for (size_t at = 0; at < size;) {
		size_t n = step ? step : size - at;

		if (n > size - at)
			n = size - at;
		FUZZ_ASSERT(!engine_frames_feed(&f, (const char *)data + at, n, on_output, o),
			    "feed failed");
		at += n;
		step = step ? step % 15 + 1 : 0;
	}
	engine_frames_end(&f, on_output, o);
	for (int i = 0; i < 2; i++)
		fclose(o->f[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole = { 0 }, pieces = { 0 };

	if (!size)
		return 0;
	feed(data + 1, size - 1, 0, &whole);
	feed(data + 1, size - 1, data[0] % 16, &pieces);
	FUZZ_ASSERT(whole.len[0] + whole.len[1] <= size - 1, "%zu + %zu bytes out of %zu in",
		    whole.len[0], whole.len[1], size - 1);
	for (int i = 0; i < 2; i++) {
		FUZZ_ASSERT(whole.len[i] == pieces.len[i] &&
			    !memcmp(whole.buf[i], pieces.buf[i], whole.len[i]),
			    "stream %d: %zu bytes fed whole, %zu in pieces of %u", i + 1,
			    whole.len[i], pieces.len[i], data[0] % 16);
		free(whole.buf[i]);
		free(pieces.buf[i]);
	}
	return 0;
}
