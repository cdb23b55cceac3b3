/* link_vxlan.c - vxlan tunnels: "vni" and "remote"; the UDP port is the
 * kernel's default (8472), as upstream's `ip link add type vxlan remote R
 * id V` gives, so the two interoperate on the wire. */
#include <errno.h>
#include <sys/socket.h>
#include <linux/if_link.h>

#include "link.h"

/* Put ID (u32 vni) and the remote as V4 or V6 attribute. */
int link_tunnel_fill(struct nlmsghdr *nlh, const struct link_req *req,
		     int id_attr, int v4_attr, int v6_attr, int local4_attr, int local6_attr)
{
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, id_attr, req->vni))
		return -EMSGSIZE;
	if (req->remote.family == AF_INET &&
	    !mnl_attr_put_check(nlh, NL_MSG_MAX, v4_attr, 4, req->remote.a))
		return -EMSGSIZE;
	if (req->remote.family == AF_INET6 &&
	    !mnl_attr_put_check(nlh, NL_MSG_MAX, v6_attr, 16, req->remote.a))
		return -EMSGSIZE;
	if (local4_attr && req->local.family == AF_INET &&
	    !mnl_attr_put_check(nlh, NL_MSG_MAX, local4_attr, 4, req->local.a))
		return -EMSGSIZE;
	if (local6_attr && req->local.family == AF_INET6 &&
	    !mnl_attr_put_check(nlh, NL_MSG_MAX, local6_attr, 16, req->local.a))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

static int vxlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	return link_tunnel_fill(nlh, req, IFLA_VXLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6,
				IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6);
}

const struct link_kind link_vxlan = {
	.name = "vxlan",
	.role = LINK_ROLE_TUNNEL,
	.base = LINK_BASE_CONLINK,
	.takes = LINK_P_BRIDGE | LINK_P_MAC | LINK_P_VNI | LINK_P_REMOTE,
	.needs = LINK_P_BRIDGE | LINK_P_VNI | LINK_P_REMOTE,
	.vni = { 0, 0xffffff },		/* VXLAN_N_VID - 1 */
	.fill = vxlan_fill,
};
