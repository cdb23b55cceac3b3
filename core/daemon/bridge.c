/* bridge.c - the bridges a config names: linux bridges, Open vSwitch
 * switches, and "patch" bridges (two links joined by tc mirred), with the
 * registry that tells each link which mode its bridge has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "link.h"
#include "apply.h"
#include "apply_priv.h"
#include "ifname.h"
#include "netns.h"
#include "ovs.h"
#include "owner.h"
#include "tc.h"

struct bridge {
	char name[IFNAMSIZ];
	char mode[8];
	int ifindex;
	/* patch: the two peers (outer devs) and their namespace */
	char peer[2][IFNAMSIZ];
	int peer_ns[2];
	bool linked;
	struct bridge *next;
};
static struct bridge *bridges;

static struct bridge *bridge_find(const char *name)
{
	for (struct bridge *b = bridges; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

const char *bridge_mode(const char *name)
{
	struct bridge *b = bridge_find(name);

	return b ? b->mode : NULL;
}

int bridge_index(struct nl *nl, const char *name)
{
	struct bridge *b = bridge_find(name);
	struct link_info li;
	int ret;

	if (b && b->ifindex > 0)
		return b->ifindex;
	ret = link_get(nl, name, &li);
	if (ret < 0)
		return err_fail(-ret, "no bridge '%s'", name);
	return li.index;
}

static void bridge_forget(const char *name)
{
	for (struct bridge **pb = &bridges; *pb; pb = &(*pb)->next)
		if (!strcmp((*pb)->name, name)) {
			struct bridge *b = *pb;

			*pb = b->next;
			free(b);
			return;
		}
}

static void undo_bridge(const struct undo_step *s)
{
	struct nl *nl = nsock_nl(s->ns);

	if (!strcmp(s->b, "linux") && nl)
		link_del(nl, s->a);
	else if (!strcmp(s->b, "ovs"))
		ovs_bridge_del(s->a);
	bridge_forget(s->a);
}

int bridge_make(const json_t *cfg, int ns, struct undo **undo)
{
	const char *name = json_string_value(json_object_get(cfg, "bridge"));
	const char *mode = json_string_value(json_object_get(cfg, "mode"));
	struct nl *nl = nsock_nl(ns);
	struct link_info li;
	struct bridge *b;
	int ret;

	*undo = NULL;
	if (!name)
		return err_fail(EINVAL, "bridge needs a 'bridge' name");
	if (ifname_check(name) < 0)
		return err_wrap(-EINVAL, "bridge '%s'", name);
	if (!nl)
		return -errno;
	if (bridge_find(name))
		return err_fail(EEXIST, "bridge %s is already made", name);
	if (strcmp(mode, "linux") && strcmp(mode, "patch") && strcmp(mode, "ovs"))
		return err_fail(EINVAL, "bridge %s: unknown mode '%s'", name, mode);
	/* ours from a previous life: adopted or replaced (owner.c); anyone
	 * else's: refused, as upstream */
	int ovs_own = !strcmp(mode, "ovs") && link_get(nl, name, &li) == 0 &&
		      !strcmp(li.kind, "openvswitch");	/* ovs.c decides: its external id */
	int adopt = strcmp(mode, "patch") && !ovs_own ?
		    owner_bridge_claim(nl, ns, name, mode, &li.index) : 0;

	if (adopt == -EEXIST)
		return err_fail(EEXIST, "Bridge %s already exists", name);
	if (adopt < 0)
		return adopt;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	snprintf(b->name, sizeof(b->name), "%s", name);
	snprintf(b->mode, sizeof(b->mode), "%s", mode);
	if (adopt) {
		b->ifindex = li.index;
		ret = 0;
	} else if (!strcmp(mode, "linux")) {
		struct link_req req = { .name = name, .kind = "bridge", .ns = -1, .up = true,
					.group = nsock_group(ns), .alias = owner_alias() };

		ret = link_add(nl, &req);
		if (ret == 0 && (ret = link_get(nl, name, &li)) == 0)
			b->ifindex = li.index;
	} else if (!strcmp(mode, "ovs")) {
		ret = ovs_ready();
		if (ret == 0)
			ret = ovs_bridge_add(name);
		if (ret == 0)
			ret = link_set(nl, name, 0, NULL, 0, true);
	} else {
		ret = 0;
	}
	if (ret < 0) {
		if (!strcmp(mode, "ovs") && ret != -ENOENT)
			ovs_bridge_del(name);
		free(b);
		return err_wrap(ret, "bridge %s", name);
	}
	b->next = bridges;
	bridges = b;
	undo_push(undo, undo_bridge, ns, name, mode, 0);
	owner_made(undo, ns, name);
	return 0;
}

/* The linux bridge NAME of ours is (was) at IFINDEX. */
bool bridge_linux_at(const char *name, int ifindex)
{
	struct bridge *b = bridge_find(name);

	return b && !strcmp(b->mode, "linux") && b->ifindex == ifindex;
}

/* Our linux bridge NAME was deleted by hand (heal.c): made again as
 * bridge_make made it, in NS; its undo step (by name) stays as it was. */
int bridge_remake(const char *name, int ns)
{
	struct bridge *b = bridge_find(name);
	struct nl *nl = nsock_nl(ns);
	struct link_req req = { .name = name, .kind = "bridge", .ns = -1, .up = true,
				.group = nsock_group(ns), .alias = owner_alias() };
	struct link_info li;
	int ret;

	if (!b || strcmp(b->mode, "linux"))
		return err_fail(ENOENT, "bridge %s: not a linux bridge of ours", name);
	if (!nl)
		return -errno;
	ret = link_add(nl, &req);
	if (ret == 0)
		ret = link_get(nl, name, &li);
	if (ret < 0)
		return err_wrap(ret, "bridge %s", name);
	b->ifindex = li.index;
	return li.index;
}

/* Patch: the two members are joined by mirred filters both ways once the
 * second arrives. */
static int patch_link(struct bridge *b)
{
	struct nl *nl = nsock_nl(b->peer_ns[0]);
	struct link_info l0, l1;
	struct nl_batch batch;
	int ret;

	if (!nl)
		return -errno;
	if ((ret = link_get(nl, b->peer[0], &l0)) < 0 ||
	    (ret = link_get(nl, b->peer[1], &l1)) < 0)
		return ret;
	nl_batch_init(&batch);
	tc_ingress_batch(&batch, l0.index, "cannot add ingress qdisc");
	tc_ingress_batch(&batch, l1.index, "cannot add ingress qdisc");
	tc_mirred_batch(&batch, l0.index, l1.index, "cannot add mirred filter");
	tc_mirred_batch(&batch, l1.index, l0.index, "cannot add mirred filter");
	ret = nl_batch_run(nl, &batch);
	if (ret < 0) {
		nl_batch_init(&batch);
		tc_ingress_del_batch(&batch, l0.index, "");
		tc_ingress_del_batch(&batch, l1.index, "");
		nl_batch_run(nl, &batch);
		return ret;
	}
	b->linked = true;
	return 0;
}

int patch_add(const char *name, int ns, const char *dev)
{
	struct bridge *b = bridge_find(name);
	int i;

	if (!b)
		return err_fail(ENOENT, "no patch bridge '%s'", name);
	/* a config that puts three links on a cable is wrong, not busy:
	 * EMLINK is reported once, never retried (state.c) */
	if (b->peer[0][0] && b->peer[1][0])
		return err_fail(EMLINK, "cannot add third peer link %s to patch bridge %s "
				"(already %s and %s)", dev, name, b->peer[0], b->peer[1]);
	i = b->peer[0][0] ? 1 : 0;
	snprintf(b->peer[i], IFNAMSIZ, "%s", dev);
	b->peer_ns[i] = netns_hold(ns);
	if (!b->peer[!i][0])
		return 0;
	int ret = patch_link(b);

	if (ret < 0) {
		b->peer[i][0] = 0;
		netns_release(b->peer_ns[i]);
	}
	return ret;
}

void patch_undo(const struct undo_step *s)
{
	struct bridge *b = bridge_find(s->b);
	int i;

	if (!b)
		return;
	for (i = 0; i < 2 && strcmp(b->peer[i], s->a); i++)
		;
	if (i == 2)
		return;
	if (b->linked) {
		/* the peer that stays keeps no filter toward a dead end */
		struct nl *nl = nsock_nl(b->peer_ns[!i]);
		struct link_info li;
		struct nl_batch batch;

		if (nl && link_get(nl, b->peer[!i], &li) == 0) {
			nl_batch_init(&batch);
			tc_ingress_del_batch(&batch, li.index, "");
			nl_batch_run(nl, &batch);
		}
		if (nl && link_get(nl, b->peer[i], &li) == 0) {
			nl_batch_init(&batch);
			tc_ingress_del_batch(&batch, li.index, "");
			nl_batch_run(nl, &batch);
		}
		b->linked = false;
	}
	b->peer[i][0] = 0;
	netns_release(b->peer_ns[i]);
}
