/* link_bridge.c - Linux bridges (conlink's "linux" bridge mode). */
#include "link.h"

const struct link_kind link_bridge = {
	.name = "bridge",
	.has_mac = true,
};
