/* route.c - parse `ip route add` arguments into RTM_NEWROUTE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "ifname.h"
#include "route.h"
#include "spell.h"

struct name_num {
	const char *name;
	int num;
};

static const struct name_num scopes[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST }, { "nowhere", RT_SCOPE_NOWHERE }, { 0, 0 },
};
static const struct name_num protos[] = {
	{ "kernel", RTPROT_KERNEL }, { "boot", RTPROT_BOOT },
	{ "static", RTPROT_STATIC }, { "dhcp", RTPROT_DHCP }, { 0, 0 },
};
static const struct name_num tables[] = {
	{ "main", RT_TABLE_MAIN }, { "local", RT_TABLE_LOCAL },
	{ "default", RT_TABLE_DEFAULT }, { 0, 0 },
};

static const struct name_num no_names[] = { { 0, 0 } };

/* A name from T or a number up to MAX; -1 when neither. */
static long name_or_num(const struct name_num *t, const char *w, unsigned long max)
{
	char *end;

	for (; t->name; t++)
		if (!strcmp(t->name, w))
			return t->num;
	if (*w == '-' || *w == '+')
		return -1;
	errno = 0;
	unsigned long n = strtoul(w, &end, 0);

	if (!*w || *end || errno || n > max)
		return -1;
	return n;
}

/* The words that take an argument, and what the argument is. */
static const struct { const char *word, *expected; } args[] = {
	{ "via", "an IP address (the gateway)" },
	{ "dev", "an interface name" },
	{ "src", "an IP address (the preferred source)" },
	{ "metric", "a number 0..4294967295" },
	{ "priority", "a number 0..4294967295" },
	{ "preference", "a number 0..4294967295" },
	{ "table", "main, local, default or a number 0..4294967295" },
	{ "scope", "global, site, link, host, nowhere or a number 0..255" },
	{ "proto", "kernel, boot, static, dhcp or a number 0..255" },
	{ NULL, NULL },
};
static const char *const words[] = {
	"via", "dev", "src", "metric", "priority", "preference", "table", "scope",
	"proto", "onlink", NULL,
};

#define FAIL(...) do { ret = err_fail(EINVAL, __VA_ARGS__); goto out; } while (0)

/* err_msg() copied to BUF (256 bytes), to quote in the next err_fail(). */
static const char *why(char *buf)
{
	snprintf(buf, 256, "%s", err_msg());
	return buf;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

int route_parse(const char *text, struct route_spec *r)
{
	char *copy = strdup(text), *save = NULL, *w, *arg, reason[256];
	int ret = 0;
	bool have_dst = false;
	long n;

	memset(r, 0, sizeof(*r));
	r->metric = -1;
	r->scope = -1;
	r->table = RT_TABLE_MAIN;
	r->proto = RTPROT_BOOT;
	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		const char *expected = NULL;

		if (!strcmp(w, "onlink")) {
			r->onlink = true;
			continue;
		}
		for (int i = 0; args[i].word; i++)
			if (!strcmp(w, args[i].word))
				expected = args[i].expected;
		if (!expected) {
			if (have_dst) {
				char h[SPELL_HINT_MAX];

				FAIL("unknown word '%s'%s, expected via, dev, src, metric, table, "
				     "scope, proto or onlink", w, spell_hint(w, words, sizeof(*words), h));
			}
			have_dst = true;
			if (!strcmp(w, "default")) {
				r->dst.prefix = 0;
				continue;
			}
			if (addr_parse(w, &r->dst) < 0 && strpbrk(w, ".:/"))
				FAIL("bad destination: %s, expected a prefix such as 10.1.0.0/16 "
				     "or fd00::/64, or 'default'", why(reason));
			if (!r->dst.family)
				FAIL("unknown word '%s', expected a destination first: a prefix "
				     "such as 10.1.0.0/16 or fd00::/64, or 'default'", w);
			if (r->dst.prefix < 0)
				r->dst.prefix = r->dst.family == AF_INET ? 32 : 128;
			if (r->dst.family == AF_INET && !addr_is_network(&r->dst)) {
				struct ipaddr net = r->dst;
				char a[64];

				addr_mask(&net);
				FAIL("bad destination '%s': host bits set, expected %s/%d (the "
				     "kernel: Invalid prefix for given prefix length)", w,
				     addr_str(&net, a), net.prefix);
			}
			continue;
		}
		arg = strtok_r(NULL, " \t", &save);
		if (!arg)
			FAIL("'%s' needs an argument, expected %s after it", w, expected);
		if (!strcmp(w, "via")) {
			int family = !strcmp(arg, "inet") ? AF_INET : !strcmp(arg, "inet6") ? AF_INET6 : 0;

			if (family && !(arg = strtok_r(NULL, " \t", &save)))
				FAIL("'via' needs an address, expected %s after it", expected);
			if (addr_parse(arg, &r->gw) < 0 || r->gw.prefix >= 0)
				FAIL("bad gateway '%s', expected an IP address without a prefix length",
				     arg);
			if (family && family != r->gw.family)
				FAIL("bad gateway '%s', expected an %s address after 'via %s'", arg,
				     family_name(family), family == AF_INET ? "inet" : "inet6");
		} else if (!strcmp(w, "dev")) {
			if (ifname_check(arg) < 0)
				FAIL("bad device name '%s' (%s), expected %s", arg, why(reason),
				     IFNAME_EXPECTED);
			strcpy(r->dev, arg);
		} else if (!strcmp(w, "src")) {
			if (addr_parse(arg, &r->src) < 0 || r->src.prefix >= 0)
				FAIL("bad source address '%s', expected an IP address without a "
				     "prefix length", arg);
		} else if (!strcmp(w, "table")) {
			if ((n = name_or_num(tables, arg, UINT32_MAX)) < 0)
				FAIL("bad table '%s', expected %s", arg, expected);
			r->table = n;
		} else if (!strcmp(w, "scope")) {
			if ((n = name_or_num(scopes, arg, 255)) < 0)
				FAIL("bad scope '%s', expected %s", arg, expected);
			r->scope = n;
		} else if (!strcmp(w, "proto")) {
			if ((n = name_or_num(protos, arg, 255)) < 0)
				FAIL("bad proto '%s', expected %s", arg, expected);
			r->proto = n;
		} else {	/* metric, priority, preference */
			if ((n = name_or_num(no_names, arg, UINT32_MAX)) < 0)
				FAIL("bad %s '%s', expected %s", w, arg, expected);
			r->metric = n;
		}
	}
	if (!have_dst)
		FAIL("no destination (a prefix or 'default'), expected one first, as in "
		     "'10.1.0.0/16 via 10.0.0.1'");
	/* "default" takes the family of what goes with it */
	if (!r->dst.family)
		r->dst.family = r->gw.family ? r->gw.family : r->src.family ? r->src.family
									     : AF_INET;
	char a[64];

	if (r->gw.family && r->gw.family != r->dst.family)
		FAIL("gateway and destination are different families: gateway %s is %s, "
		     "expected %s as the destination", addr_str(&r->gw, a),
		     family_name(r->gw.family), family_name(r->dst.family));
	if (r->src.family && r->src.family != r->dst.family)
		FAIL("source and destination are different families: src %s is %s, "
		     "expected %s as the destination", addr_str(&r->src, a),
		     family_name(r->src.family), family_name(r->dst.family));
	/* the kernel's IPv4 scope rules (fib_create_info, fib_check_nh) */
	if (r->dst.family == AF_INET && r->scope > RT_SCOPE_HOST)
		FAIL("bad scope %d (nowhere), expected global, site, link, host or a number "
		     "0..254 (the kernel takes no route of scope nowhere)", r->scope);
	if (r->dst.family == AF_INET && r->gw.family && r->scope == RT_SCOPE_HOST)
		FAIL("scope host with gateway %s, expected no 'via' (a host route has no "
		     "gateway) or another scope", addr_str(&r->gw, a));
	if (r->dst.family == AF_INET && r->gw.family && r->onlink && r->scope >= RT_SCOPE_LINK)
		FAIL("onlink gateway %s with scope %s, expected scope global or site (an onlink "
		     "gateway is beyond the link)", addr_str(&r->gw, a),
		     r->scope == RT_SCOPE_LINK ? "link" : "host");
out:
	free(copy);
	return ret;
}

void route_batch(struct nl_batch *b, const struct route_spec *r, int ifindex,
		 bool del, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, del ? RTM_DELROUTE : RTM_NEWROUTE,
					    (del ? 0 : NLM_F_CREATE | NLM_F_EXCL) | NLM_F_ACK,
					    what);
	int len = r->dst.family == AF_INET ? 4 : 16;

	if (!nlh)
		return;
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = r->dst.family;
	rtm->rtm_dst_len = r->dst.prefix;
	rtm->rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->proto;
	rtm->rtm_type = RTN_UNICAST;
	/* iproute2's default: a gateway route is global, a device route link */
	rtm->rtm_scope = r->scope >= 0 ? r->scope : r->gw.family ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (r->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	if (r->dst.prefix)
		mnl_attr_put(nlh, RTA_DST, len, r->dst.a);
	if (r->gw.family)
		mnl_attr_put(nlh, RTA_GATEWAY, len, r->gw.a);
	if (r->src.family)
		mnl_attr_put(nlh, RTA_PREFSRC, len, r->src.a);
	if (r->metric >= 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (r->table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
}
