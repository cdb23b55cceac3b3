/* link.h - interfaces of every kind over rtnetlink (RTM_NEWLINK & co).
 *
 * Kinds are static descriptors, one small file each (core/nl/link_veth.c,
 * link_vlan.c, ...), found by name in the table of core/nl/link.c.
 */
#ifndef CONLINK_LINK_H
#define CONLINK_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "addr.h"
#include "nl.h"

/* Where a kind's outer end lives: the "base" of --show-config. */
enum link_base {
	LINK_BASE_CONLINK,	/* a veth peer in conlink's namespace, on a bridge */
	LINK_BASE_HOST,		/* made on a parent interface (outer-dev) of the
				 * host namespace, straight into the container */
	LINK_BASE_LOCAL,	/* no outer end: made inside the container */
};

/* Where a kind may appear in the config. */
enum link_role {
	LINK_ROLE_LINK,		/* a "type" of links: [...] */
	LINK_ROLE_TUNNEL,	/* a "type" of tunnels: [...] */
	LINK_ROLE_INTERNAL,	/* made by conlink only (bridges) */
};

/* Properties that only some kinds take (struct link_kind .takes/.needs).
 * The other link properties (dev, ip, mtu, route, ...) every kind takes. */
enum link_prop {
	LINK_P_BRIDGE = 1 << 0,		/* "bridge": the outer end joins one */
	LINK_P_OUTER_DEV = 1 << 1,	/* "outer-dev": outer end or parent */
	LINK_P_MAC = 1 << 2,		/* "mac" */
	LINK_P_MODE = 1 << 3,		/* "mode": one of .modes */
	LINK_P_VLANID = 1 << 4,		/* "vlanid" in .vlanid */
	LINK_P_FORWARD = 1 << 5,	/* "forward" */
	LINK_P_VNI = 1 << 6,		/* "vni" in .vni */
	LINK_P_REMOTE = 1 << 7,		/* "remote" */
};
#define LINK_P_COUNT 8

/* One "mode" name of a kind and the kernel's value for it. */
struct link_mode {
	const char *name;
	unsigned int value;
};

struct link_range {
	long min, max;
};

/* One RTM_NEWLINK: everything the kernel can take in the create message. */
struct link_req {
	const char *name;		/* IFLA_IFNAME */
	const char *kind;		/* IFLA_INFO_KIND */
	int parent;			/* IFLA_LINK ifindex, 0: none */
	int ns;				/* IFLA_NET_NS_FD: made there, -1: here */
	int mtu;			/* 0: kernel default */
	const unsigned char *mac;	/* 6 bytes, or NULL */
	int master;			/* IFLA_MASTER ifindex, 0: none */
	uint32_t group;			/* IFLA_GROUP, 0: the default group */
	bool up;
	const char *alias;		/* IFLA_IFALIAS (the owner mark), NULL: none;
					 * set by a second message (see link_add) */
	bool addrgen_none;		/* IFLA_INET6_ADDR_GEN_MODE none: no IPv6
					 * link-local address (needs .alias: set
					 * with it, before up; see link_add) */
	const struct link_req *peer;	/* veth: the other end */
	/* the kind's options, typed (which ones: the kind's .takes) */
	const struct link_mode *mode;	/* NULL: the kernel's default */
	uint16_t vlanid;
	uint32_t vni;
	struct ipaddr remote;		/* family 0: none */
	struct ipaddr local;		/* vxlan: the underlay source (a mesh
					 * tunnel's), family 0: none */
};

/* A link kind: every fact about it lives here, read by the loader
 * (validate, enrich), the daemon (instance, apply) and the kernel layer. */
struct link_kind {
	const char *name;		/* IFLA_INFO_KIND and the config's "type" */
	enum link_role role;
	enum link_base base;
	unsigned int takes;		/* LINK_P_* it accepts */
	unsigned int needs;		/* LINK_P_* it requires */
	const struct link_mode *modes;	/* LINK_P_MODE: {NULL}-terminated */
	struct link_range vlanid;	/* LINK_P_VLANID */
	struct link_range vni;		/* LINK_P_VNI */
	/* Put the kind's IFLA_INFO_DATA into NLH (inside IFLA_LINKINFO).
	 * 0, or -EMSGSIZE when it does not fit. May be NULL. */
	int (*fill)(struct nlmsghdr *nlh, const struct link_req *req);
};

/* Every kind, NULL-terminated, in the order messages list them. A new
 * kind is a file core/nl/link_KIND.c exporting its descriptor and one
 * entry in this table (core/nl/link.c): nothing else names a kind. */
extern const struct link_kind *const link_kinds[];

/* The descriptor of KIND, or NULL. */
const struct link_kind *link_kind_find(const char *kind);

/* The config key of one LINK_P_* bit, and the bit of a key (0: a
 * property every kind takes). */
const char *link_prop_name(enum link_prop p);
enum link_prop link_prop_find(const char *key);

/* K's range for LINK_P_VLANID or LINK_P_VNI, NULL when K takes none. */
const struct link_range *link_kind_range(const struct link_kind *k, enum link_prop p);

/* K's mode named NAME, or NULL. */
const struct link_mode *link_kind_mode(const struct link_kind *k, const char *name);

/* "conlink", "host" or "local". */
const char *link_base_name(enum link_base base);

/* For kind files: put PEER (ifinfomsg + attributes) at the tail of NLH,
 * inside an open VETH_INFO_PEER nest. 0 or -EMSGSIZE. */
int link_fill_peer(struct nlmsghdr *nlh, const struct link_req *peer);

/* For the tunnel kinds: put vni, remote (V4/V6_ATTR) and, when the kind
 * has one (LOCAL4/6_ATTR not 0), the local address as attributes. */
int link_tunnel_fill(struct nlmsghdr *nlh, const struct link_req *req,
		     int id_attr, int v4_attr, int v6_attr, int local4_attr, int local6_attr);

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

struct link_info {
	int index;
	int mtu;
	unsigned int flags;
	uint32_t group;		/* IFLA_GROUP */
	int master;		/* IFLA_MASTER ifindex, 0: none */
	char name[IFNAMSIZ];
	char kind[16];		/* IFLA_INFO_KIND, "" for none */
	char alias[128];	/* IFLA_IFALIAS ("?" when longer than kept) */
};

/* An interface group (>= 65536) for marking what this process makes in
 * NL's namespace: the first of SEED's deterministic candidates that no
 * interface without alias ALIAS is in (ALIAS NULL: no interface at all),
 * so the same SEED gives the same group in a process's next life.
 * 0 or -errno. */
int link_group_pick(struct nl *nl, uint32_t seed, const char *alias, uint32_t *group);

/* Look up NAME: 0 and *info, -ENODEV when absent, else -errno. */
int link_get(struct nl *nl, const char *name, struct link_info *info);

/* Every interface of NL's namespace to FN, in one dump; FN returning
 * nonzero stops passing more (the dump still drains). 0, FN's value, or
 * -errno. */
typedef int link_dump_fn(const struct link_info *li, void *arg);
int link_dump(struct nl *nl, link_dump_fn *fn, void *arg);

/* Set MTU/MAC/master/up of an existing interface (0/NULL/-1 skip). */
int link_set(struct nl *nl, const char *name, int mtu, const unsigned char *mac,
	     int master, bool up);

/* "ip link set IFINDEX up" (UP) or "down". 0 or -errno. */
int link_set_updown(struct nl *nl, int ifindex, bool up);

/* Queue "ip link set IFINDEX up" in B. */
void link_up_batch(struct nl_batch *b, int ifindex, const char *what);

/* Queue "ip link set IFINDEX [up] alias ALIAS" (ALIAS NULL: none). */
void link_alias_batch(struct nl_batch *b, int ifindex, bool up, const char *alias,
		      const char *what);

/* Queue "ip link set IFINDEX group GROUP". */
void link_group_batch(struct nl_batch *b, int ifindex, uint32_t group, const char *what);

/* Queue "ip link delete group GROUP" (see link_del_group). */
void link_del_group_batch(struct nl_batch *b, uint32_t group, const char *what);

/* Parse "aa:bb:cc:dd:ee:ff" into MAC: mac_parse() (addr.h), the one MAC
 * grammar; kept under this name for its callers. 0 or -EINVAL. */
int link_parse_mac(const char *s, unsigned char mac[6]);

#endif
