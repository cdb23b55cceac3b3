/* netem.c - tc netem's option grammar (as tc/q_netem.c reads it) into
 * struct netem_opts; netem_nl.c turns that into the qdisc's attributes. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "netem.h"

struct unit {
	const char *name;
	double mult;
};

/* A number followed by one of UNITS (case-insensitive; "" for none), times
 * that unit's multiplier; the result must stay below LIMIT. */
static int parse_scaled(const char *w, const struct unit *units, size_t n,
			double limit, double *out)
{
	char *end;
	double v = strtod(w, &end);

	if (end == w || !(v >= 0))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(end, units[i].name)) {
			v *= units[i].mult;
			if (!(v < limit))
				return -1;
			*out = v;
			return 0;
		}
	return -1;
}

#define PARSE_SCALED(w, units, limit, out) \
	parse_scaled(w, units, sizeof(units) / sizeof(units[0]), limit, out)

/* "10ms", "1.5s", "100us", "200ns"; a bare number is microseconds (tc). */
static int parse_time(const char *w, int64_t *ns)
{
	static const struct unit units[] = {
		{ "", 1e3 }, { "us", 1e3 }, { "usec", 1e3 }, { "usecs", 1e3 },
		{ "ms", 1e6 }, { "msec", 1e6 }, { "msecs", 1e6 },
		{ "s", 1e9 }, { "sec", 1e9 }, { "secs", 1e9 },
		{ "ns", 1 }, { "nsec", 1 }, { "nsecs", 1 },
	};
	double v;

	/* the kernel takes s64 nanoseconds */
	if (PARSE_SCALED(w, units, 9.2e18, &v))
		return -1;
	*ns = (int64_t)v;
	return 0;
}

/* tc's get_percent: "5%" and "5" are both five percent; the result is a
 * fraction of UINT32_MAX. */
static int parse_percent(const char *w, uint32_t *out)
{
	char *end;
	double v = strtod(w, &end) / 100.0;

	if (end == w || (*end && strcmp(end, "%")) || !(v >= 0 && v <= 1))
		return -1;
	*out = (uint32_t)rint(v * UINT32_MAX);
	return 0;
}

/* tc rate units: bit, kbit, mbit, gbit, tbit, bps (bytes), kbps, ...;
 * kibit etc. in powers of 1024. Result in bytes per second. */
static int parse_rate(const char *w, uint64_t *bps)
{
	static const struct unit units[] = {
		{ "", 1 }, { "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
		{ "tbit", 1e12 }, { "kibit", 1024. }, { "mibit", 1048576. },
		{ "gibit", 1073741824. }, { "bps", 8 }, { "kbps", 8e3 },
		{ "mbps", 8e6 }, { "gbps", 8e9 }, { "kibps", 8192. },
		{ "mibps", 8388608. }, { "gibps", 8589934592. },
	};
	double bits;

	if (PARSE_SCALED(w, units, 1.8e19 * 8, &bits))
		return -1;
	*bps = (uint64_t)(bits / 8);
	return 0;
}

/* tc's get_size: bytes, with b, k/kb, m/mb, g/gb (powers of 1024) or
 * kbit, mbit, gbit (bits). */
static int parse_size(const char *w, uint32_t *out)
{
	static const struct unit units[] = {
		{ "", 1 }, { "b", 1 }, { "k", 1024 }, { "kb", 1024 }, { "m", 1048576 },
		{ "mb", 1048576 }, { "g", 1073741824. }, { "gb", 1073741824. },
		{ "kbit", 128 }, { "mbit", 131072 }, { "gbit", 134217728. },
	};
	double v;

	if (PARSE_SCALED(w, units, INT32_MAX + 1.0, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_u32(const char *w, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(w, &end, 10);

	if (!*w || *w == '-' || *end || v > UINT32_MAX)
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
static bool numeric(const char *w)
{
	return w && ((*w >= '0' && *w <= '9') || *w == '.');
}

static bool signed_numeric(const char *w)
{
	return w && (numeric(w) || (*w == '-' && numeric(w + 1)));
}

/* A distribution name: tc reads NAME.dist from its library directory. */
static int parse_dist_name(const char *w, char *out, size_t len)
{
	if (!w || !*w || strlen(w) >= len || strchr(w, '/'))
		return -1;
	strcpy(out, w);
	return 0;
}

/* The parser's state: the words and where it is. */
struct words {
	char **w;
	int i;
};

/* The next word when it is numeric, else NULL (and nothing is taken). */
static const char *next_num(struct words *ws)
{
	return numeric(ws->w[ws->i + 1]) ? ws->w[++ws->i] : NULL;
}

/* The next word, whatever it is, or NULL at the end. */
static const char *next(struct words *ws)
{
	return ws->w[ws->i + 1] ? ws->w[++ws->i] : NULL;
}

/* loss [random] PCT [CORR] | loss state P13 [P31 [P32 [P23 [P14]]]] |
 * loss gemodel PERCENT [R [1-H [1-K]]]; tc's defaults for what is left
 * out. Returns the word that was bad, or NULL. */
static const char *parse_loss(struct words *ws, struct netem_opts *o)
{
	const char *w = next(ws), *v;
	uint32_t p;

	if (!w)
		return "loss";
	if (!strcmp(w, "random") && !(w = next(ws)))
		return "loss";
	if (strcmp(w, "state") && strcmp(w, "gemodel")) {
		if (parse_percent(w, &o->loss) < 0)
			return "loss";
		if ((v = next_num(ws)) && parse_percent(v, &o->loss_corr) < 0)
			return "loss";
		return NULL;
	}
	if (!strcmp(w, "state")) {
		struct tc_netem_gimodel *g = &o->gi;

		o->loss_model = NETEM_LOSS_GI;
		if (!(v = next(ws)) || parse_percent(v, &g->p13) < 0)
			return "loss state";
		g->p31 = UINT32_MAX - g->p13;
		g->p32 = 0;
		g->p23 = UINT32_MAX;
		g->p14 = 0;
		/* tc's order on the command line: p31 p32 p23 p14 */
		uint32_t *rest[] = { &g->p31, &g->p32, &g->p23, &g->p14 };

		for (size_t k = 0; k < 4 && (v = next_num(ws)); k++)
			if (parse_percent(v, rest[k]) < 0)
				return "loss state";
		return NULL;
	}
	struct tc_netem_gemodel *g = &o->ge;

	o->loss_model = NETEM_LOSS_GE;
	if (!(v = next(ws)) || parse_percent(v, &g->p) < 0)
		return "loss gemodel";
	g->r = UINT32_MAX - g->p;
	g->h = UINT32_MAX;	/* 1-h = 0: every packet in the bad state is lost */
	g->k1 = 0;
	if ((v = next_num(ws)) && parse_percent(v, &g->r) < 0)
		return "loss gemodel";
	if ((v = next_num(ws))) {
		/* the option is 1-h; the kernel takes h */
		if (parse_percent(v, &p) < 0)
			return "loss gemodel";
		g->h = UINT32_MAX - p;
	}
	if ((v = next_num(ws)) && parse_percent(v, &g->k1) < 0)
		return "loss gemodel";
	return NULL;
}

/* slot MIN [MAX] | slot distribution NAME DELAY JITTER; then
 * [packets N] [bytes N]. Returns the word that was bad, or NULL. */
static const char *parse_slot(struct words *ws, struct netem_opts *o)
{
	const char *v;

	if ((v = next_num(ws))) {
		if (parse_time(v, &o->slot_min) < 0)
			return "slot";
		o->slot_max = o->slot_min;
		if ((v = next_num(ws)) && (parse_time(v, &o->slot_max) < 0 ||
					   o->slot_max < o->slot_min))
			return "slot";
	} else if ((v = next(ws)) && !strcmp(v, "distribution")) {
		if (parse_dist_name(next(ws), o->slot_dist, sizeof(o->slot_dist)) < 0)
			return "slot distribution";
		if (!(v = next(ws)) || parse_time(v, &o->slot_dist_delay) < 0)
			return "slot distribution";
		if (!(v = next(ws)) || parse_time(v, &o->slot_dist_jitter) < 0 ||
		    o->slot_dist_jitter <= 0)
			return "slot distribution";
	} else {
		return "slot";
	}
	o->has_slot = true;
	while ((v = ws->w[ws->i + 1]) && (!strcmp(v, "packets") || !strcmp(v, "bytes"))) {
		uint32_t bytes;

		ws->i++;
		if (!strcmp(v, "packets")) {
			if (!(v = next(ws)) || parse_s32(v, &o->slot_packets) < 0)
				return "slot packets";
		} else {
			if (!(v = next(ws)) || parse_size(v, &bytes) < 0)
				return "slot bytes";
			o->slot_bytes = bytes;
		}
	}
	return NULL;
}

/* One option at ws->i (and its arguments). The bad word, or NULL; an
 * unknown option sets *unknown. */
static const char *parse_option(struct words *ws, struct netem_opts *o, bool *unknown)
{
	const char *opt = ws->w[ws->i], *v;

	if (!strcmp(opt, "limit")) {
		if (!(v = next(ws)) || parse_u32(v, &o->limit) < 0)
			return opt;
	} else if (!strcmp(opt, "delay") || !strcmp(opt, "latency")) {
		if (!(v = next(ws)) || parse_time(v, &o->latency_ns) < 0)
			return opt;
		if ((v = next_num(ws))) {
			if (parse_time(v, &o->jitter_ns) < 0)
				return opt;
			if ((v = next_num(ws)) && parse_percent(v, &o->delay_corr) < 0)
				return opt;
		}
	} else if (!strcmp(opt, "distribution")) {
		if (parse_dist_name(next(ws), o->dist, sizeof(o->dist)) < 0)
			return opt;
	} else if (!strcmp(opt, "loss") || !strcmp(opt, "drop")) {
		if (o->loss || o->loss_model)
			return "loss (given twice)";
		return parse_loss(ws, o);
	} else if (!strcmp(opt, "duplicate")) {
		if (!(v = next(ws)) || parse_percent(v, &o->duplicate) < 0)
			return opt;
		if ((v = next_num(ws)) && parse_percent(v, &o->dup_corr) < 0)
			return opt;
	} else if (!strcmp(opt, "corrupt")) {
		if (!(v = next(ws)) || parse_percent(v, &o->corrupt) < 0)
			return opt;
		if ((v = next_num(ws)) && parse_percent(v, &o->corrupt_corr) < 0)
			return opt;
	} else if (!strcmp(opt, "reorder")) {
		if (!(v = next(ws)) || parse_percent(v, &o->reorder) < 0)
			return opt;
		if ((v = next_num(ws)) && parse_percent(v, &o->reorder_corr) < 0)
			return opt;
	} else if (!strcmp(opt, "gap")) {
		if (!(v = next(ws)) || parse_u32(v, &o->gap) < 0)
			return opt;
	} else if (!strcmp(opt, "rate")) {
		if (!(v = next(ws)) || parse_rate(v, &o->rate) < 0 || !o->rate)
			return opt;
		if (signed_numeric(ws->w[ws->i + 1]) && parse_s32(next(ws), &o->rate_overhead) < 0)
			return opt;
		if ((v = next_num(ws)) && parse_u32(v, &o->cell_size) < 0)
			return opt;
		if (signed_numeric(ws->w[ws->i + 1]) && parse_s32(next(ws), &o->cell_overhead) < 0)
			return opt;
	} else if (!strcmp(opt, "slot")) {
		return parse_slot(ws, o);
	} else if (!strcmp(opt, "ecn")) {
		o->ecn = 1;
	} else {
		*unknown = true;
		return opt;
	}
	return NULL;
}

int netem_parse(const char *text, struct netem_opts *o)
{
	char *copy = strdup(text), *w[128];
	struct words ws = { w, 0 };
	const char *bad = NULL, *why = NULL;
	bool unknown = false;
	int n = 0, ret = 0;

	memset(o, 0, sizeof(*o));
	o->limit = 1000;
	if (!copy)
		return -ENOMEM;
	for (char *save = NULL, *t = strtok_r(copy, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == 127) {
			why = "too many words";
			break;
		}
		w[n++] = t;
	}
	w[n] = NULL;
	for (ws.i = 0; !why && ws.i < n && !bad; ws.i++)
		bad = parse_option(&ws, o, &unknown);
	/* tc's checks of the whole */
	if (why || bad)
		;
	else if (o->reorder && !o->latency_ns)
		why = "reorder needs a delay";
	else if (o->gap && !o->reorder)
		why = "gap needs a reorder probability";
	else if (o->dist[0] && !o->jitter_ns)
		why = "distribution needs a delay with a jitter";
	else if (o->ecn && !o->loss && !o->loss_model)
		why = "ecn needs a loss model";
	/* the kernel reorders only with a gap: tc's default is 1 */
	if (o->reorder && !o->gap)
		o->gap = 1;
	if (unknown)
		ret = err_fail(EINVAL, "netem '%s': unknown option '%s'", text, bad);
	else if (bad)
		ret = err_fail(EINVAL, "netem '%s': bad value for '%s'", text, bad);
	else if (why)
		ret = err_fail(EINVAL, "netem '%s': %s", text, why);
	free(copy);
	return ret;
}
