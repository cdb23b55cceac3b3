/* instance.h - one link of the config made concrete for one container:
 * replica offsets applied to ip/mac/forward, "outer-dev" and "dev-id" set
 * (upstream's link-instance-enrich).
 */
#ifndef CONLINK_INSTANCE_H
#define CONLINK_INSTANCE_H

#include <stddef.h>
#include <jansson.h>

#include "link.h"

/* The kind of an enriched link (its "type"), or NULL. */
const struct link_kind *link_kind_of(const json_t *link);

/* A new link object: a copy of LINK with ip, mac and the external port of
 * each forward offset by INDEX - 1, "outer-dev" set when the link has an
 * outer end (base conlink or host) and none is given, and "dev-id" set to
 * "NAME:DEV". NULL with err_msg() when an ip/mac cannot be offset. */
json_t *link_instance(const json_t *link, const char *id, const char *name,
		      int index);

#endif
