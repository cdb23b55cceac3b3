/* dlsyms.h - load a shared library at run time and resolve the functions
 * a feature uses, so the library (and everything it links) is mapped only
 * by the runs that use that feature (libcurl for the engines, libmicrohttpd
 * for --metrics). */
#ifndef CONLINK_DLSYMS_H
#define CONLINK_DLSYMS_H

#include <stddef.h>

/* One function to resolve: its name in the library, and where its address
 * goes (a function pointer, cast: &fns.start as void **). */
struct dlsym_want {
	const char *name;
	void **addr;
};

/* dlopen SONAME (RTLD_NOW | RTLD_LOCAL) and fill every WANT[i].addr. 0, or
 * -ENOENT with err_msg() naming SONAME and what the loader said (missing,
 * not loadable, or a function it lacks); then no address is left set and
 * the library is closed. Never unloaded once loaded. */
int dlsyms_load(const char *soname, const struct dlsym_want *want, size_t n);

#endif
