/* netem.c - tc netem's option grammar into TCA_OPTIONS of a netem qdisc. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "err.h"
#include "netem.h"
#include "tc.h"

/* "10ms", "1.5s", "100us", "200ns"; a bare number is microseconds (tc). */
static int parse_time(const char *w, int64_t *ns)
{
	char *end;
	double v = strtod(w, &end);

	if (end == w || v < 0)
		return -1;
	if (!*end || !strcasecmp(end, "us") || !strcasecmp(end, "usec"))
		v *= 1e3;
	else if (!strcasecmp(end, "ms") || !strcasecmp(end, "msec"))
		v *= 1e6;
	else if (!strcasecmp(end, "s") || !strcasecmp(end, "sec") || !strcasecmp(end, "secs"))
		v *= 1e9;
	else if (strcasecmp(end, "ns") && strcasecmp(end, "nsec"))
		return -1;
	*ns = (int64_t)v;
	return 0;
}

/* "5%" or "0.05" -> fraction of UINT32_MAX, as tc's get_percent. */
static int parse_percent(const char *w, uint32_t *out)
{
	char *end;
	double v = strtod(w, &end);

	if (end == w)
		return -1;
	if (*end == '%' && !end[1])
		v /= 100.0;
	else if (*end)
		return -1;
	if (v < 0 || v > 1)
		return -1;
	*out = (uint32_t)rint(v * UINT32_MAX);
	return 0;
}

/* tc rate units: bit, kbit, mbit, gbit, tbit, bps (bytes), kbps, ...;
 * kibit etc. in powers of 1024. Result in bytes per second. */
static int parse_rate(const char *w, uint64_t *bps)
{
	static const struct { const char *u; double mult; } units[] = {
		{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
		{ "tbit", 1e12 }, { "kibit", 1024. }, { "mibit", 1048576. },
		{ "gibit", 1073741824. }, { "bps", 8 }, { "kbps", 8e3 },
		{ "mbps", 8e6 }, { "gbps", 8e9 }, { "kibps", 8192. },
		{ "mibps", 8388608. }, { "gibps", 8589934592. },
	};
	char *end;
	double v = strtod(w, &end);

	if (end == w || v < 0)
		return -1;
	if (!*end) {
		*bps = (uint64_t)(v / 8);
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(end, units[i].u)) {
			*bps = (uint64_t)(v * units[i].mult / 8);
			return 0;
		}
	return -1;
}

static int parse_u32(const char *w, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(w, &end, 10);

	if (!*w || *end || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

static int parse_s32(const char *w, int32_t *out)
{
	char *end;
	long v = strtol(w, &end, 10);

	if (!*w || *end || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Is W a number (the optional arguments that may follow an option)? */
static int numeric(const char *w)
{
	return w && ((*w >= '0' && *w <= '9') || *w == '.');
}

#define BAD(word) do { ret = err_fail(EINVAL, "netem '%s': bad value for '%s'", text, word); goto out; } while (0)

int netem_parse(const char *text, struct netem_opts *o)
{
	char *copy = strdup(text), *w[128];
	int n = 0, i, ret = 0;

	memset(o, 0, sizeof(*o));
	o->limit = 1000;
	if (!copy)
		return -ENOMEM;
	for (char *save = NULL, *t = strtok_r(copy, " \t", &save); t && n < 127;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	w[n] = NULL;
	for (i = 0; i < n; i++) {
		const char *opt = w[i];

		if (!strcmp(opt, "limit")) {
			if (!w[i + 1] || parse_u32(w[++i], &o->limit) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "delay") || !strcmp(opt, "latency")) {
			if (!w[i + 1] || parse_time(w[++i], &o->latency_ns) < 0)
				BAD(opt);
			if (numeric(w[i + 1])) {
				if (parse_time(w[++i], &o->jitter_ns) < 0)
					BAD(opt);
				if (numeric(w[i + 1]) && parse_percent(w[++i], &o->delay_corr) < 0)
					BAD(opt);
			}
		} else if (!strcmp(opt, "distribution")) {
			if (!w[i + 1] || strlen(w[i + 1]) >= sizeof(o->dist) ||
			    strchr(w[i + 1], '/'))
				BAD(opt);
			strcpy(o->dist, w[++i]);
		} else if (!strcmp(opt, "loss") || !strcmp(opt, "drop")) {
			if (w[i + 1] && !strcmp(w[i + 1], "random"))
				i++;
			if (w[i + 1] && (!strcmp(w[i + 1], "state") || !strcmp(w[i + 1], "gemodel"))) {
				ret = err_fail(EINVAL, "netem '%s': loss model '%s' is not supported",
					       text, w[i + 1]);
				goto out;
			}
			if (!w[i + 1] || parse_percent(w[++i], &o->loss) < 0)
				BAD(opt);
			if (numeric(w[i + 1]) && parse_percent(w[++i], &o->loss_corr) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "duplicate")) {
			if (!w[i + 1] || parse_percent(w[++i], &o->duplicate) < 0)
				BAD(opt);
			if (numeric(w[i + 1]) && parse_percent(w[++i], &o->dup_corr) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "corrupt")) {
			if (!w[i + 1] || parse_percent(w[++i], &o->corrupt) < 0)
				BAD(opt);
			if (numeric(w[i + 1]) && parse_percent(w[++i], &o->corrupt_corr) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "reorder")) {
			if (!w[i + 1] || parse_percent(w[++i], &o->reorder) < 0)
				BAD(opt);
			if (numeric(w[i + 1]) && parse_percent(w[++i], &o->reorder_corr) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "gap")) {
			if (!w[i + 1] || parse_u32(w[++i], &o->gap) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "rate")) {
			if (!w[i + 1] || parse_rate(w[++i], &o->rate) < 0 || !o->rate)
				BAD(opt);
			if (w[i + 1] && (numeric(w[i + 1]) || *w[i + 1] == '-') &&
			    parse_s32(w[++i], &o->rate_overhead) < 0)
				BAD(opt);
			if (numeric(w[i + 1]) && parse_u32(w[++i], &o->cell_size) < 0)
				BAD(opt);
			if (w[i + 1] && (numeric(w[i + 1]) || *w[i + 1] == '-') &&
			    parse_s32(w[++i], &o->cell_overhead) < 0)
				BAD(opt);
		} else if (!strcmp(opt, "slot")) {
			if (!w[i + 1] || parse_time(w[++i], &o->slot_min) < 0)
				BAD(opt);
			o->slot_max = o->slot_min;
			if (numeric(w[i + 1]) && parse_time(w[++i], &o->slot_max) < 0)
				BAD(opt);
			while (w[i + 1] && (!strcmp(w[i + 1], "packets") || !strcmp(w[i + 1], "bytes"))) {
				int32_t *dst = !strcmp(w[++i], "packets") ? &o->slot_packets : &o->slot_bytes;

				if (!w[i + 1] || parse_s32(w[++i], dst) < 0)
					BAD("slot");
			}
			if (o->slot_max < o->slot_min)
				BAD("slot");
		} else if (!strcmp(opt, "ecn")) {
			o->ecn = 1;
		} else {
			ret = err_fail(EINVAL, "netem '%s': unknown option '%s'", text, opt);
			goto out;
		}
	}
	if (o->reorder && !o->latency_ns) {
		ret = err_fail(EINVAL, "netem '%s': reorder needs a delay", text);
		goto out;
	}
	if (o->gap && !o->reorder)
		o->reorder = UINT32_MAX;	/* tc: gap alone means reorder 100% */
	if (o->dist[0] && !o->jitter_ns) {
		ret = err_fail(EINVAL, "netem '%s': distribution needs a jitter", text);
		goto out;
	}
out:
	free(copy);
	return ret;
}

/* Read tc's distribution table NAME.dist (16-bit values) as tc does. */
static int load_dist(const char *name, int16_t **data, int *n)
{
	static const char *const dirs[] = { "/usr/lib/x86_64-linux-gnu/tc", "/usr/lib/tc",
					    "/usr/lib64/tc", "/lib/tc" };
	char path[256], line[512];
	FILE *f = NULL;
	int cap = 0;

	for (size_t i = 0; !f && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.dist", dirs[i], name);
		f = fopen(path, "re");
	}
	if (!f)
		return err_fail(ENOENT, "netem: no distribution table '%s.dist'", name);
	*data = NULL;
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (*p == '#')
			continue;
		for (long v = strtol(p, &end, 0); end != p; v = strtol(p, &end, 0)) {
			if (*n == cap) {
				int16_t *d = realloc(*data, (cap = cap ? cap * 2 : 4096) * sizeof(*d));

				if (!d) {
					fclose(f);
					free(*data);
					return -ENOMEM;
				}
				*data = d;
			}
			(*data)[(*n)++] = (int16_t)v;
			p = end;
		}
	}
	fclose(f);
	return 0;
}

int netem_batch(struct nl_batch *b, int ifindex, const struct netem_opts *o,
		const char *what)
{
	int16_t *dist = NULL;
	int ndist = 0, ret;

	if (o->dist[0] && strcmp(o->dist, "uniform") &&
	    (ret = load_dist(o->dist, &dist, &ndist)) < 0)
		return ret;
	struct nlmsghdr *nlh = tc_root_qdisc_batch(b, ifindex, "netem", what);

	if (!nlh) {
		free(dist);
		return err_fail(ENOMEM, "netem: out of memory");
	}
	/* TCA_OPTIONS of netem is a struct tc_netem_qopt followed by
	 * attributes, all inside the one attribute (tc builds it so). */
	struct nlattr *opts = mnl_nlmsg_get_payload_tail(nlh);
	struct tc_netem_qopt q = {
		.limit = o->limit, .loss = o->loss, .gap = o->gap,
		.duplicate = o->duplicate,
	};

	mnl_attr_put(nlh, TCA_OPTIONS, sizeof(q), &q);
	if (o->latency_ns)
		mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, o->latency_ns);
	if (o->jitter_ns)
		mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, o->jitter_ns);
	if (o->delay_corr || o->loss_corr || o->dup_corr) {
		struct tc_netem_corr c = { o->delay_corr, o->loss_corr, o->dup_corr };

		mnl_attr_put(nlh, TCA_NETEM_CORR, sizeof(c), &c);
	}
	if (o->reorder) {
		struct tc_netem_reorder r = { o->reorder, o->reorder_corr };

		mnl_attr_put(nlh, TCA_NETEM_REORDER, sizeof(r), &r);
	}
	if (o->corrupt) {
		struct tc_netem_corrupt c = { o->corrupt, o->corrupt_corr };

		mnl_attr_put(nlh, TCA_NETEM_CORRUPT, sizeof(c), &c);
	}
	if (o->rate) {
		struct tc_netem_rate r = {
			.rate = o->rate >= UINT32_MAX ? UINT32_MAX : o->rate,
			.packet_overhead = o->rate_overhead, .cell_size = o->cell_size,
			.cell_overhead = o->cell_overhead,
		};

		mnl_attr_put(nlh, TCA_NETEM_RATE, sizeof(r), &r);
		if (o->rate >= UINT32_MAX)
			mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, o->rate);
	}
	if (o->slot_min || o->slot_max) {
		struct tc_netem_slot s = {
			.min_delay = o->slot_min, .max_delay = o->slot_max,
			.max_packets = o->slot_packets, .max_bytes = o->slot_bytes,
		};

		mnl_attr_put(nlh, TCA_NETEM_SLOT, sizeof(s), &s);
	}
	if (o->ecn)
		mnl_attr_put_u32(nlh, TCA_NETEM_ECN, 1);
	if (dist) {
		if (!mnl_attr_put_check(nlh, NL_MSG_MAX, TCA_NETEM_DELAY_DIST,
					ndist * sizeof(*dist), dist))
			nl_batch_overflow(b);
		free(dist);
	}
	opts->nla_len = (char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)opts;
	return 0;
}
