/* fuzz_ethtool.c - libFuzzer target: ethtool_check, the ethtool setting
 * grammar ("-K rx off gso on", "-s speed 100 duplex full", ...). */
#include "ethtool.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);

	ethtool_check(s);
	free(s);
	return 0;
}
