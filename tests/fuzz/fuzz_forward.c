/* fuzz_forward.c - libFuzzer target: forward_parse ("A:B/tcp"). A parsed
 * forward printed back parses to the same. */
#include <netinet/in.h>

#include "forward.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nat_forward fw, again;
	char *s = fuzz_str(data, size), text[32];

	if (!forward_parse(s, &fw)) {
		FUZZ_ASSERT(fw.port_a && fw.port_b &&
			    (fw.proto == IPPROTO_TCP || fw.proto == IPPROTO_UDP), "'%s'", s);
		snprintf(text, sizeof(text), "%u:%u/%s", fw.port_a, fw.port_b,
			 forward_proto_name(fw.proto));
		FUZZ_ASSERT(!forward_parse(text, &again) &&
			    fw.port_a == again.port_a &&
			    fw.port_b == again.port_b && fw.proto == again.proto, "'%s' -> '%s'", s, text);
	}
	free(s);
	return 0;
}
