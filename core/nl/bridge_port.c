/* bridge_port.c - forwarding database entries and port isolation of a
 * bridge's ports (see bridge_port.h), as iproute2's `bridge fdb append`
 * and `bridge link set ... isolated on` send them. */
#include <string.h>
#include <sys/socket.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "bridge_port.h"

void fdb_flood_append_batch(struct nl_batch *b, int ifindex, const struct ipaddr *dst,
			    const char *what)
{
	/* NLM_F_APPEND: one all-zero entry per remote, not one replacing the last */
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWNEIGH,
					    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, what);
	static const unsigned char zero[6];

	if (!nlh)
		return;
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));

	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NOARP | NUD_PERMANENT;
	ndm->ndm_flags = NTF_SELF;	/* the vxlan device's own table, not the bridge's */
	if (!mnl_attr_put_check(nlh, NL_MSG_MAX, NDA_LLADDR, sizeof(zero), zero) ||
	    !mnl_attr_put_check(nlh, NL_MSG_MAX, NDA_DST, dst->family == AF_INET ? 4 : 16,
				dst->a))
		nl_batch_overflow(b);
}

void bridge_port_isolated_batch(struct nl_batch *b, int ifindex, bool on, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_SETLINK, NLM_F_ACK, what);
	struct nlattr *prot;

	if (!nlh)
		return;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = ifindex;
	prot = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, IFLA_PROTINFO | NLA_F_NESTED);
	if (!prot || !mnl_attr_put_u8_check(nlh, NL_MSG_MAX, IFLA_BRPORT_ISOLATED, on)) {
		nl_batch_overflow(b);
		return;
	}
	mnl_attr_nest_end(nlh, prot);
}
