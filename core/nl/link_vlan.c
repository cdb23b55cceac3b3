/* link_vlan.c - 802.1Q vlan on a parent interface ("vlanid"). */
#include <errno.h>
#include <linux/if_link.h>

#include "err.h"
#include "link.h"

static int vlan_check(const json_t *opts)
{
	long id = link_opt_int(opts, "vlanid", -2);

	if (id == -2)
		return err_fail(EINVAL, "vlan link needs 'vlanid'");
	if (id < 0 || id > 4094)
		return err_fail(EINVAL, "'vlanid' must be a number 0..4094");
	return 0;
}

static int vlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u16_check(nlh, NL_MSG_MAX, IFLA_VLAN_ID,
					     link_opt_int(req->opts, "vlanid", 0)))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_vlan = {
	.name = "vlan",
	.on_parent = true,
	.has_mac = true,
	.check = vlan_check,
	.fill = vlan_fill,
};
