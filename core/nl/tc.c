/* tc.c - qdiscs and the u32+mirred filter of patch bridges. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/tc_act/tc_mirred.h>

#include "tc.h"

static struct tcmsg *put_tcmsg(struct nlmsghdr *nlh, int ifindex, uint32_t parent,
			       uint32_t handle, uint32_t info)
{
	struct tcmsg *t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = parent;
	t->tcm_handle = handle;
	t->tcm_info = info;
	return t;
}

void tc_ingress_batch(struct nl_batch *b, int ifindex, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWQDISC,
					    NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, what);

	if (!nlh)
		return;
	put_tcmsg(nlh, ifindex, TC_H_INGRESS, TC_H_MAKE(TC_H_INGRESS, 0), 0);
	mnl_attr_put_strz(nlh, TCA_KIND, "ingress");
}

void tc_ingress_del_batch(struct nl_batch *b, int ifindex, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_DELQDISC, NLM_F_ACK, what);

	if (!nlh)
		return;
	put_tcmsg(nlh, ifindex, TC_H_INGRESS, TC_H_MAKE(TC_H_INGRESS, 0), 0);
}

void tc_mirred_batch(struct nl_batch *b, int ifindex, int to, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWTFILTER,
					    NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, what);
	struct {
		struct tc_u32_sel sel;
		struct tc_u32_key key;
	} sel;
	struct tc_mirred mirred;

	if (!nlh)
		return;
	/* prio 1, protocol all (ETH_P_ALL in network order, as tc does) */
	put_tcmsg(nlh, ifindex, TC_H_MAKE(TC_H_INGRESS, 0), 0,
		  TC_H_MAKE(1 << 16, htons(ETH_P_ALL)));
	mnl_attr_put_strz(nlh, TCA_KIND, "u32");
	struct nlattr *opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);

	/* one key: match u32 0 0 at offset 0, i.e. everything */
	memset(&sel, 0, sizeof(sel));
	sel.sel.nkeys = 1;
	sel.sel.flags = TC_U32_TERMINAL;
	mnl_attr_put(nlh, TCA_U32_SEL, sizeof(sel), &sel);
	struct nlattr *acts = mnl_attr_nest_start(nlh, TCA_U32_ACT);
	struct nlattr *act = mnl_attr_nest_start(nlh, 1);

	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "mirred");
	struct nlattr *aopts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);

	memset(&mirred, 0, sizeof(mirred));
	mirred.action = TC_ACT_STOLEN;
	mirred.eaction = TCA_EGRESS_REDIR;
	mirred.ifindex = to;
	mnl_attr_put(nlh, TCA_MIRRED_PARMS, sizeof(mirred), &mirred);
	mnl_attr_nest_end(nlh, aopts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	mnl_attr_nest_end(nlh, opts);
}
