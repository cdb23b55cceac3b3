/* link_bridge.c - Linux bridges (conlink's "linux" bridge mode). */
#include "link.h"

const struct link_kind link_bridge = {
	.name = "bridge",
	.role = LINK_ROLE_INTERNAL,
	.base = LINK_BASE_CONLINK,
	.takes = LINK_P_MAC,
};
