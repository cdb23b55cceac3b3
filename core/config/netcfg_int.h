/* netcfg_int.h - what the netcfg_*.c files share: the load context and
 * the error reporter. Not for use outside core/netcfg*.c. */
#ifndef CONLINK_NETCFG_INT_H
#define CONLINK_NETCFG_INT_H

#include <jansson.h>

#include "conlink.h"
#include "srcmap.h"

/* The defaults enrich gives a link (validate and the merge key of load
 * need them before): after enrich every link has its "type" and "dev". */
#define NETCFG_DEFAULT_TYPE "veth"
#define NETCFG_DEFAULT_DEV "eth0"

/* A bridge's "mode" (and --default-bridge-mode): auto, ovs, linux, patch;
 * NULL-terminated. Enrich resolves auto. */
extern const char *const netcfg_bridge_modes[];

struct netcfg_ctx {
	const struct conlink_opts *opts;
	struct srcmap *m;
	int nerrors;
	bool load_failed;	/* a file could not be read or parsed */
	bool ovs_loaded;	/* /sys/module/openvswitch exists */
};

/* Report one config problem: "FILE:LINE:COL: PATH: message". The position
 * is node's, else fallback's (true/false/null have none). Counts errors. */
void netcfg_error(struct netcfg_ctx *c, const json_t *node, const json_t *fallback,
		  const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "a string \"x\"", "the number 3", "a mapping", ... for "found ..." texts. */
char *netcfg_describe(const json_t *node);

/* Property path of a node: its origin (the enclosing item's path), or "". */
const char *netcfg_origin(struct netcfg_ctx *c, const json_t *node);

/* Merge src into dst: mappings recursively, lists concatenated, anything
 * else replaced by src's value (upstream's deep-merge). */
void netcfg_deep_merge(json_t *dst, json_t *src);

/* Read every file the options name and merge them into one raw config
 * (interpolated, links with the same key merged). 0 or -1 (errors shown);
 * *raw is set either way, so later problems can be reported too. */
int netcfg_gather(struct netcfg_ctx *c, json_t **raw);

/* Check the raw config against the schema; every problem is reported.
 * Returns the number of problems. */
int netcfg_validate(struct netcfg_ctx *c, json_t *raw);

/* Build the --show-config shape. Reports (and counts) the checks that need
 * the bridge modes. Returns the new config, or NULL after errors. */
json_t *netcfg_enrich(struct netcfg_ctx *c, json_t *raw);

/* Report interface names two items of RAW would both get in conlink's
 * namespace: veth outer ends, tunnels, the linux/ovs BRIDGES (enriched). */
void netcfg_check_ifnames(struct netcfg_ctx *c, const json_t *raw, const json_t *bridges);

/* linkname_id ("OWNER:DEV"), dying when out of memory as x-wrappers do. */
char *netcfg_link_id(const char *owner, const char *dev);

/* values.c: one value through the parser the link path uses (core/nl).
 * 0, or -EINVAL with err_msg() saying what is wrong with it. (Interface
 * names and ethtool settings need no adapter: ifname_check, ethtool_check.) */
int value_cidr(const char *s);
int value_ip(const char *s);
int value_remote(const char *s);
int value_mac(const char *s);
int value_route(const char *s);
/* A netem string or list (joined, as the link path does); reports. */
void value_check_netem(struct netcfg_ctx *c, json_t *item, json_t *v, const char *path);
/* timeline_check.c: a link's or tunnel's "timeline" list, every step
 * checked and reported; when all are good, replaced in ITEM by its normal
 * form (see timeline_check.c). */
void value_check_timeline(struct netcfg_ctx *c, json_t *item, json_t *v, const char *path);
/* Rules across a link's values: the MTU IPv6 needs, nat and ip. */
void value_check_link(struct netcfg_ctx *c, json_t *link, const char *path);
/* Routes two of one owner's links (or a link's ip) would both add: the
 * kernel's File exists. */
void value_check_routes(struct netcfg_ctx *c, json_t *links);

/* hosts.c: placement (the top-level "hosts") and the mesh plan.
 * A host name: 1..63 letters, digits, '.', '_', '-', led by a letter or
 * digit. 0 or -EINVAL with err_msg(). */
int value_host_name(const char *s);
/* With "hosts" in RAW: each host merged by name (checked: one address
 * each, no address or service/container on two hosts, every owner of a
 * link or command placed, --host-id one of them), and each of the
 * enriched BRIDGES given "hosts" (those its members run on) and, when it
 * spans two or more, "mesh" (vxlan or geneve), "vni" (given, else derived
 * from its name) and "mtu" (its members' default: the smallest underlay
 * MTU of its hosts less the encapsulation). Returns the hosts object for
 * netcfg_hosts_place, NULL when RAW has none (or after errors). */
json_t *netcfg_hosts_plan(struct netcfg_ctx *c, json_t *raw, json_t *bridges);
/* Put HOSTS (taken over) in OUT and "host" on its containers and services. */
void netcfg_hosts_place(json_t *out, json_t *hosts);

#endif
