/* conlink.h - the daemon applet's options, shared by netcfg and daemon. */
#ifndef CONLINK_CONLINK_H
#define CONLINK_CONLINK_H

#include <stdbool.h>

#include "strlist.h"

struct conlink_opts {
	struct strlist network_files;	/* --network-file / --network-config */
	struct strlist compose_files;	/* --compose-file */
	const char *compose_project;	/* --compose-project */
	const char *default_bridge_mode;	/* --default-bridge-mode / CONLINK_BRIDGE_MODE */
	int default_mtu;		/* --default-mtu, 65535 */
	bool keep_veth_offload;		/* --keep-veth-offload */
	bool show_config;		/* --show-config */
	int verbose;			/* -v count, or VERBOSE */
	const char *docker_socket;	/* --docker-socket */
	const char *podman_socket;	/* --podman-socket */
	bool docker_socket_given, podman_socket_given;
	const char *netns_dir;		/* --netns-dir: named namespaces as containers */
	const char *host_netns;		/* --host-netns: "host" for vlan/vtap links (default PID 1's) */
	const char *external_intf;	/* --external-intf: where forwards arrive */
	bool no_engine;			/* --no-engine: netns source only */
	const char *instance;		/* --instance: the owner mark (never NULL) */
	const char *control;		/* --control: socket path, NULL: none */
	bool control_given;		/* a failure to listen is fatal */
	bool no_heal;			/* --no-heal: report drift, restore nothing */
	const char *metrics;		/* --metrics ADDR:PORT, NULL: none */
	const char *host_id;		/* --host-id / CONLINK_HOST_ID: which of the
					 * config's hosts this is, NULL: none */
};

#endif
