/* fuzz_frames.c - libFuzzer target: the exec output stream decoder
 * (Docker's 8-byte frame headers, or Podman's raw output), fed in pieces:
 * the first byte seeds the piece sizes. The payloads passed on are never
 * more than the bytes fed, and their streams are 1 or 2. */
#include "engine_exec.h"
#include "fuzz.h"

static void on_output(void *arg, int stream, const char *bytes, size_t n)
{
	size_t *total = arg;

	FUZZ_ASSERT(stream == 1 || stream == 2, "stream %d", stream);
	if (n)
		FUZZ_ASSERT(bytes && (volatile char)bytes[n - 1] | 1, "bytes");
	*total += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_frames f = { 0 };
	size_t at, total = 0;
	unsigned step;

	if (!size)
		return 0;
	step = data[0] % 16;
	for (at = 1; at < size;) {
		size_t n = step ? step : size - at;

		if (n > size - at)
			n = size - at;
		FUZZ_ASSERT(!engine_frames_feed(&f, (const char *)data + at, n, on_output, &total),
			    "feed failed");
		at += n;
		step = step ? step % 15 + 1 : 0;
	}
	engine_frames_end(&f, on_output, &total);
	FUZZ_ASSERT(total <= size - 1, "%zu bytes out of %zu in", total, size - 1);
	return 0;
}
