/* yaml_load.h - YAML (and JSON) files into jansson trees, each node's position
 * recorded in a srcmap. */
#ifndef CONLINK_YAML_LOAD_H
#define CONLINK_YAML_LOAD_H

#include <stddef.h>
#include <jansson.h>

#include "srcmap.h"

/* Parse the first YAML document of buf (named name in messages) into *out.
 * Mappings become objects (keys as text; YAML merge keys "<<" honoured),
 * sequences arrays, plain scalars null/bool/integer/real/string by the
 * YAML 1.2 core schema, quoted scalars strings; aliases are copied.
 * Returns 0, or -EINVAL with "name:line:col: what" in err_msg(). */
int yaml_load_buf(const char *name, const unsigned char *buf, size_t len,
		  struct srcmap *m, json_t **out);
/* As yaml_load_buf on the contents of path (-errno when unreadable). */
int yaml_load_file(const char *path, struct srcmap *m, json_t **out);

#endif
