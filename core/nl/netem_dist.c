/* netem_dist.c - netem's delay distribution tables normal, pareto and
 * paretonormal, built in: a scratch image has no tc data files
 * (/usr/lib/tc/NAME.dist), yet "distribution normal" must work there.
 *
 * Made as iproute2 makes the files it ships (netem/normal.c, pareto.c,
 * paretonormal.c, from the NIST Net code, public domain: NIST-PD): the
 * same loops in the same floating-point order, so each table equals its
 * .dist file value for value (tests/plain/netem-dist.bats compares them).
 * Computed on first use (a few ms) and kept: no 24 KiB of data in the
 * binary. libc and libm only. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netem.h"

#define TABLESIZE 16384
#define TABLEFACTOR 8192	/* NETEM_DIST_SCALE */
#define ENTRIES (TABLESIZE / 4)	/* what each generator prints */

static double normal_cdf(double x, double mu, double sigma)
{
	return .5 + .5 * erf((x - mu) / (sqrt(2.0) * sigma));
}

/* The inverse of the normal CDF, TABLESIZE+1 points (normal.c's loop). */
static void normal_inverse(double *table)
{
	for (double x = -10.0; x < 10.05; x += .00005) {
		int i = rint(TABLESIZE * normal_cdf(x, 0.0, 1.0));

		table[i] = x;
	}
}

static int16_t clamp16(int v)
{
	return v < SHRT_MIN ? SHRT_MIN : v > SHRT_MAX ? SHRT_MAX : v;
}

/* pareto.c's value for entry I (a = 3). */
static int pareto_value(int i)
{
	double d = (double)(65536 - 16 * i) / (double)65536;

	d = 1.0 / pow(d, 1.0 / 3.0);
	d -= 1.5;
	d *= (4.0 / 3.0) * (double)TABLEFACTOR;
	if (d > 32767)
		d = 32767;
	return (int)rint(d);
}

static int build(const char *name, int16_t *out)
{
	double *table = NULL;

	if (strcmp(name, "pareto")) {
		table = calloc(TABLESIZE + 1, sizeof(*table));
		if (!table)
			return -ENOMEM;
		normal_inverse(table);
	}
	for (int k = 0; k < ENTRIES; k++) {
		int i = 4 * k;

		if (!strcmp(name, "normal"))
			out[k] = clamp16((int)rint(table[i] * TABLEFACTOR));
		else if (!strcmp(name, "pareto"))
			out[k] = pareto_value(k);
		else	/* paretonormal: (normal + 3 pareto) / 4, integer division */
			out[k] = clamp16(((int)rint(table[i] * TABLEFACTOR) + 3 * pareto_value(k)) / 4);
	}
	free(table);
	return 0;
}

int netem_dist_builtin(const char *name, const int16_t **table, int *n)
{
	static const char *const names[] = { "normal", "pareto", "paretonormal" };
	static int16_t tables[3][ENTRIES];
	static int made[3];

	for (int t = 0; t < 3; t++) {
		if (strcmp(name, names[t]))
			continue;
		if (!made[t]) {
			int ret = build(names[t], tables[t]);

			if (ret < 0)
				return ret;
			made[t] = 1;
		}
		*table = tables[t];
		*n = ENTRIES;
		return 0;
	}
	return -ENOENT;
}
