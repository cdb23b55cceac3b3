/* link_geneve.c - geneve tunnels: "vni" and "remote", kernel default port
 * 6081 as upstream. */
#include <linux/if_link.h>

#include "link.h"

static int geneve_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	return link_tunnel_fill(nlh, req, IFLA_GENEVE_ID, IFLA_GENEVE_REMOTE,
				IFLA_GENEVE_REMOTE6, 0, 0);
}

const struct link_kind link_geneve = {
	.name = "geneve",
	.role = LINK_ROLE_TUNNEL,
	.base = LINK_BASE_CONLINK,
	.takes = LINK_P_BRIDGE | LINK_P_MAC | LINK_P_VNI | LINK_P_REMOTE,
	.needs = LINK_P_BRIDGE | LINK_P_VNI | LINK_P_REMOTE,
	.vni = { 0, 0xffffff },		/* GENEVE_N_VID - 1 */
	.fill = geneve_fill,
};
