/* fuzz_libpod_entry.c - libFuzzer target: a libpod listing entry read as a
 * container's description (engine_info_from_libpod_entry), which the
 * daemon links without an inspect. Taken, it is a running container with
 * a PID and a start time, and the inspect built from the same fields
 * (engine_info_from_json) says the same: the listing never links what an
 * inspect would not. */
#include <time.h>

#include <jansson.h>

#include "engine.h"
#include "fuzz.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The inspect answer the entry E stands for. */
static json_t *as_inspect(const json_t *e)
{
	json_t *labels = json_object_get(e, "Labels");
	char started[64];
	time_t t = (time_t)json_integer_value(json_object_get(e, "StartedAt"));
	struct tm tm;

	FUZZ_ASSERT(gmtime_r(&t, &tm), "StartedAt %lld", (long long)t);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:O,s:O,s:{s:O},s:{s:b,s:O,s:s}}",
			 "Id", json_object_get(e, "Id"),
			 "Name", json_array_get(json_object_get(e, "Names"), 0),
			 "Config", "Labels", labels,
			 "State", "Running", 1, "Pid", json_object_get(e, "Pid"),
			 "StartedAt", started);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *e = json_loadb((const char *)data, size, 0, NULL), *j;
	struct engine_info a, b;

	if (!e)
		return 0;
	if (engine_info_from_libpod_entry(e, &a)) {
		json_decref(e);
		return 0;
	}
	FUZZ_ASSERT(a.running && a.pid > 0 && a.started > 0 && a.index >= 1,
		    "running %d pid %d started %f index %d", a.running, (int)a.pid,
		    a.started, a.index);
	FUZZ_ASSERT(*a.id && *a.name, "empty id or name");
	j = as_inspect(e);
	FUZZ_ASSERT(j, "no inspect built");
	FUZZ_ASSERT(!engine_info_from_json(j, &b), "the inspect refused");
	FUZZ_ASSERT(same(a.id, b.id) && same(a.name, b.name) && same(a.service, b.service) &&
		    same(a.project, b.project) && same(a.working_dir, b.working_dir) &&
		    a.index == b.index && a.pid == b.pid && a.running == b.running &&
		    a.started == b.started,
		    "entry and inspect differ: %s/%s %s/%s pid %d/%d started %f/%f",
		    a.id, b.id, a.name, b.name, (int)a.pid, (int)b.pid, a.started, b.started);
	engine_info_free(&a);
	engine_info_free(&b);
	json_decref(j);
	json_decref(e);
	return 0;
}
