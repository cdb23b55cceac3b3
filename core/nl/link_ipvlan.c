/* link_ipvlan.c - ipvlan and ipvtap on a parent ("mode": l2, l3, l3s). */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>

#include "err.h"
#include "link.h"

/* IPVLAN_MODE_* + 1 (0: absent, kernel default), or -1 when unknown. */
static long ipvlan_mode(const json_t *opts)
{
	static const char *const names[] = { "l2", "l3", "l3s" };
	const json_t *m = opts ? json_object_get(opts, "mode") : NULL;

	if (!m)
		return 0;
	for (size_t i = 0; json_is_string(m) && i < 3; i++)
		if (!strcmp(json_string_value(m), names[i]))
			return i + 1;	/* IPVLAN_MODE_L2 is 0 */
	return -1;
}

static int ipvlan_check(const json_t *opts)
{
	if (ipvlan_mode(opts) < 0)
		return err_fail(EINVAL, "'mode' must be one of l2, l3, l3s");
	return 0;
}

static int ipvlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	long mode = ipvlan_mode(req->opts);

	if (mode <= 0)
		return 0;
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u16_check(nlh, NL_MSG_MAX, IFLA_IPVLAN_MODE, mode - 1))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_ipvlan = {
	.name = "ipvlan",
	.on_parent = true,
	.check = ipvlan_check,
	.fill = ipvlan_fill,
};

const struct link_kind link_ipvtap = {
	.name = "ipvtap",
	.on_parent = true,
	.check = ipvlan_check,
	.fill = ipvlan_fill,
};
