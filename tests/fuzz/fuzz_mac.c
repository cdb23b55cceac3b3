/* fuzz_mac.c - libFuzzer target: mac_parse. A parsed MAC is unicast and not
 * zero, and printed back parses to the same bytes. */
#include "addr.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char mac[6], again[6];
	char *s = fuzz_str(data, size), text[18];

	if (!mac_parse(s, mac)) {
		FUZZ_ASSERT(!(mac[0] & 1) && (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]),
			    "'%s'", s);
		snprintf(text, sizeof(text), "%02X:%02x:%02x:%02x:%02x:%02X",
			 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
		FUZZ_ASSERT(!mac_parse(text, again) && !memcmp(mac, again, 6),
			    "'%s' -> '%s'", s, text);
	}
	free(s);
	return 0;
}
