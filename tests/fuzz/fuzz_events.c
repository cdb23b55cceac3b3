/* fuzz_events.c - libFuzzer target: the engine's /events decoder
 * (newline-delimited JSON to container start/die). The input is fed whole,
 * then again in pieces (the first byte seeds their sizes): both give the
 * same events, each with a non-empty id, never more than there are lines. */
#include "engine_events.h"
#include "fuzz.h"

struct seen {
	char *log;	/* "S id\n" / "D id\n" for each event */
	size_t len;
	FILE *f;
	size_t events;
};

static void on_event(void *arg, const struct engine_event *ev)
{
	struct seen *s = arg;

	FUZZ_ASSERT(ev->id && *ev->id, "empty id");
	FUZZ_ASSERT(ev->kind == ENGINE_EV_START || ev->kind == ENGINE_EV_DIE, "kind %d",
		    ev->kind);
	fprintf(s->f, "%c %s\n", ev->kind == ENGINE_EV_START ? 'S' : 'D', ev->id);
	s->events++;
}

/* Feed DATA[0..SIZE) in pieces of STEP (0: at once; sizes vary). */
static void feed(const uint8_t *data, size_t size, unsigned step, struct seen *s)
{
	struct engine_event_parser p = { 0 };

	s->f = open_memstream(&s->log, &s->len);
	for (size_t at = 0; at < size;) {
		size_t n = step ? step : size - at;

		if (n > size - at)
			n = size - at;
		FUZZ_ASSERT(!engine_events_feed(&p, (const char *)data + at, n, on_event, s),
			    "feed failed");
		at += n;
		step = step ? step % 15 + 1 : 0;
	}
	engine_events_reset(&p);
	fclose(s->f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen whole = { 0 }, pieces = { 0 };
	size_t lines = 0;

	if (!size)
		return 0;
	feed(data + 1, size - 1, 0, &whole);
	feed(data + 1, size - 1, data[0] % 16, &pieces);
	for (size_t at = 1; at < size; at++)
		lines += data[at] == '\n';
	FUZZ_ASSERT(whole.events <= lines, "%zu events from %zu lines", whole.events, lines);
	FUZZ_ASSERT(whole.len == pieces.len && !memcmp(whole.log, pieces.log, whole.len),
		    "fed whole:\n%s\nin pieces of %u:\n%s", whole.log, data[0] % 16, pieces.log);
	free(whole.log);
	free(pieces.log);
	return 0;
}
