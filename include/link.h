/* link.h - interfaces of every kind over rtnetlink (RTM_NEWLINK & co).
 *
 * Kinds are static descriptors, one small file each (core/nl/link_veth.c,
 * link_vlan.c, ...), found by name in the table of core/nl/link.c.
 */
#ifndef CONLINK_LINK_H
#define CONLINK_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include <net/if.h>

#include "nl.h"

/* One RTM_NEWLINK: everything the kernel can take in the create message. */
struct link_req {
	const char *name;		/* IFLA_IFNAME */
	const char *kind;		/* IFLA_INFO_KIND */
	const json_t *opts;		/* kind options: mode, vlanid, remote, vni */
	int parent;			/* IFLA_LINK ifindex, 0: none */
	int ns;				/* IFLA_NET_NS_FD: made there, -1: here */
	int mtu;			/* 0: kernel default */
	const unsigned char *mac;	/* 6 bytes, or NULL */
	int master;			/* IFLA_MASTER ifindex, 0: none */
	uint32_t group;			/* IFLA_GROUP, 0: the default group */
	bool up;
	const struct link_req *peer;	/* veth: the other end */
};

struct link_kind {
	const char *name;		/* IFLA_INFO_KIND */
	bool on_parent;			/* made on a parent (outer-dev) */
	bool has_mac;			/* takes a MAC (not ipvlan/ipvtap) */
	/* Check the kind's options in OPTS before anything is made:
	 * 0 or -EINVAL with err_msg() naming the property. May be NULL. */
	int (*check)(const json_t *opts);
	/* Put the kind's IFLA_INFO_DATA into NLH (inside IFLA_LINKINFO).
	 * 0, or -EMSGSIZE when it does not fit. May be NULL. */
	int (*fill)(struct nlmsghdr *nlh, const struct link_req *req);
};

extern const struct link_kind link_veth, link_vlan, link_macvlan, link_macvtap,
	link_ipvlan, link_ipvtap, link_dummy, link_vxlan, link_geneve, link_bridge;

/* The descriptor of KIND, or NULL. */
const struct link_kind *link_kind_find(const char *kind);

/* Build the RTM_NEWLINK body for REQ into NLH (fresh header).
 * 0 or -EMSGSIZE. */
int link_add_fill(struct nlmsghdr *nlh, const struct link_req *req);

/* For kind files: put PEER (ifinfomsg + attributes) at the tail of NLH,
 * inside an open VETH_INFO_PEER nest. 0 or -EMSGSIZE. */
int link_fill_peer(struct nlmsghdr *nlh, const struct link_req *peer);

/* For the tunnel kinds: check "vni"/"remote"; put them as attributes. */
int link_tunnel_check(const json_t *opts);
int link_tunnel_fill(struct nlmsghdr *nlh, const struct link_req *req,
		     int id_attr, int v4_attr, int v6_attr);

/* Create REQ (NLM_F_CREATE|NLM_F_EXCL). On failure err_msg() says which
 * link; an unknown kind reads "kernel has no 'KIND' link type (Unknown
 * device type)". */
int link_add(struct nl *nl, const struct link_req *req);

/* Delete interface NAME. -ENODEV when it is already gone. */
int link_del(struct nl *nl, const char *name);

/* Delete every interface of interface group GROUP in NL's namespace with
 * one request ("ip link delete group GROUP"): the kernel unregisters them
 * as one batch, one RCU grace period for all instead of one each. A veth's
 * peer goes with it, wherever it lives. -ENODEV when the group is empty. */
int link_del_group(struct nl *nl, uint32_t group);

/* A random interface group (>= 65536) that no interface in NL's namespace
 * is in, for marking what this process makes there. 0 or -errno. */
int link_group_pick(struct nl *nl, uint32_t *group);

struct link_info {
	int index;
	int mtu;
	unsigned int flags;
	char kind[16];
};

/* Look up NAME: 0 and *info, -ENODEV when absent, else -errno. */
int link_get(struct nl *nl, const char *name, struct link_info *info);

/* Set MTU/MAC/master/up of an existing interface (0/NULL/-1 skip). */
int link_set(struct nl *nl, const char *name, int mtu, const unsigned char *mac,
	     int master, bool up);

/* Queue "ip link set IFINDEX up" in B. */
void link_up_batch(struct nl_batch *b, int ifindex, const char *what);

/* Parse "aa:bb:cc:dd:ee:ff" into MAC. 0 or -EINVAL. */
int link_parse_mac(const char *s, unsigned char mac[6]);

/* An int or numeric-string property of OPTS; DEF when absent. -1 when
 * present but not a number. */
long link_opt_int(const json_t *opts, const char *key, long def);

#endif
