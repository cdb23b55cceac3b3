/* link_vlan.c - 802.1Q vlan on a parent interface ("vlanid"). */
#include <errno.h>
#include <linux/if_link.h>

#include "link.h"

static int vlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u16_check(nlh, NL_MSG_MAX, IFLA_VLAN_ID, req->vlanid))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_vlan = {
	.name = "vlan",
	.role = LINK_ROLE_LINK,
	.base = LINK_BASE_HOST,
	.takes = LINK_P_OUTER_DEV | LINK_P_MAC | LINK_P_VLANID,
	.needs = LINK_P_VLANID,
	/* the kernel's vlan_validate refuses id >= VLAN_VID_MASK (4095);
	 * 0 (802.1p priority tagging) it takes, as does upstream */
	.vlanid = { 0, 4094 },
	.fill = vlan_fill,
};
