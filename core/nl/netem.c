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
#include "spell.h"

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

/* What each kind of value reads like, for "expected ..." */
#define E_TIME "a time such as 100ms (ns, us, ms or s; a bare number is us)"
#define E_PCT "a percentage 0..100 such as 5%"
#define E_RATE "a rate above 0 such as 10mbit (bit, kbit, mbit, gbit, bps, kbps, ...)"
#define E_SIZE "a size such as 1500 or 64k (b, k, m, g, kbit, mbit)"
#define E_U32 "a whole number 0..4294967295"
#define E_S32 "a whole number (may be negative)"
#define E_DIST "a distribution name (uniform, normal, pareto, paretonormal or NAME of NAME.dist)"

/* The parser's state: the words, where it is, and what was wrong. */
struct words {
	char **w;
	int i;
	const char *opt, *word, *expected;
};

/* Record that option OPT had a bad value W (NULL: none was given) where
 * EXPECTED was. Returns OPT, for the parse functions' "bad" result. */
static const char *bad(struct words *ws, const char *opt, const char *w, const char *expected)
{
	ws->opt = opt;
	ws->word = w;
	ws->expected = expected;
	return opt;
}

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
 * out. Returns the option that was bad, or NULL. */
static const char *parse_loss(struct words *ws, struct netem_opts *o)
{
	const char *w = next(ws), *v;
	uint32_t p;

	if (!w || (!strcmp(w, "random") && !(w = next(ws))))
		return bad(ws, "loss", NULL, E_PCT ", or random, state or gemodel");
	if (strcmp(w, "state") && strcmp(w, "gemodel")) {
		if (parse_percent(w, &o->loss) < 0)
			return bad(ws, "loss", w, E_PCT ", or random, state or gemodel");
		if ((v = next_num(ws)) && parse_percent(v, &o->loss_corr) < 0)
			return bad(ws, "loss", v, E_PCT " (the correlation)");
		return NULL;
	}
	if (!strcmp(w, "state")) {
		struct tc_netem_gimodel *g = &o->gi;

		o->loss_model = NETEM_LOSS_GI;
		if (!(v = next(ws)) || parse_percent(v, &g->p13) < 0)
			return bad(ws, "loss state", v, E_PCT " (p13)");
		g->p31 = UINT32_MAX - g->p13;
		g->p32 = 0;
		g->p23 = UINT32_MAX;
		g->p14 = 0;
		/* tc's order on the command line: p31 p32 p23 p14 */
		uint32_t *rest[] = { &g->p31, &g->p32, &g->p23, &g->p14 };

		for (size_t k = 0; k < 4 && (v = next_num(ws)); k++)
			if (parse_percent(v, rest[k]) < 0)
				return bad(ws, "loss state", v, E_PCT);
		return NULL;
	}
	struct tc_netem_gemodel *g = &o->ge;

	o->loss_model = NETEM_LOSS_GE;
	if (!(v = next(ws)) || parse_percent(v, &g->p) < 0)
		return bad(ws, "loss gemodel", v, E_PCT " (p)");
	g->r = UINT32_MAX - g->p;
	g->h = UINT32_MAX;	/* 1-h = 0: every packet in the bad state is lost */
	g->k1 = 0;
	if ((v = next_num(ws)) && parse_percent(v, &g->r) < 0)
		return bad(ws, "loss gemodel", v, E_PCT " (r)");
	if ((v = next_num(ws))) {
		/* the option is 1-h; the kernel takes h */
		if (parse_percent(v, &p) < 0)
			return bad(ws, "loss gemodel", v, E_PCT " (1-h)");
		g->h = UINT32_MAX - p;
	}
	if ((v = next_num(ws)) && parse_percent(v, &g->k1) < 0)
		return bad(ws, "loss gemodel", v, E_PCT " (1-k)");
	return NULL;
}

/* slot MIN [MAX] | slot distribution NAME DELAY JITTER; then
 * [packets N] [bytes N]. Returns the option that was bad, or NULL. */
static const char *parse_slot(struct words *ws, struct netem_opts *o)
{
	const char *v;

	if ((v = next_num(ws))) {
		if (parse_time(v, &o->slot_min) < 0)
			return bad(ws, "slot", v, E_TIME);
		o->slot_max = o->slot_min;
		if ((v = next_num(ws)) && (parse_time(v, &o->slot_max) < 0 ||
					   o->slot_max < o->slot_min))
			return bad(ws, "slot", v, "a maximum time not below the minimum");
	} else if ((v = next(ws)) && !strcmp(v, "distribution")) {
		if (parse_dist_name((v = next(ws)), o->slot_dist, sizeof(o->slot_dist)) < 0)
			return bad(ws, "slot distribution", v, E_DIST);
		if (!(v = next(ws)) || parse_time(v, &o->slot_dist_delay) < 0)
			return bad(ws, "slot distribution", v, E_TIME " (the delay)");
		if (!(v = next(ws)) || parse_time(v, &o->slot_dist_jitter) < 0 ||
		    o->slot_dist_jitter <= 0)
			return bad(ws, "slot distribution", v, E_TIME " above 0 (the jitter)");
	} else {
		return bad(ws, "slot", v, E_TIME ", or distribution");
	}
	o->has_slot = true;
	while ((v = ws->w[ws->i + 1]) && (!strcmp(v, "packets") || !strcmp(v, "bytes"))) {
		uint32_t bytes;

		ws->i++;
		if (!strcmp(v, "packets")) {
			if (!(v = next(ws)) || parse_s32(v, &o->slot_packets) < 0)
				return bad(ws, "slot packets", v, E_S32);
		} else {
			if (!(v = next(ws)) || parse_size(v, &bytes) < 0)
				return bad(ws, "slot bytes", v, E_SIZE);
			o->slot_bytes = bytes;
		}
	}
	return NULL;
}

static const char *const options[] = {
	"limit", "delay", "latency", "distribution", "loss", "drop", "duplicate", "corrupt",
	"reorder", "gap", "rate", "slot", "ecn", NULL,
};

/* PCT [CORR] of duplicate, corrupt, reorder. */
static const char *pct_corr(struct words *ws, const char *opt, uint32_t *pct, uint32_t *corr)
{
	const char *v;

	if (!(v = next(ws)) || parse_percent(v, pct) < 0)
		return bad(ws, opt, v, E_PCT);
	if ((v = next_num(ws)) && parse_percent(v, corr) < 0)
		return bad(ws, opt, v, E_PCT " (the correlation)");
	return NULL;
}

/* One option at ws->i (and its arguments). The bad option, or NULL; an
 * unknown option sets *unknown. */
static const char *parse_option(struct words *ws, struct netem_opts *o, bool *unknown)
{
	const char *opt = ws->w[ws->i], *v;

	if (!strcmp(opt, "limit")) {
		if (!(v = next(ws)) || parse_u32(v, &o->limit) < 0)
			return bad(ws, opt, v, E_U32 " (packets)");
	} else if (!strcmp(opt, "delay") || !strcmp(opt, "latency")) {
		if (!(v = next(ws)) || parse_time(v, &o->latency_ns) < 0)
			return bad(ws, opt, v, E_TIME);
		if ((v = next_num(ws))) {
			if (parse_time(v, &o->jitter_ns) < 0)
				return bad(ws, opt, v, E_TIME " (the jitter)");
			if ((v = next_num(ws)) && parse_percent(v, &o->delay_corr) < 0)
				return bad(ws, opt, v, E_PCT " (the correlation)");
		}
	} else if (!strcmp(opt, "distribution")) {
		if (parse_dist_name((v = next(ws)), o->dist, sizeof(o->dist)) < 0)
			return bad(ws, opt, v, E_DIST);
	} else if (!strcmp(opt, "loss") || !strcmp(opt, "drop")) {
		if (o->loss || o->loss_model)
			return bad(ws, "loss", NULL, NULL);	/* given twice */
		return parse_loss(ws, o);
	} else if (!strcmp(opt, "duplicate")) {
		return pct_corr(ws, opt, &o->duplicate, &o->dup_corr);
	} else if (!strcmp(opt, "corrupt")) {
		return pct_corr(ws, opt, &o->corrupt, &o->corrupt_corr);
	} else if (!strcmp(opt, "reorder")) {
		return pct_corr(ws, opt, &o->reorder, &o->reorder_corr);
	} else if (!strcmp(opt, "gap")) {
		if (!(v = next(ws)) || parse_u32(v, &o->gap) < 0)
			return bad(ws, opt, v, E_U32);
	} else if (!strcmp(opt, "rate")) {
		if (!(v = next(ws)) || parse_rate(v, &o->rate) < 0 || !o->rate)
			return bad(ws, opt, v, E_RATE);
		if (signed_numeric(ws->w[ws->i + 1]) && parse_s32((v = next(ws)), &o->rate_overhead) < 0)
			return bad(ws, opt, v, E_S32 " (the packet overhead)");
		if ((v = next_num(ws)) && parse_u32(v, &o->cell_size) < 0)
			return bad(ws, opt, v, E_U32 " (the cell size)");
		if (signed_numeric(ws->w[ws->i + 1]) && parse_s32((v = next(ws)), &o->cell_overhead) < 0)
			return bad(ws, opt, v, E_S32 " (the cell overhead)");
	} else if (!strcmp(opt, "slot")) {
		return parse_slot(ws, o);
	} else if (!strcmp(opt, "ecn")) {
		o->ecn = 1;
	} else {
		*unknown = true;
		return bad(ws, opt, opt, NULL);
	}
	return NULL;
}

int netem_parse(const char *text, struct netem_opts *o)
{
	char *copy = strdup(text), *w[128];
	struct words ws = { w, 0, NULL, NULL, NULL };
	const char *why = NULL;
	bool unknown = false;
	int n = 0, ret = 0;

	memset(o, 0, sizeof(*o));
	o->limit = 1000;
	if (!copy)
		return -ENOMEM;
	for (char *save = NULL, *t = strtok_r(copy, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == 127) {
			why = "too many words (at most 127)";
			break;
		}
		w[n++] = t;
	}
	w[n] = NULL;
	for (ws.i = 0; !why && ws.i < n && !ws.opt; ws.i++)
		parse_option(&ws, o, &unknown);
	/* tc's checks of the whole */
	if (why || ws.opt)
		;
	else if (o->reorder && !o->latency_ns)
		why = "reorder needs a delay, expected 'delay TIME' too";
	else if (o->gap && !o->reorder)
		why = "gap needs a reorder probability, expected 'reorder PCT' too";
	else if (o->dist[0] && !o->jitter_ns)
		why = "distribution needs a delay with a jitter, expected 'delay TIME JITTER' too";
	else if (o->ecn && !o->loss && !o->loss_model)
		why = "ecn needs a loss model, expected 'loss PCT' too";
	/* the kernel reorders only with a gap: tc's default is 1 */
	if (o->reorder && !o->gap)
		o->gap = 1;
	if (unknown) {
		char h[SPELL_HINT_MAX];

		ret = err_fail(EINVAL, "unknown option '%s'%s, expected limit, delay, "
			       "distribution, loss, duplicate, corrupt, reorder, gap, rate, slot "
			       "or ecn", ws.opt, spell_hint(ws.opt, options, sizeof(*options), h));
	} else if (ws.opt && !ws.expected) {
		ret = err_fail(EINVAL, "'%s' given twice, expected it once", ws.opt);
	} else if (ws.opt && ws.word) {
		ret = err_fail(EINVAL, "bad value for '%s': '%s', expected %s", ws.opt, ws.word,
			       ws.expected);
	} else if (ws.opt) {
		ret = err_fail(EINVAL, "bad value for '%s': nothing after it, expected %s",
			       ws.opt, ws.expected);
	} else if (why) {
		ret = err_fail(EINVAL, "%s", why);
	}
	free(copy);
	return ret;
}

int netem_parse_list(const char *const *parts, int n, struct netem_opts *o)
{
	char text[1024] = "";
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		int m = snprintf(text + len, sizeof(text) - len, "%s%s", i ? " " : "", parts[i]);

		if (m < 0 || (size_t)m >= sizeof(text) - len)
			return err_fail(EINVAL, "too long (at most %zu characters)", sizeof(text) - 1);
		len += m;
	}
	return netem_parse(text, o);
}
