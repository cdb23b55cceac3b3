/* cni_priv.h - what the CNI plugin's files (cni_plugin, cni_result,
 * cni_delegate) share; not for other modules. */
#ifndef CONLINK_CNI_PRIV_H
#define CONLINK_CNI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* ---- results (cni_result.c) ---- */

/* A result of any version (0.3.0 .. 1.1.0: an IPAM answer, a prevResult)
 * in the plugin's version-free form: interfaces, ips (no "version"),
 * routes, dns. New reference. */
json_t *cni_result_read(const json_t *any);

/* R (version-free) as a result of VERSION: the fields that version has,
 * ips with "version" before 1.0.0. New reference. */
json_t *cni_result_write(const json_t *r, const char *version);

/* Put PREV's entries (a previous plugin's result, any version) before
 * R's, R's interface indexes moved past PREV's interfaces. */
void cni_result_append(json_t *r, const json_t *prev);

/* ---- delegated plugins (cni_delegate.c) ---- */

/* The executable TYPE in CNI_PATH (':'-separated) into OUT. 0 or -ENOENT. */
int cni_delegate_find(const char *type, const char *cni_path, char *out, size_t size);

/* Run plugin TYPE for VERB with CONF on stdin and our environment
 * (CNI_COMMAND=VERB). 0 and *RESULT (its JSON output, NULL when it wrote
 * nothing), or its error's code (CNI_ERR_IO when it gave none) with
 * err_msg() carrying its msg and details. */
int cni_delegate(const char *type, const char *verb, const char *cni_path,
		 const char *conf, size_t conf_len, json_t **result);

/* Does plugin TYPE list VERSION in its VERSION answer? */
bool cni_delegate_speaks(const char *type, const char *cni_path, const char *version);

#endif
