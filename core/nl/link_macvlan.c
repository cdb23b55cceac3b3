/* link_macvlan.c - macvlan and macvtap on a parent ("mode"). */
#include <errno.h>
#include <linux/if_link.h>

#include "link.h"

/* iproute2's names (ip link add ... type macvlan mode NAME) */
static const struct link_mode modes[] = {
	{ "private", MACVLAN_MODE_PRIVATE }, { "vepa", MACVLAN_MODE_VEPA },
	{ "bridge", MACVLAN_MODE_BRIDGE }, { "passthru", MACVLAN_MODE_PASSTHRU },
	{ "source", MACVLAN_MODE_SOURCE }, { NULL, 0 },
};

static int macvlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	if (!req->mode)
		return 0;
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_MACVLAN_MODE, req->mode->value))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_macvlan = {
	.name = "macvlan",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_HOST,
	.takes = LINK_P_OUTER_DEV | LINK_P_MAC | LINK_P_MODE,
	.modes = modes,
	.fill = macvlan_fill,
};

const struct link_kind link_macvtap = {
	.name = "macvtap",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_HOST,
	.takes = LINK_P_OUTER_DEV | LINK_P_MAC | LINK_P_MODE,
	.modes = modes,
	.fill = macvlan_fill,
};
