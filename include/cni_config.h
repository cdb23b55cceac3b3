/* cni_config.h - the conlink CNI plugin's network config (the JSON a
 * runtime writes on the plugin's stdin): the CNI keys, and one link in
 * conlink's own vocabulary, validated and enriched by the loader's rules
 * (validate.c, values.c, enrich.c: one grammar, one parser).
 *
 *   {"cniVersion": "1.1.0", "name": "lab", "type": "conlink",
 *    "namespace": "/run/netns/lab",            (optional: where bridges and
 *                                               outer ends live; the host's)
 *    "link": {"bridge": "s1", "mtu": 1500, "route": "...", "netem": "...",
 *             "ethtool": "...", "type": "veth"|"macvlan"|..., "mac": "...",
 *             "outer-dev": PARENT (macvlan, ipvlan, vlan), "mode", "vlanid"},
 *    "bridges": [{"bridge": "s1", "mode": "linux"}],
 *    "ipam": {"type": "host-local", ...}}
 *
 * The link's "dev" is CNI_IFNAME and its owner the container id; "ip"
 * comes from IPAM or runtimeConfig.ips, never from the config.
 */
#ifndef CONLINK_CNI_CONFIG_H
#define CONLINK_CNI_CONFIG_H

#include <stddef.h>
#include <jansson.h>

/* The CNI spec's well-known error codes this plugin returns. */
enum cni_code {
	CNI_ERR_VERSION = 1,		/* incompatible CNI version */
	CNI_ERR_FIELD = 2,		/* unsupported field in the network config */
	CNI_ERR_CONTAINER = 3,		/* container unknown or does not exist */
	CNI_ERR_ENV = 4,		/* invalid necessary environment variables */
	CNI_ERR_IO = 5,			/* I/O failure */
	CNI_ERR_DECODE = 6,		/* failed to decode content */
	CNI_ERR_CONFIG = 7,		/* invalid network config */
	CNI_ERR_AGAIN = 11,		/* try again later */
	CNI_ERR_UNAVAILABLE = 50,	/* STATUS: cannot service ADD */
	CNI_ERR_LINK = 100,		/* plugin's own: the kernel refused a step */
	CNI_ERR_CHECK = 101,		/* plugin's own: CHECK found a difference */
};

struct cni_config {
	json_t *doc;		/* the whole document (owned) */
	const char *version;	/* "cniVersion" */
	const char *name;	/* the network's "name" */
	const char *netns;	/* "namespace", NULL: the plugin's own */
	json_t *link;		/* the enriched link (owned); "dev" is IFNAME */
	json_t *bridge;		/* the link's enriched bridge ({"bridge","mode"}), or NULL */
	json_t *ipam;		/* "ipam" (an object with a "type"), or NULL */
	json_t *prev_result;	/* "prevResult", or NULL */
	json_t *runtime;	/* "runtimeConfig", or NULL */
};

/* The versions this plugin speaks, oldest first, NULL-terminated. */
extern const char *const cni_versions[];

/* Is VERSION one of cni_versions? Compare A and B as versions (<0, 0, >0). */
int cni_version_supported(const char *version);
int cni_version_cmp(const char *a, const char *b);

/* Parse and check the config in BUF (named NAME in messages: "stdin")
 * for container CID, interface IFNAME. 0, or a cni_code after every
 * problem was reported with error_msg ("stdin:LINE:COL: link.mtu: ...").
 * On 0 *CF holds the result (cni_config_free). */
int cni_config_load(const char *name, const char *buf, size_t len, const char *cid,
		    const char *ifname, struct cni_config *cf);

void cni_config_free(struct cni_config *cf);

#endif
