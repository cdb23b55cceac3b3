/* dirnames.h - a directory's entry names, sorted: what mdc builds from its
 * mode directories then does not depend on readdir order. */
#ifndef CONLINK_DIRNAMES_H
#define CONLINK_DIRNAMES_H

#include <stddef.h>

/* The names in DIR but "." and "..", sorted by strcmp: *NAMES gets a
 * malloc'd array of *N malloc'd strings (free with dir_names_free). 0, or
 * -errno when DIR cannot be opened (callers name DIR their own way). */
int dir_names_sorted(const char *dir, char ***names, size_t *n);
void dir_names_free(char **names, size_t n);

#endif
