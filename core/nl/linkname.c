/* linkname.c - the names of links and tunnels (see linkname.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkname.h"

char *linkname_id(const char *owner, const char *dev)
{
	char *s;

	return asprintf(&s, "%s:%s", owner, dev) < 0 ? NULL : s;
}

int linkname_tunnel(char buf[IFNAMSIZ], const char *type, long vni)
{
	int n = snprintf(buf, IFNAMSIZ, "%s-%ld", type, vni);

	return n < 0 || n >= IFNAMSIZ ? -ENAMETOOLONG : 0;
}

int linkname_outer(char buf[IFNAMSIZ], const char *service, const char *container,
		   int index, const char *id, const char *dev)
{
	char full[512];
	int n;

	if (service)
		n = snprintf(full, sizeof(full), "%s_%d-%s", service, index, dev);
	else
		n = snprintf(full, sizeof(full), "%s-%s", container ? container : "", dev);
	if (n >= 0 && n < IFNAMSIZ) {
		memcpy(buf, full, n + 1);
		return 0;
	}
	/* upstream: (str "c" (.substring cid 0 8) "-" (.substring dev 0 5)) */
	size_t slen = service ? strlen(service) : 0, idlen = strlen(id);

	if (service && !strncmp(id, service, slen) && id[slen] == '_' && idlen > 8)
		id += idlen - 8;
	snprintf(buf, IFNAMSIZ, "c%.8s-%.5s", id, dev);
	return 1;
}
