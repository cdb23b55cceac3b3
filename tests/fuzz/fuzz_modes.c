/* fuzz_modes.c - libFuzzer target: mdc's deps files and their resolution.
 * Input: the request (deps syntax) on the first line, then one mode per
 * line, "NAME: DEPS" ("\\n" in DEPS for a newline). Each DEPS goes through
 * mode_deps_parse; the graph of those that parse is resolved. The order
 * holds each mode once. */
#include "fuzz.h"
#include "modes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mode_graph g = { 0 };
	char *s, *p, *line, *request;
	size_t *order, n;

	if (size > 4096)	/* resolution is a search: keep graphs small */
		return 0;
	p = s = fuzz_str(data, size);
	request = strsep(&p, "\n");
	while ((line = strsep(&p, "\n"))) {
		char *colon = strchr(line, ':'), *deps;
		struct mode *m;
		size_t i;

		if (!colon || colon == line)
			continue;
		*colon = 0;
		for (char *r = deps = colon + 1, *w = deps;; r++) {	/* "\n" -> newline */
			if (r[0] == '\\' && r[1] == 'n')
				*w++ = '\n', r++;
			else if (!(*w++ = *r))
				break;
		}
		i = mode_graph_get(&g, line);	/* may move g.v */
		m = &g.v[i];
		if (m->dep_str)	/* named twice: the first wins */
			continue;
		if (mode_deps_parse(deps, &m->deps, &m->ndeps) < 0)
			continue;
		m->dep_str = strdup(deps);
	}
	if (!mode_graph_resolve(&g, request, &order, &n)) {
		FUZZ_ASSERT(n <= g.n, "%zu of %zu modes", n, g.n);
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				FUZZ_ASSERT(order[i] != order[j], "mode %s twice",
					    g.v[order[i]].name);
		free(order);
	}
	mode_graph_free(&g);
	free(s);
	return 0;
}
