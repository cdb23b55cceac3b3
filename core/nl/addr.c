/* addr.c - parse IP addresses and add them over rtnetlink. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "err.h"

int addr_parse(const char *s, struct ipaddr *ip)
{
	char buf[64], *slash, *end;

	memset(ip, 0, sizeof(*ip));
	ip->prefix = -1;
	if (strlen(s) >= sizeof(buf))
		return err_fail(EINVAL, "'%s' is not an IP address", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	if (inet_pton(AF_INET, buf, ip->a) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, ip->a) == 1)
		ip->family = AF_INET6;
	else
		return err_fail(EINVAL, "'%s' is not an IP address", s);
	if (slash) {
		long p = strtol(slash, &end, 10);

		if (!*slash || *end || p < 0 || p > (ip->family == AF_INET ? 32 : 128))
			return err_fail(EINVAL, "'%s' has a bad prefix length", s);
		ip->prefix = p;
	}
	return 0;
}

const char *addr_str(const struct ipaddr *ip, char *buf)
{
	return inet_ntop(ip->family, ip->a, buf, 64);
}

void addr_add_batch(struct nl_batch *b, int ifindex, const struct ipaddr *ip,
		    const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWADDR,
					    NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, what);
	int len = ip->family == AF_INET ? 4 : 16;

	if (!nlh)
		return;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = ip->family;
	ifa->ifa_prefixlen = ip->prefix < 0 ? len * 8 : ip->prefix;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, len, ip->a);
	mnl_attr_put(nlh, IFA_ADDRESS, len, ip->a);
}
