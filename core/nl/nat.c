/* nat.c - nftables NAT (link "nat", IPv4 or IPv6) and port forwards (IPv4),
 * via libnftnl. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "err.h"
#include "nat.h"
#include "netns.h"
#include "nl.h"

#define TABLE "conlink"

/* How many links use the table of each namespace. */
static struct table_ref {
	int ns;		/* held */
	int fam;	/* NFPROTO_IPV4 (table ip conlink) or _IPV6 (ip6) */
	int links;
} refs[64];

static struct table_ref *table_ref(int ns, int fam, int create)
{
	int i;

	for (i = 0; i < 64; i++)
		if (refs[i].links && refs[i].fam == fam &&
		    (ns < 0 ? refs[i].ns < 0 : netns_same(refs[i].ns, ns)))
			return &refs[i];
	for (i = 0; create && i < 64; i++)
		if (!refs[i].links) {
			refs[i].ns = netns_hold(ns);
			refs[i].fam = fam;
			return &refs[i];
		}
	return NULL;
}

/* The nftables family of an address family. */
static int nf_family(int af)
{
	return af == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

static void batch_begin(struct nl_batch *b)
{
	nftnl_batch_begin(nl_batch_space(b), nl_batch_next_seq(b));
	nl_batch_commit(b, false, "nft batch begin");
}

static void batch_end(struct nl_batch *b)
{
	nftnl_batch_end(nl_batch_space(b), nl_batch_next_seq(b));
	nl_batch_commit(b, false, "nft batch end");
}

static void add_table(struct nl_batch *b, int fam)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh = nftnl_table_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_NEWTABLE,
							   fam, NLM_F_CREATE | NLM_F_ACK,
							   nl_batch_next_seq(b));

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	nl_batch_commit(b, true, "cannot add nft table " TABLE);
}

static void del_table(struct nl_batch *b, int fam)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh = nftnl_table_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_DELTABLE,
							   fam, NLM_F_ACK, nl_batch_next_seq(b));

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	nl_batch_commit(b, true, "cannot delete nft table " TABLE);
}

/* Whether NL's namespace has table conlink of FAM: 1, 0 or -errno. */
static int table_exists(struct nl *nl, int fam)
{
	char buf[NL_MSG_MAX];
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh = nftnl_table_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, fam, 0, 0);
	int ret;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	ret = nl_talk(nl, nlh, NULL, NULL, "cannot read nft table " TABLE);
	return ret == 0 ? 1 : ret == -ENOENT ? 0 : ret;
}

/* The table of a namespace no link of this life uses yet is a previous
 * life's (conlink killed, its container kept). Looked for first: a
 * transaction that deletes a table costs the kernel an RCU wait (~10 ms),
 * too much to pay for every container where there is none. NL: a
 * netfilter socket there, or NULL to open one. */
static bool table_stale(int ns, int fam, struct nl *nl)
{
	struct nl own;
	int ret;

	if (table_ref(ns, fam, 0))
		return false;
	if (!nl) {
		if (nl_open(&own, NETLINK_NETFILTER, ns) < 0)
			return false;
		ret = table_exists(&own, fam);
		nl_close(&own);
	} else {
		ret = table_exists(nl, fam);
	}
	return ret > 0;
}

/* Add then delete the table: whatever it held goes, in this transaction. */
static void drop_table(struct nl_batch *b, int fam)
{
	add_table(b, fam);
	del_table(b, fam);
}

static void add_chain(struct nl_batch *b, int fam, const char *name, int hook, int prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh = nftnl_chain_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_NEWCHAIN,
							   fam, NLM_F_CREATE | NLM_F_ACK,
							   nl_batch_next_seq(b));

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "nat");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	nl_batch_commit(b, true, "cannot add nft chain");
}

/* ---- expressions ---- */

static void e_meta(struct nftnl_rule *r, int key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

static void e_payload(struct nftnl_rule *r, int base, int off, int len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_rule_add_expr(r, e);
}

static void e_cmp(struct nftnl_rule *r, const void *data, int len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static void e_ifname(struct nftnl_rule *r, int key, const char *name)
{
	char buf[IFNAMSIZ] = "";

	strncpy(buf, name, IFNAMSIZ - 1);
	e_meta(r, key);
	e_cmp(r, buf, IFNAMSIZ);
}

static void e_imm(struct nftnl_rule *r, int reg, const void *data, int len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

/* snat/dnat to ADDR (and PORT, network order, when nonzero) */
static void e_nat(struct nftnl_rule *r, int type, const struct ipaddr *addr, uint16_t port)
{
	struct nftnl_expr *e;

	e_imm(r, NFT_REG_1, addr->a, addr->family == AF_INET6 ? 16 : 4);
	if (port)
		e_imm(r, NFT_REG_2, &port, 2);
	e = nftnl_expr_alloc("nat");
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, type);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, nf_family(addr->family));
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
	if (port)
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_2);
	nftnl_rule_add_expr(r, e);
}

static struct nftnl_rule *rule_new(const char *chain, int fam)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, fam);
	return r;
}

static void rule_add(struct nl_batch *b, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = nftnl_rule_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_NEWRULE,
							  nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
							  NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
							  nl_batch_next_seq(b));

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nl_batch_commit(b, true, "cannot add nft rule");
}

/* ---- batches ---- */

static int run_batch(int ns, struct nl_batch *b)
{
	struct nl nl;
	int ret = nl_open(&nl, NETLINK_NETFILTER, ns);

	if (ret < 0) {
		nl_batch_free(b);
		return ret;
	}
	ret = nl_batch_run(&nl, b);
	nl_close(&nl);
	return ret;
}

/* Start a batch with the table (a stale one replaced) and the chains
 * NAME-pre/NAME-post. */
static void chains_begin(struct nl_batch *b, int ns, int fam, const char *name, char *pre,
			 char *post)
{
	snprintf(pre, 64, "%s-pre", name);
	snprintf(post, 64, "%s-post", name);
	nl_batch_init(b);
	batch_begin(b);
	if (table_stale(ns, fam, NULL))
		drop_table(b, fam);
	add_table(b, fam);
	add_chain(b, fam, pre, NF_INET_PRE_ROUTING, -100);
	add_chain(b, fam, post, NF_INET_POST_ROUTING, 100);
}

static int chains_commit(int ns, int fam, struct nl_batch *b, const char *name)
{
	batch_end(b);
	int ret = run_batch(ns, b);

	if (ret < 0)
		return err_wrap(ret, "nftables %s", name);
	struct table_ref *t = table_ref(ns, fam, 1);

	if (t)
		t->links++;
	return 0;
}

int nat_link_add(int ns, const char *name, const char *dev,
		 const struct ipaddr *target, const struct ipaddr *self)
{
	char pre[64], post[64];
	struct nl_batch b;
	struct nftnl_rule *r;
	int fam = nf_family(target->family);

	if (self->family != target->family)
		return err_fail(EINVAL, "nat %s: the address and the link's ip are of different "
				"families", name);
	chains_begin(&b, ns, fam, name, pre, post);
	r = rule_new(pre, fam);	/* iifname DEV dnat to TARGET */
	e_ifname(r, NFT_META_IIFNAME, dev);
	e_nat(r, NFT_NAT_DNAT, target, 0);
	rule_add(&b, r);
	r = rule_new(post, fam);	/* oifname DEV snat to SELF */
	e_ifname(r, NFT_META_OIFNAME, dev);
	e_nat(r, NFT_NAT_SNAT, self, 0);
	rule_add(&b, r);
	return chains_commit(ns, fam, &b, name);
}

int nat_forward_add(int ns, const char *name, const char *ext, const char *bridge,
		    const struct ipaddr *ip, const struct nat_forward *fw, int nfw)
{
	char pre[64], post[64];
	struct nl_batch b;
	struct nftnl_rule *r;

	if (ip->family != AF_INET)
		return err_fail(EINVAL, "forward %s: needs an IPv4 address", name);
	chains_begin(&b, ns, NFPROTO_IPV4, name, pre, post);
	for (int i = 0; i < nfw; i++) {
		uint16_t pa = htons(fw[i].port_a), pb = htons(fw[i].port_b);

		/* iifname EXT meta l4proto P th dport A dnat to IP:B */
		r = rule_new(pre, NFPROTO_IPV4);
		e_ifname(r, NFT_META_IIFNAME, ext);
		e_meta(r, NFT_META_L4PROTO);
		e_cmp(r, &fw[i].proto, 1);
		e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
		e_cmp(r, &pa, 2);
		e_nat(r, NFT_NAT_DNAT, ip, pb);
		rule_add(&b, r);
		/* oifname BRIDGE ip daddr IP meta l4proto P th dport B masquerade */
		r = rule_new(post, NFPROTO_IPV4);
		e_ifname(r, NFT_META_OIFNAME, bridge);
		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
		e_cmp(r, ip->a, 4);
		e_meta(r, NFT_META_L4PROTO);
		e_cmp(r, &fw[i].proto, 1);
		e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
		e_cmp(r, &pb, 2);
		nftnl_rule_add_expr(r, nftnl_expr_alloc("masq"));
		rule_add(&b, r);
	}
	return chains_commit(ns, NFPROTO_IPV4, &b, name);
}

static void del_chain(struct nl_batch *b, int fam, const char *chain)
{
	struct nftnl_rule *r = rule_new(chain, fam);
	struct nlmsghdr *nlh;

	/* flush, then delete: older kernels refuse to delete a full chain */
	nlh = nftnl_rule_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_DELRULE, fam,
					 NLM_F_ACK, nl_batch_next_seq(b));
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nl_batch_commit(b, true, "cannot flush nft chain");
	struct nftnl_chain *c = nftnl_chain_alloc();

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, chain);
	nlh = nftnl_chain_nlmsg_build_hdr(nl_batch_space(b), NFT_MSG_DELCHAIN, fam,
					  NLM_F_ACK, nl_batch_next_seq(b));
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	nl_batch_commit(b, true, "cannot delete nft chain");
}

void nat_del(int ns, const char *name, int family)
{
	int fam = nf_family(family);
	struct table_ref *t = table_ref(ns, fam, 0);
	char chain[80];
	struct nl_batch b;

	nl_batch_init(&b);
	batch_begin(&b);
	if (t && t->links == 1) {
		/* the last link here: drop the table whole */
		del_table(&b, fam);
	} else {
		snprintf(chain, sizeof(chain), "%s-pre", name);
		del_chain(&b, fam, chain);
		snprintf(chain, sizeof(chain), "%s-post", name);
		del_chain(&b, fam, chain);
	}
	batch_end(&b);
	run_batch(ns, &b);
	if (t && --t->links == 0)
		netns_release(t->ns);
}

int nat_drop_stale(int ns)
{
	struct nl_batch b;
	struct nl nl;
	bool v4, v6;
	int ret;

	if (table_ref(ns, NFPROTO_IPV4, 0) && table_ref(ns, NFPROTO_IPV6, 0))
		return 0;
	if ((ret = nl_open(&nl, NETLINK_NETFILTER, ns)) < 0)
		return ret;
	v4 = table_stale(ns, NFPROTO_IPV4, &nl);
	v6 = table_stale(ns, NFPROTO_IPV6, &nl);
	if (!v4 && !v6) {
		nl_close(&nl);
		return 0;
	}
	nl_batch_init(&b);
	batch_begin(&b);
	if (v4)
		drop_table(&b, NFPROTO_IPV4);
	if (v6)
		drop_table(&b, NFPROTO_IPV6);
	batch_end(&b);
	ret = nl_batch_run(&nl, &b);
	nl_close(&nl);
	return ret < 0 ? err_wrap(ret, "nftables: dropping a stale table") : 0;
}
