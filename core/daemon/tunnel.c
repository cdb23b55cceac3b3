/* tunnel.c - geneve and vxlan tunnels, attached to their bridge. Besides
 * the config's keys, the mesh (mesh.c) gives "dev" (its own name), "mtu"
 * and "local" (the underlay source address). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "addr.h"
#include "err.h"
#include "link.h"
#include "linkname.h"
#include "apply.h"
#include "apply_priv.h"
#include "netcfg.h"
#include "netem.h"
#include "ovs.h"
#include "owner.h"

static void undo_tunnel(const struct undo_step *s)
{
	struct nl *nl = nsock_nl(s->ns);

	if (nl)
		link_del(nl, s->a);
}

int tunnel_make(const json_t *t, int ns, struct undo **undo)
{
	const char *type = json_string_value(json_object_get(t, "type"));
	const json_t *br = json_object_get(t, "bridge");
	const char *bridge = json_is_object(br) ? json_string_value(json_object_get(br, "bridge"))
						: json_string_value(br);
	const struct link_kind *k = type ? link_kind_find(type) : NULL;
	struct nl *nl = nsock_nl(ns);
	struct netem_opts netem;
	const json_t *nv = json_object_get(t, "netem");
	char name[IFNAMSIZ + 8];
	int ret, master = 0;

	*undo = NULL;
	struct link_req req = { .ns = -1, .up = true, .group = nsock_group(ns),
				.alias = owner_alias() };

	if (!k || k->role != LINK_ROLE_TUNNEL)
		return err_fail(EINVAL, "tunnel: unknown type '%s'", type ? type : "");
	if ((ret = link_req_opts(k, t, &req)) < 0)
		return err_wrap(ret, "%s tunnel", type);
	const char *dev = json_string_value(json_object_get(t, "dev"));
	const char *local = json_string_value(json_object_get(t, "local"));

	req.mtu = json_integer_value(json_object_get(t, "mtu"));
	if (local && addr_parse(local, &req.local) < 0)
		return err_wrap(-EINVAL, "%s tunnel 'local'", type);
	if (dev)
		snprintf(name, sizeof(name), "%s", dev);
	else if (linkname_tunnel(name, k->name, req.vni) < 0)
		return err_fail(EINVAL, "%s tunnel vni %lu: its name is too long", k->name,
				(unsigned long)req.vni);
	if (nv && !json_is_null(nv)) {
		/* a string or a list of strings, as a link's */
		const char *parts[NETCFG_LIST_MAX];
		size_t i, n = json_is_string(nv) ? 1 : json_array_size(nv);
		const json_t *e;

		if ((!json_is_string(nv) && !json_is_array(nv)) || n > NETCFG_LIST_MAX)
			return err_fail(EINVAL, "%s: 'netem' must be a string or a list of strings",
					name);
		for (i = 0; i < n; i++) {
			e = json_is_string(nv) ? nv : json_array_get(nv, i);
			if (!json_is_string(e))
				return err_fail(EINVAL, "%s: 'netem' must be a string or a list "
						"of strings", name);
			parts[i] = json_string_value(e);
		}
		if ((ret = netem_parse_list(parts, n, &netem)) < 0)
			return err_wrap(ret, "%s: netem '%s%s'", name, n ? parts[0] : "",
					n > 1 ? " ..." : "");
	}
	if (!nl)
		return -errno;
	const char *mode = bridge ? bridge_mode(bridge) : NULL;

	if (bridge && mode && !strcmp(mode, "linux") &&
	    (master = bridge_index(nl, bridge)) < 0)
		return err_wrap(master, "%s", name);
	req.name = name;
	req.kind = k->name;
	req.master = master;
	ret = link_add(nl, &req);
	if (ret < 0)
		return err_wrap(ret, "%s", name);
	undo_push(undo, undo_tunnel, ns, name, NULL, 0);
	owner_made(undo, ns, name);
	if (mode && !strcmp(mode, "ovs"))
		ret = ovs_port_add(bridge, name);
	else if (mode && !strcmp(mode, "patch") && (ret = patch_add(bridge, ns, name)) == 0)
		undo_push(undo, patch_undo, ns, name, bridge, 0);
	if (ret == 0 && nv && !json_is_null(nv)) {
		struct link_info li;
		struct nl_batch b;

		if ((ret = link_get(nl, name, &li)) == 0) {
			nl_batch_init(&b);
			ret = netem_batch(&b, li.index, &netem, "cannot add netem qdisc");
			if (ret == 0)
				ret = nl_batch_run(nl, &b);
			else
				nl_batch_free(&b);
		}
	}
	if (ret < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", err_msg());
		undo_run(*undo);
		*undo = NULL;
		return err_fail(-ret, "%s: %s", name, msg);
	}
	return 0;
}
