/* fuzz_events.c - libFuzzer target: the engine's /events decoder
 * (newline-delimited JSON to container start/die), fed in pieces: the first
 * byte seeds the piece sizes. Every event has a non-empty id; no more
 * events than lines. */
#include "engine_events.h"
#include "fuzz.h"

struct seen {
	size_t events;
};

static void on_event(void *arg, const struct engine_event *ev)
{
	struct seen *s = arg;

	FUZZ_ASSERT(ev->id && *ev->id, "empty id");
	FUZZ_ASSERT(ev->kind == ENGINE_EV_START || ev->kind == ENGINE_EV_DIE, "kind %d",
		    ev->kind);
	s->events++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_event_parser p = { 0 };
	struct seen s = { 0 };
	size_t at, lines = 0;
	unsigned step;

	if (!size)
		return 0;
	step = data[0] % 16;	/* 0: all at once */
	for (at = 1; at < size;) {
		size_t n = step ? step : size - at;

		if (n > size - at)
			n = size - at;
		FUZZ_ASSERT(!engine_events_feed(&p, (const char *)data + at, n, on_event, &s),
			    "feed failed");
		at += n;
		step = step ? step % 15 + 1 : 0;	/* sizes vary */
	}
	for (at = 1; at < size; at++)
		lines += data[at] == '\n';
	FUZZ_ASSERT(s.events <= lines, "%zu events from %zu lines", s.events, lines);
	engine_events_reset(&p);
	return 0;
}
