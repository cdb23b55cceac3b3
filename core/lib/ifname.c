/* ifname.c - the one check of an interface name. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <net/if.h>

#include "err.h"
#include "ifname.h"

int ifname_check(const char *name)
{
	size_t len = strlen(name);

	if (!len)
		return err_fail(EINVAL, "it is empty");
	if (len >= IFNAMSIZ)
		return err_fail(EINVAL, "it has %zu characters", len);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return err_fail(EINVAL, "'%s' is not allowed", name);
	if (name[0] == '-')
		return err_fail(EINVAL, "it starts with '-'");
	for (const char *p = name; *p; p++) {
		if (isspace((unsigned char)*p))
			return err_fail(EINVAL, "whitespace is not allowed");
		if (*p == '/' || *p == ':' || *p == '%')
			return err_fail(EINVAL, "'%c' is not allowed", *p);
	}
	return 0;
}
