/* netcfg.h - the network config: load, merge, interpolate, validate, enrich.
 *
 * The result is upstream's --show-config shape:
 *   {"bridges":    {NAME: {"bridge": NAME, "mode": "linux"|"patch"|"ovs", ...}},
 *    "tunnels":    [{"type","bridge","remote","vni",...}],
 *    "containers": {NAME: {"links": [LINK...], "commands": [CMD...]}},
 *    "services":   {NAME: {"links": [LINK...], "commands": [CMD...]}}}
 * with every LINK enriched (type, dev, base, bridge object, mtu, mac, lists).
 */
#ifndef CONLINK_NETCFG_H
#define CONLINK_NETCFG_H

#include <stdio.h>
#include <jansson.h>

#include "conlink.h"

/* At most this many strings in a link's ip, route, netem, ethtool or
 * forward list: the loader refuses more, the link path holds this many. */
#define NETCFG_LIST_MAX 16

/* Load every file the options name into one enriched config. On failure
 * every problem has been printed on stderr (file:line:col, path, what was
 * expected) and -1 is returned; *cfg is untouched. */
int netcfg_load(const struct conlink_opts *opts, json_t **cfg);

/* Print the config as --show-config does. 0 or -errno. */
int netcfg_print(const json_t *cfg, FILE *out);

/* The name of a bridge's mesh tunnel device (the mesh plan, hosts.c): one
 * "vxlan-VNI" for every remote host, or per remote "gnvVNI-PEER", PEER the
 * remote's place among the bridge's hosts. The daemon makes it, net2dot
 * draws and finds it by this name. */
void netcfg_mesh_dev(const char *kind, long long vni, size_t peer, char dev[16]);

#endif
