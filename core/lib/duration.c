/* duration.c - "500ms", "2s", "1m": a span of time (see duration.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "duration.h"
#include "err.h"

static const struct {
	const char *name;
	int64_t us;
} units[] = {
	{"us", 1}, {"usec", 1}, {"ms", 1000}, {"msec", 1000}, {"s", 1000000},
	{"sec", 1000000}, {"m", 60000000}, {"min", 60000000}, {"h", 3600000000LL},
	{"hour", 3600000000LL},
};

int duration_parse(const char *s, int64_t *us)
{
	const char *p = s, *unit;
	int64_t whole = 0, frac = 0, scale = 1, mult = 0;
	int digits = 0, fdigits = 0;

	if (!strcmp(s, "0")) {
		*us = 0;
		return 0;
	}
	/* by hand rather than strtod: no sign, exponent, hex, inf or space,
	 * and the value exact in integers */
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (*p - '0');
		if (whole > DURATION_MAX_US)
			whole = DURATION_MAX_US + 1;	/* too long, whatever follows */
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits < 9) {	/* frac * mult stays in 64 bits */
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			} else if (*p != '0') {
				return err_fail(EINVAL, "too many decimals");
			}
		}
	}
	if (!digits && !fdigits)
		return err_fail(EINVAL, "no number");
	unit = p;
	if (!*unit)
		return err_fail(EINVAL, "no unit (a bare number would be microseconds "
				"to tc: write 500ms, 2s, 1m)");
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strcasecmp(unit, units[i].name))
			mult = units[i].us;
	if (!mult)
		return err_fail(EINVAL, "unknown unit '%s', expected us, ms, s, m or h", unit);
	if (whole > DURATION_MAX_US / mult)
		return err_fail(EINVAL, "longer than 365 days");
	/* frac / scale of a unit, in whole microseconds only */
	if ((frac * mult) % scale)
		return err_fail(EINVAL, "not a whole number of microseconds");
	*us = whole * mult + frac * mult / scale;
	if (*us > DURATION_MAX_US)
		return err_fail(EINVAL, "longer than 365 days");
	return 0;
}

char *duration_format(int64_t us, char *buf, size_t size)
{
	static const struct {
		const char *name;
		int64_t us;
	} big_first[] = {
		{"h", 3600000000LL}, {"m", 60000000}, {"s", 1000000}, {"ms", 1000}, {"us", 1},
	};

	if (us <= 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	for (size_t i = 0; i < sizeof(big_first) / sizeof(*big_first); i++)
		if (us % big_first[i].us == 0) {
			snprintf(buf, size, "%" PRId64 "%s", us / big_first[i].us, big_first[i].name);
			break;
		}
	return buf;
}
