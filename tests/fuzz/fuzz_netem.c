/* fuzz_netem.c - libFuzzer target: netem_parse on the text, and
 * netem_parse_list on the text cut at each newline (a "netem" list). A list
 * that parses gives what its lines joined by spaces give. */
#include "fuzz.h"
#include "netem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netem_opts o, l;
	char *s = fuzz_str(data, size), *joined = strdup(s), *parts[64], *p = s;
	int n = 0;

	for (char *c = joined; *c; c++)
		if (*c == '\n')
			*c = ' ';
	netem_parse(s, &o);
	while (n < 64 && (parts[n] = strsep(&p, "\n")))
		n++;
	if (!p && !netem_parse_list((const char *const *)parts, n, &l))
		FUZZ_ASSERT(!netem_parse(joined, &o) && !memcmp(&o, &l, sizeof(o)),
			    "the list '%s' parses, its lines joined do not (or differently)",
			    joined);
	free(joined);
	free(s);
	return 0;
}
