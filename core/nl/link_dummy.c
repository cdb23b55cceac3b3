/* link_dummy.c - dummy interfaces, made directly in the container. */
#include "link.h"

const struct link_kind link_dummy = {
	.name = "dummy",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_LOCAL,
	.takes = LINK_P_MAC,
};
