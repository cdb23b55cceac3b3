/* fuzz_route.c - libFuzzer target: route_parse ("10.1.0.0/16 via 10.0.0.1
 * dev eth0 metric 5 ..."). A parsed route printed back in the same grammar
 * parses to the same route. */
#include "fuzz.h"
#include "route.h"

static int put_addr(char *out, size_t len, const char *word, const struct ipaddr *ip)
{
	char a[64];

	if (!ip->family)
		return 0;
	if (ip->prefix >= 0)
		return snprintf(out, len, "%s%s/%d ", word, addr_str(ip, a), ip->prefix);
	return snprintf(out, len, "%s%s ", word, addr_str(ip, a));
}

static bool same_addr(const struct ipaddr *x, const struct ipaddr *y)
{
	return x->family == y->family && x->prefix == y->prefix &&
	       !memcmp(x->a, y->a, x->family == AF_INET ? 4 : x->family ? 16 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_spec r, again;
	char *s = fuzz_str(data, size), text[512];
	size_t n = 0;

	if (!route_parse(s, &r)) {
		n += put_addr(text + n, sizeof(text) - n, "", &r.dst);
		n += put_addr(text + n, sizeof(text) - n, "via ", &r.gw);
		n += put_addr(text + n, sizeof(text) - n, "src ", &r.src);
		if (r.dev[0])
			n += snprintf(text + n, sizeof(text) - n, "dev %s ", r.dev);
		if (r.metric >= 0)
			n += snprintf(text + n, sizeof(text) - n, "metric %ld ", r.metric);
		if (r.scope >= 0)
			n += snprintf(text + n, sizeof(text) - n, "scope %d ", r.scope);
		n += snprintf(text + n, sizeof(text) - n, "table %u proto %d%s", r.table,
			      r.proto, r.onlink ? " onlink" : "");
		FUZZ_ASSERT(n < sizeof(text), "'%s': too long", s);
		FUZZ_ASSERT(!route_parse(text, &again), "'%s' -> '%s' does not parse", s, text);
		FUZZ_ASSERT(same_addr(&r.dst, &again.dst) && same_addr(&r.gw, &again.gw) &&
			    same_addr(&r.src, &again.src) && !strcmp(r.dev, again.dev) &&
			    r.metric == again.metric && r.table == again.table &&
			    r.scope == again.scope && r.proto == again.proto &&
			    r.onlink == again.onlink, "'%s' -> '%s' differs", s, text);
	}
	free(s);
	return 0;
}
