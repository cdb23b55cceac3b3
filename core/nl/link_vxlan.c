/* link_vxlan.c - vxlan tunnels: "vni" and "remote"; the UDP port is the
 * kernel's default (8472), as upstream's `ip link add type vxlan remote R
 * id V` gives, so the two interoperate on the wire. */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>

#include "err.h"
#include "link.h"

/* Check vni and remote of a vxlan/geneve tunnel. */
int link_tunnel_check(const json_t *opts)
{
	const char *remote = json_string_value(json_object_get(opts, "remote"));
	unsigned char a[16];
	long vni = link_opt_int(opts, "vni", -2);

	if (vni == -2)
		return err_fail(EINVAL, "tunnel needs 'vni'");
	if (vni < 0 || vni > 0xffffff)
		return err_fail(EINVAL, "'vni' must be a number 0..16777215");
	if (!remote)
		return err_fail(EINVAL, "tunnel needs 'remote'");
	if (inet_pton(AF_INET, remote, a) != 1 && inet_pton(AF_INET6, remote, a) != 1)
		return err_fail(EINVAL, "'remote' %s is not an IP address", remote);
	return 0;
}

/* Put ID (u32 vni) and the remote as V4 or V6 attribute. */
int link_tunnel_fill(struct nlmsghdr *nlh, const struct link_req *req,
		     int id_attr, int v4_attr, int v6_attr)
{
	const char *remote = json_string_value(json_object_get(req->opts, "remote"));
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);
	unsigned char a[16];

	if (!data || !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, id_attr,
					     link_opt_int(req->opts, "vni", 0)))
		return -EMSGSIZE;
	if (remote && inet_pton(AF_INET, remote, a) == 1) {
		if (!mnl_attr_put_check(nlh, NL_MSG_MAX, v4_attr, 4, a))
			return -EMSGSIZE;
	} else if (remote && inet_pton(AF_INET6, remote, a) == 1) {
		if (!mnl_attr_put_check(nlh, NL_MSG_MAX, v6_attr, 16, a))
			return -EMSGSIZE;
	}
	mnl_attr_nest_end(nlh, data);
	return 0;
}

static int vxlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	return link_tunnel_fill(nlh, req, IFLA_VXLAN_ID, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6);
}

const struct link_kind link_vxlan = {
	.name = "vxlan",
	.has_mac = true,
	.check = link_tunnel_check,
	.fill = vxlan_fill,
};
