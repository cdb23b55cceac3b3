/* link_dummy.c - dummy interfaces, made directly in the container. */
#include "link.h"

const struct link_kind link_dummy = {
	.name = "dummy",
	.has_mac = true,
};
