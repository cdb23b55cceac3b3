/* fuzz_addr.c - libFuzzer target: addr_parse (IPv4/IPv6, optional prefix)
 * and the checks on a parsed address. Printed back (addr_str and the
 * prefix), a parsed address parses to the same; masked, it is a network. */
#include <sys/socket.h>

#include "addr.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipaddr ip, again;
	char *s = fuzz_str(data, size), buf[64], text[80];

	if (!addr_parse(s, &ip)) {
		FUZZ_ASSERT(ip.family == AF_INET || ip.family == AF_INET6, "'%s'", s);
		FUZZ_ASSERT(ip.prefix >= -1 && ip.prefix <= (ip.family == AF_INET ? 32 : 128),
			    "'%s': prefix %d", s, ip.prefix);
		addr_check_iface(&ip, s);
		addr_check_remote(&ip, s);
		if (ip.prefix < 0)
			snprintf(text, sizeof(text), "%s", addr_str(&ip, buf));
		else
			snprintf(text, sizeof(text), "%s/%d", addr_str(&ip, buf), ip.prefix);
		memset(&again, 0xa5, sizeof(again));
		FUZZ_ASSERT(!addr_parse(text, &again) && again.family == ip.family &&
			    again.prefix == ip.prefix &&
			    !memcmp(again.a, ip.a, ip.family == AF_INET ? 4 : 16),
			    "'%s' -> '%s'", s, text);
		if (ip.prefix >= 0) {
			addr_mask(&ip);
			FUZZ_ASSERT(addr_is_network(&ip), "'%s' masked", s);
		}
	}
	free(s);
	return 0;
}
