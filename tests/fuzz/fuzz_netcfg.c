/* fuzz_netcfg.c - libFuzzer target: the config loader (YAML, merge, interp,
 * validate, enrich) on arbitrary bytes, as a network file or compose file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "interp.h"
#include "netcfg.h"

static const char *fake_env(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "SET"))
		return "value";
	if (!strcmp(name, "EMPTY"))
		return "";
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conlink_opts o;
	char path[64], *out;
	json_t *cfg = NULL;
	int fd;

	if (size < 1)
		return 0;
	if (data[0] == 'I') {	/* interpolation alone */
		char *s = strndup((const char *)data + 1, size - 1);

		if (!interp_string(s, fake_env, NULL, &out))
			free(out);
		free(s);
		return 0;
	}
	fd = memfd_create("cfg", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&o, 0, sizeof(o));
	o.default_bridge_mode = data[0] & 1 ? "linux" : "patch";
	o.default_mtu = 1500;
	o.show_config = data[0] & 4;	/* with "hosts": no --host-id needed */
	o.host_id = data[0] & 8 ? "h1" : NULL;
	strlist_add(data[0] & 2 ? &o.compose_files : &o.network_files, path);
	if (!netcfg_load(&o, &cfg)) {
		FILE *null = fopen("/dev/null", "w");

		netcfg_print(cfg, null);
		fclose(null);
		json_decref(cfg);
	}
	strlist_free(&o.network_files);
	strlist_free(&o.compose_files);
	close(fd);
	return 0;
}
