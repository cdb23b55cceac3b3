/* mesh.h - many hosts, one config: this host's share of the plan and its
 * tunnel mesh.
 *
 * Every host loads the same files and gets the same enriched config
 * (core/config/hosts.c: "hosts", each bridge's "hosts", "mesh", "vni",
 * "mtu"); --host-id says which host this one is. This host links only the
 * containers and services placed on it (mesh_local_config) and joins each
 * of its bridges that spans other hosts to exactly those hosts:
 *   vxlan (the default): one vxlan device per bridge, VNI the bridge's,
 *     local the host's address, with one all-zero FDB entry per remote
 *     host sharing the bridge (head-end replication). A frame that came
 *     in over the tunnel is never sent back into it (the bridge does not
 *     send a frame out of the port it came in on), so the full mesh has
 *     no loop;
 *   geneve: one geneve device per remote host sharing the bridge, each an
 *     isolated bridge port (an isolated port never forwards to another
 *     isolated one: no frame crosses two tunnels).
 * A bridge's tunnels exist while it has at least one local member link
 * made (mesh_member counts them, the state table calls it): made with the
 * first, removed once the last went (on the next turn of the loop, so a
 * link healed or a container restarting does not flap them). They carry
 * the owner mark and group of everything else conlink makes. heal.c
 * watches them: one deleted or taken off its bridge by hand is made again
 * whole (unless --no-heal).
 */
#ifndef CONLINK_MESH_H
#define CONLINK_MESH_H

#include <jansson.h>

/* The part of CFG (enriched, with "hosts") that HOST runs: its containers
 * and services, the bridges its members use (or tunnels name), tunnels
 * and hosts as they are. A new reference, NULL when HOST is not one of
 * the config's hosts (err_msg() says so). */
json_t *mesh_local_config(const json_t *cfg, const char *host);

/* Learn the mesh of HOST from CFG (its local config): its bridges that
 * span other hosts, with their remotes. Tunnels are made in SELF_NS.
 * 0, or -errno with err_msg(). */
int mesh_start(const json_t *cfg, const char *host, int self_ns);

/* A member link of BRIDGE was made (DELTA 1) or went (-1), or is about to
 * be made (0: the tunnels are made first, so the member's first frames,
 * its ARP requests, already find the other hosts; without a member made
 * by the next turn of the loop they go again). No-op for a bridge without
 * a mesh, or before mesh_start. */
void mesh_member(const char *bridge, int delta);

/* The mesh's tunnel devices for status: [{name, host (this one), bridge,
 * kind, vni, hosts: [{host, address}], made, exists, up, carrier, mtu,
 * attached, stats, drift, heals, state}]; state: up, down, not-made,
 * missing, detached, or the drift (deleted, detached, down). A new
 * reference (an empty array without a mesh). */
json_t *mesh_status(void);

/* This host's --host-id once mesh_start ran, else NULL. */
const char *mesh_host(void);

/* Times a mesh tunnel was made again after a change by hand. */
long mesh_heals(void);

/* Remove every tunnel the mesh made, forget the plan. */
void mesh_stop(void);

#endif
