/* addr.c - parse IP and MAC addresses; add IP addresses over rtnetlink. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "err.h"

int addr_parse(const char *s, struct ipaddr *ip)
{
	char buf[64], *slash;

	memset(ip, 0, sizeof(*ip));
	ip->prefix = -1;
	if (strlen(s) >= sizeof(buf))
		return err_fail(EINVAL, "'%.40s...' is not an IP address", s);
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
		int max = ip->family == AF_INET ? 32 : 128;
		size_t len = strspn(slash, "0123456789");

		/* digits only: strtol would take "+8", " 8", "0x8" */
		if (!len || slash[len] || len > 3 || atoi(slash) > max) {
			ip->family = 0;
			return err_fail(EINVAL, "'%s' has a bad prefix length (0..%d for %s)", s, max,
					max == 32 ? "IPv4" : "IPv6");
		}
		ip->prefix = atoi(slash);
	}
	return 0;
}

void addr_mask(struct ipaddr *ip)
{
	int len = ip->family == AF_INET ? 4 : 16, bits = ip->prefix < 0 ? len * 8 : ip->prefix;

	for (int i = 0; i < len; i++, bits -= 8)
		ip->a[i] &= bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff00 >> bits) & 0xff;
}

bool addr_is_network(const struct ipaddr *ip)
{
	struct ipaddr net = *ip;

	addr_mask(&net);
	return !memcmp(net.a, ip->a, sizeof(ip->a));
}

int addr_check_iface(const struct ipaddr *ip, const char *text)
{
	static const unsigned char any[16], loopback[16] = { [15] = 1 };

	if (ip->family != AF_INET6)
		return 0;
	if (ip->a[0] == 0xff)
		return err_fail(EINVAL, "'%s' is a multicast address, not an interface's", text);
	if (!memcmp(ip->a, loopback, 16))
		return err_fail(EINVAL, "'%s' is the loopback address, only lo's", text);
	if (!memcmp(ip->a, any, 16))
		return err_fail(EINVAL, "'%s' is the unspecified address, not an interface's", text);
	return 0;
}

int addr_check_remote(const struct ipaddr *ip, const char *text)
{
	if (ip->family == AF_INET ? (ip->a[0] & 0xf0) == 0xe0 : ip->a[0] == 0xff)
		return err_fail(EINVAL, "'%s' is a multicast address (a multicast group "
				"needs a device, which a tunnel here has not)", text);
	if (ip->family == AF_INET6 && ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0x80)
		return err_fail(EINVAL, "'%s' is link-local (it needs a device, which a tunnel "
				"here has not)", text);
	return 0;
}

int mac_parse(const char *s, unsigned char mac[6])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[6];

	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !strchr(hex, tolower((unsigned char)s[i])) || !s[i])
			return err_fail(EINVAL, "'%s' is not a MAC address (six hex pairs "
					"such as 02:00:0a:0b:0c:01)", s);
	if (s[17])
		return err_fail(EINVAL, "'%s' is not a MAC address (six hex pairs "
				"such as 02:00:0a:0b:0c:01)", s);
	for (int i = 0; i < 6; i++)
		b[i] = (strchr(hex, tolower((unsigned char)s[3 * i])) - hex) << 4 |
		       (strchr(hex, tolower((unsigned char)s[3 * i + 1])) - hex);
	if (b[0] & 1)
		return err_fail(EINVAL, "'%s' is a multicast MAC address (its first byte is odd)",
				s);
	if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]))
		return err_fail(EINVAL, "'%s' is all zeros, not an interface's MAC address", s);
	memcpy(mac, b, 6);
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
