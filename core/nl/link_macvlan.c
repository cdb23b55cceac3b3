/* link_macvlan.c - macvlan and macvtap on a parent ("mode"). */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>

#include "err.h"
#include "link.h"

static const struct { const char *name; unsigned int mode; } modes[] = {
	{ "private", MACVLAN_MODE_PRIVATE }, { "vepa", MACVLAN_MODE_VEPA },
	{ "bridge", MACVLAN_MODE_BRIDGE }, { "passthru", MACVLAN_MODE_PASSTHRU },
	{ "source", MACVLAN_MODE_SOURCE },
};

/* 0 when absent (kernel default), the mode, or -1 when unknown. */
static long macvlan_mode(const json_t *opts)
{
	const json_t *m = opts ? json_object_get(opts, "mode") : NULL;

	if (!m)
		return 0;
	for (size_t i = 0; json_is_string(m) && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(json_string_value(m), modes[i].name))
			return modes[i].mode;
	return -1;
}

static int macvlan_check(const json_t *opts)
{
	if (macvlan_mode(opts) < 0)
		return err_fail(EINVAL, "'mode' must be one of private, vepa, bridge, passthru, source");
	return 0;
}

static int macvlan_fill(struct nlmsghdr *nlh, const struct link_req *req)
{
	long mode = macvlan_mode(req->opts);

	if (mode <= 0)
		return 0;
	struct nlattr *data = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_INFO_DATA);

	if (!data || !mnl_attr_put_u32_check(nlh, NL_MSG_MAX, IFLA_MACVLAN_MODE, mode))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	return 0;
}

const struct link_kind link_macvlan = {
	.name = "macvlan",
	.on_parent = true,
	.has_mac = true,
	.check = macvlan_check,
	.fill = macvlan_fill,
};

const struct link_kind link_macvtap = {
	.name = "macvtap",
	.on_parent = true,
	.has_mac = true,
	.check = macvlan_check,
	.fill = macvlan_fill,
};
