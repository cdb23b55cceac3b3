/* fuzz_cni_config.c - libFuzzer target: the CNI plugin's network config
 * (cni_config_load: JSON, the CNI keys, the link through validate and
 * enrich) on arbitrary bytes, and the result reader/writer on its
 * prevResult: a result written in 1.1.0 and read back is what was read. */
#include "cni_config.h"
#include "cni_plugin.h"
#include "cni_priv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cni_config cf;
	char *s = fuzz_str(data, size);

	if (cni_config_load("stdin", s, strlen(s), "c1", "eth0", &cf) == 0) {
		FUZZ_ASSERT(cf.link && cf.name && cni_version_supported(cf.version), "%s", s);
		if (cf.prev_result) {
			json_t *r = cni_result_read(cf.prev_result);
			json_t *w = cni_result_write(r, "1.1.0");
			json_t *again = cni_result_read(w);

			FUZZ_ASSERT(json_equal(r, again), "%s", s);
			for (int i = 0; cni_versions[i]; i++)
				json_decref(cni_result_write(r, cni_versions[i]));
			cni_result_append(again, cf.prev_result);
			json_decref(again);
			json_decref(w);
			json_decref(r);
		}
		cni_config_free(&cf);
	}
	free(s);
	return 0;
}
