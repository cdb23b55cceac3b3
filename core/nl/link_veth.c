/* link_veth.c - veth pairs: the peer is made directly in its namespace. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/veth.h>

#include "link.h"

static int veth_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	if (!req->peer)
		return 0;
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);
	struct nlattr *peer = data ? mnl_attr_nest_start_check(nlh, NL_MSG_MAX, VETH_INFO_PEER) : NULL;

	if (!peer || link_fill_peer(nlh, req->peer) < 0)
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_veth = {
	.name = "veth",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_CONLINK,
	.takes = LINK_P_BRIDGE | LINK_P_OUTER_DEV | LINK_P_MAC | LINK_P_FORWARD,
	.needs = LINK_P_BRIDGE,
	.fill = veth_fill,
};
