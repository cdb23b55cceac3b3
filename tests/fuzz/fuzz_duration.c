/* fuzz_duration.c - libFuzzer target: duration_parse. A parsed duration is
 * within 0..DURATION_MAX_US, and written back by duration_format it parses
 * to the same number of microseconds. */
#include "duration.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), text[32];
	int64_t us, again;

	if (!duration_parse(s, &us)) {
		FUZZ_ASSERT(us >= 0 && us <= DURATION_MAX_US, "'%s' -> %lld", s, (long long)us);
		duration_format(us, text, sizeof(text));
		FUZZ_ASSERT(!duration_parse(text, &again) && again == us,
			    "'%s' -> %lld -> '%s'", s, (long long)us, text);
	}
	free(s);
	return 0;
}
