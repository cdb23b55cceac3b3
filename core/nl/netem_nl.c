/* netem_nl.c - a netem qdisc's netlink message from struct netem_opts:
 * added, replaced in place, deleted. Distribution tables: normal, pareto
 * and paretonormal built in (netem_dist.c), any other NAME.dist read as
 * tc reads it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "netem.h"

/* The kernel's limit on a table (NETEM_DIST_MAX), as tc's MAX_DIST. */
#define DIST_MAX 16384

struct dist {
	int16_t *data;
	int n;
};

/* Distribution NAME's table (16-bit values): built in, else tc's file
 * NAME.dist. "uniform" is netem's own default: no table. */
static int load_dist(const char *name, struct dist *d)
{
	static const char *const dirs[] = { "/usr/lib/x86_64-linux-gnu/tc", "/usr/lib/tc",
					    "/usr/lib64/tc", "/lib/tc" };
	char path[256], line[512];
	const int16_t *builtin;
	FILE *f = NULL;
	int cap = 0, ret;

	d->data = NULL;
	d->n = 0;
	if (!name[0] || !strcmp(name, "uniform"))
		return 0;
	if ((ret = netem_dist_builtin(name, &builtin, &d->n)) != -ENOENT) {
		if (ret < 0)
			return err_fail(-ret, "netem: distribution table '%s': %s", name,
					strerror(-ret));
		d->data = malloc(d->n * sizeof(*d->data));
		if (!d->data)
			return err_fail(ENOMEM, "netem: out of memory");
		memcpy(d->data, builtin, d->n * sizeof(*d->data));
		return 0;
	}
	for (size_t i = 0; !f && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.dist", dirs[i], name);
		f = fopen(path, "re");
	}
	if (!f)
		return err_fail(ENOENT, "netem: no distribution table '%s.dist'", name);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (*p == '#')
			continue;
		for (long v = strtol(p, &end, 0); end != p; v = strtol(p, &end, 0)) {
			if (d->n == DIST_MAX) {
				fclose(f);
				free(d->data);
				d->data = NULL;
				return err_fail(EFBIG, "netem: distribution table '%s' is too big", path);
			}
			if (d->n == cap) {
				int16_t *nd = realloc(d->data, (cap = cap ? cap * 2 : 4096) * sizeof(*nd));

				if (!nd) {
					fclose(f);
					free(d->data);
					d->data = NULL;
					return -ENOMEM;
				}
				d->data = nd;
			}
			d->data[d->n++] = (int16_t)v;
			p = end;
		}
	}
	fclose(f);
	return 0;
}

static bool put(struct nlmsghdr *nlh, uint16_t type, size_t len, const void *data)
{
	return mnl_attr_put_check(nlh, NL_MSG_MAX, type, len, data);
}

/* Everything after the tc_netem_qopt, each attribute only when set (as tc
 * does), or every one (ALL: a change, where an attribute left out keeps
 * the old qdisc's value). False when it does not fit in a message. */
static bool put_attrs(struct nlmsghdr *nlh, const struct netem_opts *o,
		      const struct dist *delay, const struct dist *slot, bool all)
{
	bool ok = true;

	if (o->latency_ns || all)
		ok &= mnl_attr_put_u64_check(nlh, NL_MSG_MAX, TCA_NETEM_LATENCY64, o->latency_ns);
	if (o->jitter_ns || all)
		ok &= mnl_attr_put_u64_check(nlh, NL_MSG_MAX, TCA_NETEM_JITTER64, o->jitter_ns);
	if (o->delay_corr || o->loss_corr || o->dup_corr || all) {
		struct tc_netem_corr c = { o->delay_corr, o->loss_corr, o->dup_corr };

		ok &= put(nlh, TCA_NETEM_CORR, sizeof(c), &c);
	}
	if (o->reorder || all) {
		struct tc_netem_reorder r = { o->reorder, o->reorder_corr };

		ok &= put(nlh, TCA_NETEM_REORDER, sizeof(r), &r);
	}
	if (o->corrupt || all) {
		struct tc_netem_corrupt c = { o->corrupt, o->corrupt_corr };

		ok &= put(nlh, TCA_NETEM_CORRUPT, sizeof(c), &c);
	}
	if (o->loss_model) {
		struct nlattr *loss = mnl_attr_nest_start_check(nlh, NL_MSG_MAX, TCA_NETEM_LOSS);

		if (!loss)
			return false;
		loss->nla_type |= NLA_F_NESTED;
		if (o->loss_model == NETEM_LOSS_GI)
			ok &= put(nlh, NETEM_LOSS_GI, sizeof(o->gi), &o->gi);
		else
			ok &= put(nlh, NETEM_LOSS_GE, sizeof(o->ge), &o->ge);
		mnl_attr_nest_end(nlh, loss);
	}
	if (o->rate || all) {
		struct tc_netem_rate r = {
			.rate = o->rate >= UINT32_MAX ? UINT32_MAX : o->rate,
			.packet_overhead = o->rate_overhead, .cell_size = o->cell_size,
			.cell_overhead = o->cell_overhead,
		};

		ok &= put(nlh, TCA_NETEM_RATE, sizeof(r), &r);
		if (o->rate >= UINT32_MAX)
			ok &= mnl_attr_put_u64_check(nlh, NL_MSG_MAX, TCA_NETEM_RATE64, o->rate);
	}
	if (o->has_slot || all) {
		struct tc_netem_slot s = {
			.min_delay = o->slot_min, .max_delay = o->slot_max,
			.max_packets = o->slot_packets, .max_bytes = o->slot_bytes,
			.dist_delay = o->slot_dist_delay, .dist_jitter = o->slot_dist_jitter,
		};

		ok &= put(nlh, TCA_NETEM_SLOT, sizeof(s), &s);
	}
	if (o->ecn || all)
		ok &= mnl_attr_put_u32_check(nlh, NL_MSG_MAX, TCA_NETEM_ECN, o->ecn);
	if (delay->n)
		ok &= put(nlh, TCA_NETEM_DELAY_DIST, delay->n * sizeof(int16_t), delay->data);
	if (slot->n)
		ok &= put(nlh, TCA_NETEM_SLOT_DIST, slot->n * sizeof(int16_t), slot->data);
	return ok;
}

/* The qdisc message of O in B: RTM_NEWQDISC with FLAGS, root of IFINDEX,
 * handle HANDLE (0: the kernel's choice); ALL: every attribute (see
 * put_attrs). */
static int netem_msg(struct nl_batch *b, int ifindex, const struct netem_opts *o,
		     uint16_t flags, uint32_t handle, bool all, const char *what)
{
	struct dist delay, slot = { 0 };
	int ret;

	if ((ret = load_dist(o->dist, &delay)) < 0 ||
	    (ret = load_dist(o->slot_dist, &slot)) < 0) {
		free(delay.data);
		return ret;
	}
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_NEWQDISC, flags | NLM_F_ACK, what);

	if (!nlh) {
		ret = err_fail(ENOMEM, "netem: out of memory");
		goto out;
	}
	struct tcmsg *t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = TC_H_ROOT;
	t->tcm_handle = handle;
	mnl_attr_put_strz(nlh, TCA_KIND, "netem");
	/* TCA_OPTIONS of netem is a struct tc_netem_qopt followed by
	 * attributes, all inside the one attribute (tc builds it so). */
	struct nlattr *opts = mnl_nlmsg_get_payload_tail(nlh);
	struct tc_netem_qopt q = {
		.limit = o->limit, .loss = o->loss, .gap = o->gap,
		.duplicate = o->duplicate,
	};

	if (!put(nlh, TCA_OPTIONS, sizeof(q), &q) || !put_attrs(nlh, o, &delay, &slot, all))
		nl_batch_overflow(b);
	else
		opts->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)opts;
out:
	free(delay.data);
	free(slot.data);
	return ret;
}

int netem_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
		const char *what)
{
	return netem_msg(b, ifindex, o, NLM_F_CREATE | NLM_F_EXCL, 0, false, what);
}

int netem_replace_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
			uint32_t new_handle, const char *what)
{
	/* CREATE|REPLACE on a root netem is the kernel's qdisc_change(); with
	 * a handle no qdisc has, it makes a new one and grafts it at the root
	 * in one step (EXCL would not: newer kernels take it as a change
	 * refused, "File exists") */
	return netem_msg(b, ifindex, o, NLM_F_CREATE | NLM_F_REPLACE, new_handle, true, what);
}

void netem_del_batch(struct nl_batch *b, int ifindex, const char *what)
{
	struct nlmsghdr *nlh = nl_batch_add(b, RTM_DELQDISC, NLM_F_ACK, what);
	struct tcmsg *t;

	if (!nlh)
		return;
	t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;
	t->tcm_parent = TC_H_ROOT;
}

struct root_ctx {
	int ifindex;
	uint32_t handle;
	bool netem;
};

static int root_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *t = mnl_nlmsg_get_payload(nlh);
	struct root_ctx *c = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWQDISC || t->tcm_ifindex != c->ifindex ||
	    t->tcm_parent != TC_H_ROOT)
		return MNL_CB_OK;
	c->handle = t->tcm_handle;
	mnl_attr_for_each(a, nlh, sizeof(*t))
		if (mnl_attr_get_type(a) == TCA_KIND &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			c->netem = !strcmp(mnl_attr_get_str(a), "netem");
	return MNL_CB_OK;
}

int netem_root(struct nl *nl, int ifindex, uint32_t *handle, bool *netem)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETQDISC, 0);
	struct tcmsg *t = mnl_nlmsg_put_extra_header(nlh, sizeof(*t));
	struct root_ctx c = { ifindex, 0, false };
	int ret;

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = ifindex;	/* a filter since Linux 5.x; checked anyway */
	ret = nl_dump(nl, nlh, root_cb, &c, "cannot list qdiscs");
	if (handle)
		*handle = c.handle;
	if (netem)
		*netem = ret == 0 && c.netem;
	return ret;
}
