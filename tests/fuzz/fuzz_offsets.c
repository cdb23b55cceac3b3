/* fuzz_offsets.c - libFuzzer target: replica offsets (link_instance adds
 * INDEX - 1 to a link's ip and mac, core/daemon/instance.c). Input: 4 bytes
 * of index, then lines ip, mac, dev, service. What link_instance gives
 * back has an ip of the same family and prefix, and a mac that is still
 * one (mac_parse: unicast, not zero). */
#include <jansson.h>

#include "addr.h"
#include "fuzz.h"
#include "instance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *fields[4] = { NULL, NULL, NULL, NULL };
	char *s, *p;
	json_t *link, *inst;
	int32_t index;

	if (size < 4)
		return 0;
	memcpy(&index, data, 4);
	p = s = fuzz_str(data + 4, size - 4);
	for (int i = 0; i < 4 && p; i++)
		fields[i] = strsep(&p, "\n");
	link = json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:[[i, i, s]]}", "type", "veth",
			 "ip", fields[0], "mac", fields[1], "dev", fields[2] ? fields[2] : "eth0",
			 "service", fields[3], "forward", 80, 8080, "tcp");
	if (!link)	/* not UTF-8 */
		goto out;
	inst = link_instance(link, "0123456789abcdef", "node_1", index);
	if (inst) {
		const char *ip = json_string_value(json_object_get(inst, "ip"));
		const char *mac = json_string_value(json_object_get(inst, "mac"));
		struct ipaddr a, b;
		unsigned char m[6];

		if (ip && !addr_parse(fields[0], &a))
			FUZZ_ASSERT(!addr_parse(ip, &b) && a.family == b.family &&
				    a.prefix == b.prefix, "ip '%s' + %d -> '%s'", fields[0],
				    index, ip);
		if (mac && !mac_parse(fields[1], m))
			FUZZ_ASSERT(!mac_parse(mac, m), "mac '%s' + %d -> '%s'", fields[1],
				    index, mac);
		json_decref(inst);
	}
	json_decref(link);
out:
	free(s);
	return 0;
}
