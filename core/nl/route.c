/* route.c - parse `ip route add` arguments into RTM_NEWROUTE. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "route.h"

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
	unsigned long n = strtoul(w, &end, 0);

	if (!*w || *end || n > max)
		return -1;
	return n;
}

#define FAIL(...) do { ret = err_fail(EINVAL, __VA_ARGS__); goto out; } while (0)

int route_parse(const char *text, struct route_spec *r)
{
	char *copy = strdup(text), *save = NULL, *w, *arg;
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
		if (!strcmp(w, "onlink")) {
			r->onlink = true;
			continue;
		}
		bool takes_arg = !strcmp(w, "via") || !strcmp(w, "dev") ||
			!strcmp(w, "metric") || !strcmp(w, "priority") ||
			!strcmp(w, "preference") || !strcmp(w, "src") ||
			!strcmp(w, "table") || !strcmp(w, "scope") || !strcmp(w, "proto");

		if (!takes_arg) {
			if (have_dst)
				FAIL("route '%s': unknown word '%s'", text, w);
			have_dst = true;
			if (!strcmp(w, "default")) {
				r->dst.prefix = 0;
				continue;
			}
			if (addr_parse(w, &r->dst) < 0)
				FAIL("route '%s': unknown word '%s' (expected a prefix or 'default')",
				     text, w);
			if (r->dst.prefix < 0)
				r->dst.prefix = r->dst.family == AF_INET ? 32 : 128;
			continue;
		}
		arg = strtok_r(NULL, " \t", &save);
		if (!arg)
			FAIL("route '%s': '%s' needs an argument", text, w);
		if (!strcmp(w, "via")) {
			if ((!strcmp(arg, "inet") || !strcmp(arg, "inet6")) &&
			    !(arg = strtok_r(NULL, " \t", &save)))
				FAIL("route '%s': 'via' needs an address", text);
			if (addr_parse(arg, &r->gw) < 0 || r->gw.prefix >= 0)
				FAIL("route '%s': bad gateway '%s'", text, arg);
		} else if (!strcmp(w, "dev")) {
			if (strlen(arg) >= sizeof(r->dev))
				FAIL("route '%s': bad device name '%s'", text, arg);
			strcpy(r->dev, arg);
		} else if (!strcmp(w, "src")) {
			if (addr_parse(arg, &r->src) < 0 || r->src.prefix >= 0)
				FAIL("route '%s': bad source address '%s'", text, arg);
		} else if (!strcmp(w, "table")) {
			if ((n = name_or_num(tables, arg, UINT32_MAX)) < 0)
				FAIL("route '%s': bad table '%s'", text, arg);
			r->table = n;
		} else if (!strcmp(w, "scope")) {
			if ((n = name_or_num(scopes, arg, 255)) < 0)
				FAIL("route '%s': bad scope '%s'", text, arg);
			r->scope = n;
		} else if (!strcmp(w, "proto")) {
			if ((n = name_or_num(protos, arg, 255)) < 0)
				FAIL("route '%s': bad proto '%s'", text, arg);
			r->proto = n;
		} else {	/* metric, priority, preference */
			if ((n = name_or_num(no_names, arg, UINT32_MAX)) < 0)
				FAIL("route '%s': bad metric '%s'", text, arg);
			r->metric = n;
		}
	}
	if (!have_dst)
		FAIL("route '%s': no destination (a prefix or 'default')", text);
	if (!r->dst.family)
		r->dst.family = r->gw.family ? r->gw.family : AF_INET;
	if (r->gw.family && r->gw.family != r->dst.family)
		FAIL("route '%s': gateway and destination are different families", text);
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
