/* dlsyms.c - a shared library loaded at run time, its functions resolved
 * by name (see dlsyms.h). */
#include <dlfcn.h>
#include <errno.h>

#include "dlsyms.h"
#include "err.h"

int dlsyms_load(const char *soname, const struct dlsym_want *want, size_t n)
{
	void *dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i, missing;

	if (!dl)
		return err_fail(ENOENT, "%s", dlerror());
	for (i = 0; i < n; i++)
		if (!(*want[i].addr = dlsym(dl, want[i].name)))
			break;
	if (i == n)
		return 0;
	missing = i;
	for (i = 0; i < n; i++)
		*want[i].addr = NULL;
	dlclose(dl);
	return err_fail(ENOENT, "%s lacks %s()", soname, want[missing].name);
}
