/* ifname.h - what makes a valid interface name. */
#ifndef CONLINK_IFNAME_H
#define CONLINK_IFNAME_H

/* The one check of an interface name, wherever a name comes from: what
 * the kernel's dev_valid_name() refuses (empty, 16 or more characters,
 * "." or "..", '/', ':' or whitespace), plus '%' (the kernel would take it
 * as a pattern, "eth%d", and make another name) and a leading '-' (tools
 * read it as an option). 0, or -EINVAL with err_msg() saying why, e.g.
 * "'/' is not allowed". */
int ifname_check(const char *name);

/* How ifname_check's rule reads in an "expected ..." message. */
#define IFNAME_EXPECTED "an interface name of 1 to 15 characters " \
	"(no '/', ':', '%', whitespace or leading '-'; not '.' or '..')"

#endif
