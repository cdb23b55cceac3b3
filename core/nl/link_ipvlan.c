/* link_ipvlan.c - ipvlan and ipvtap on a parent ("mode": l2, l3, l3s). */
#include <errno.h>
#include <linux/if_link.h>

#include "link.h"

/* iproute2's names (ip link add ... type ipvlan mode l2|l3|l3s) */
static const struct link_mode modes[] = {
	{ "l2", IPVLAN_MODE_L2 }, { "l3", IPVLAN_MODE_L3 }, { "l3s", IPVLAN_MODE_L3S },
	{ NULL, 0 },
};

static int ipvlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	if (!req->mode)
		return 0;
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u16_check(nlh, NL_MSG_MAX, IFLA_IPVLAN_MODE, req->mode->value))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

/* No MAC: an ipvlan shares its parent's (the kernel copies it). */
const struct link_kind link_ipvlan = {
	.name = "ipvlan",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_HOST,
	.takes = LINK_P_OUTER_DEV | LINK_P_MODE,
	.modes = modes,
	.fill = ipvlan_fill,
};

const struct link_kind link_ipvtap = {
	.name = "ipvtap",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_HOST,
	.takes = LINK_P_OUTER_DEV | LINK_P_MODE,
	.modes = modes,
	.fill = ipvlan_fill,
};
