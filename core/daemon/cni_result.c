/* cni_result.c - CNI results in every version this plugin speaks: one
 * version-free form inside (interfaces, ips without "version", routes,
 * dns), read from any version (an IPAM plugin's answer, a prevResult) and
 * written in the version the runtime asked for. */
#include <stdlib.h>
#include <string.h>

#include "cni_config.h"
#include "cni_plugin.h"
#include "cni_priv.h"

/* Copy of OBJ with only the keys of KEYS (NULL-terminated) that it has. */
static json_t *pick(const json_t *obj, const char *const *keys)
{
	json_t *out = json_object(), *v;

	for (int i = 0; keys[i]; i++)
		if ((v = json_object_get(obj, keys[i])) && !json_is_null(v))
			json_object_set(out, keys[i], v);
	return out;
}

/* Each object of the list KEY of IN, through pick(KEYS), into OUT[KEY]. */
static void pick_list(json_t *out, const json_t *in, const char *key, const char *const *keys)
{
	json_t *list = json_array(), *e;
	size_t i;

	json_array_foreach(json_object_get(in, key), i, e)
		if (json_is_object(e))
			json_array_append_new(list, pick(e, keys));
	json_object_set_new(out, key, list);
}

static const char *const if_keys_11[] = {"name", "mac", "mtu", "sandbox", "socketPath",
					 "pciID", NULL};
static const char *const if_keys[] = {"name", "mac", "sandbox", NULL};
static const char *const ip_keys[] = {"address", "gateway", "interface", NULL};
static const char *const route_keys_11[] = {"dst", "gw", "mtu", "advmss", "priority",
					    "table", "scope", NULL};
static const char *const route_keys[] = {"dst", "gw", NULL};

json_t *cni_result_read(const json_t *any)
{
	json_t *out = json_object(), *dns = json_object_get(any, "dns");

	/* the richest (1.1.0) form; writing an older version drops the rest */
	pick_list(out, any, "interfaces", if_keys_11);
	pick_list(out, any, "ips", ip_keys);
	pick_list(out, any, "routes", route_keys_11);
	if (json_is_object(dns) && json_object_size(dns))
		json_object_set(out, "dns", dns);
	return out;
}

json_t *cni_result_write(const json_t *r, const char *version)
{
	bool v11 = cni_version_cmp(version, "1.1.0") >= 0;
	bool v1 = cni_version_cmp(version, "1.0.0") >= 0;
	json_t *out = json_pack("{s:s}", "cniVersion", version), *e;
	size_t i;

	pick_list(out, r, "interfaces", v11 ? if_keys_11 : if_keys);
	pick_list(out, r, "ips", ip_keys);
	/* before 1.0.0 every ip said its family */
	if (!v1)
		json_array_foreach(json_object_get(out, "ips"), i, e) {
			const char *a = json_string_value(json_object_get(e, "address"));

			json_object_set_new(e, "version", json_string(a && strchr(a, ':') ? "6" : "4"));
		}
	pick_list(out, r, "routes", v11 ? route_keys_11 : route_keys);
	json_object_set_new(out, "dns", json_is_object(json_object_get(r, "dns")) ?
			    json_deep_copy(json_object_get(r, "dns")) : json_object());
	return out;
}

void cni_result_append(json_t *r, const json_t *prev)
{
	size_t shift = json_array_size(json_object_get(prev, "interfaces")), i;
	json_t *p = cni_result_read(prev), *e;

	/* ours follow the previous plugins' entries: our ips' interface
	 * indexes move by the number of interfaces before ours */
	json_array_foreach(json_object_get(r, "ips"), i, e) {
		json_t *idx = json_object_get(e, "interface");

		if (json_is_integer(idx))
			json_object_set_new(e, "interface",
					    json_integer(json_integer_value(idx) + shift));
	}
	json_array_extend(json_object_get(p, "interfaces"), json_object_get(r, "interfaces"));
	json_array_extend(json_object_get(p, "ips"), json_object_get(r, "ips"));
	json_array_extend(json_object_get(p, "routes"), json_object_get(r, "routes"));
	json_object_set(r, "interfaces", json_object_get(p, "interfaces"));
	json_object_set(r, "ips", json_object_get(p, "ips"));
	json_object_set(r, "routes", json_object_get(p, "routes"));
	if (!json_object_get(r, "dns") && json_object_get(p, "dns"))
		json_object_set(r, "dns", json_object_get(p, "dns"));
	json_decref(p);
}

json_t *cni_error_json(const char *version, int code, const char *msg, const char *details)
{
	json_t *e = json_pack("{s:s, s:i, s:s}", "cniVersion",
			      version && cni_version_supported(version) ? version : "1.1.0",
			      "code", code, "msg", msg && *msg ? msg : "failed");

	if (details && *details)
		json_object_set_new(e, "details", json_string(details));
	return e;
}
