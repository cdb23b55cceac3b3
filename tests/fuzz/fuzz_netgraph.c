/* fuzz_netgraph.c - libFuzzer target: net2dot's graph (netgraph.h) from a
 * --show-config JSON, marked with a status JSON, written as DOT and as
 * Mermaid. Input: the config's text, then a form feed, then the status's
 * (none: not marked). Both are whatever JSON the bytes are: net2dot reads
 * files and a socket. Invariant: every Mermaid line has an even number of
 * double quotes (a name's quote never ends its label) and a label never
 * spans lines. */
#include "fuzz.h"
#include "netgraph.h"

static void check_mermaid(const char *out)
{
	for (const char *l = out; *l;) {
		const char *e = strchr(l, '\n');
		size_t q = 0;

		FUZZ_ASSERT(e, "the output does not end its last line: '%s'", l);
		for (const char *c = l; c < e; c++)
			q += *c == '"';
		FUZZ_ASSERT(q % 2 == 0, "odd quotes on '%.*s'", (int)(e - l), l);
		FUZZ_ASSERT(!strncmp(l, "  ", 2) || !strncmp(l, "flowchart LR", 12),
			    "a line that is part of another: '%.*s'", (int)(e - l), l);
		l = e + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *ff = strchr(s, '\f'), *buf = NULL;
	json_t *cfg, *status = NULL;
	struct netgraph g;
	size_t len;
	FILE *out;

	if (ff)
		*ff = 0;
	cfg = json_loads(s, JSON_DECODE_ANY, NULL);
	if (ff)
		status = json_loads(ff + 1, JSON_DECODE_ANY, NULL);
	if (cfg && netgraph_build(&g, cfg) == 0) {
		if (status)
			netgraph_mark(&g, status);
		out = open_memstream(&buf, &len);
		netgraph_dot(&g, out);
		fclose(out);
		free(buf);
		buf = NULL;
		out = open_memstream(&buf, &len);
		netgraph_mermaid(&g, out);
		fclose(out);
		check_mermaid(buf);
		free(buf);
		netgraph_free(&g);
	}
	json_decref(cfg);
	json_decref(status);
	free(s);
	return 0;
}
