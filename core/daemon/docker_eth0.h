/* docker_eth0.h - conlink running in a container with a docker network
 * eth0: that interface becomes DOCKER-ETH0 (addresses and routes kept), the
 * interface port forwards arrive on; upstream's rename-docker-eth0.
 *
 * The daemon calls docker_eth0_setup() with its config before any bridge
 * or link is made, and docker_eth0_restore() at exit.
 */
#ifndef CONLINK_DOCKER_ETH0_H
#define CONLINK_DOCKER_ETH0_H

#include <stdbool.h>
#include <jansson.h>

#define DOCKER_ETH0 "DOCKER-ETH0"

/* All of it, for the daemon, once, with conlink's enriched config CFG:
 * docker_eth0_prepare (in a container when docker_own_container_id finds
 * one), docker_eth0_check_forwards, then upstream's enrich step: each link
 * with forward gets a route "ADDR/32" to the first IPv4 address of
 * EXTERNAL_INTF (DOCKER-ETH0 by default; forwarded connections are
 * masqueraded to it, and the container must answer it). On failure eth0 is
 * named back. 0, or -errno with err_msg(). */
int docker_eth0_setup(json_t *cfg, const char *external_intf);

/* Our own container id (allocated), as upstream finds it: the engine
 * bind-mounts .../containers/ID/... on /etc/hosts. NULL when conlink does
 * not run in a container. */
char *docker_own_container_id(void);

/* Rename DOCKER-ETH0 back to eth0 (routes kept) when docker_eth0_prepare
 * renamed it: at daemon exit the namespace is left as it was found. */
void docker_eth0_restore(void);

#endif
