/* cni_plugin.h - conlink as a CNI plugin (the spec's ADD, DEL, CHECK,
 * STATUS, GC and VERSION), for the cni applet.
 *
 * A runtime execs the plugin once per command with CNI_* in the
 * environment and the network config (cni_config.h) on stdin. ADD makes
 * the link with core/daemon's apply path (one link, as the daemon makes
 * it): the bridge when it is missing, the veth born in the container's
 * namespace under CNI_IFNAME, addresses from the IPAM plugin the config
 * names (exec'd from CNI_PATH) or runtimeConfig.ips.
 *
 * The attachment record is kept by the kernel, nothing on disk: the outer
 * veth of (network, container id, ifname) is named "cni" + 12 hex digits
 * of a hash of the three, and every interface the network makes (bridge,
 * outer end, container end) carries the owner mark "conlink:cni:NETWORK"
 * (an interface alias, core/daemon/owner.c). DEL and GC find an
 * attachment by its name and delete it only with that mark; a bridge
 * with the mark goes with its last port. Commands that change a
 * namespace hold one lock (flock /run/conlink/cni.lock).
 */
#ifndef CONLINK_CNI_PLUGIN_H
#define CONLINK_CNI_PLUGIN_H

#include <stddef.h>
#include <jansson.h>

struct cni_request {
	const char *command;		/* CNI_COMMAND */
	const char *containerid;	/* CNI_CONTAINERID */
	const char *netns;		/* CNI_NETNS */
	const char *ifname;		/* CNI_IFNAME */
	const char *path;		/* CNI_PATH */
	const char *conf;		/* stdin */
	size_t conf_len;
};

/* Run RQ. 0 with *OUT the JSON to print (NULL: print nothing), or a CNI
 * error code (cni_config.h) with err_msg() saying why; config problems
 * were reported with error_msg() (file:line:col) and *VERSION is the
 * version to answer in (the config's when it had a supported one). */
int cni_run(const struct cni_request *rq, json_t **out, const char **version);

/* The spec's error object ({"cniVersion", "code", "msg", "details"}),
 * in VERSION when supported, else 1.1.0. New reference. */
json_t *cni_error_json(const char *version, int code, const char *msg, const char *details);

#endif
