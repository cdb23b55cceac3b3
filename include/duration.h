/* duration.h - the one grammar of a span of time in the config (a
 * timeline's at, every, for): a number and a unit, as netem writes times. */
#ifndef CONLINK_DURATION_H
#define CONLINK_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* The longest duration taken: 365 days, in microseconds. */
#define DURATION_MAX_US (365LL * 24 * 3600 * 1000000)

/* How the grammar reads in an "expected ..." message. */
#define DURATION_EXPECTED "a duration (a number and a unit: us, ms, s, m, h; " \
	"e.g. 500ms, 2s, 1.5m)"

/* S as "NUMBER UNIT" with no space: a decimal number (a fraction too:
 * "1.5s") and one of us, ms, s, m, h (also usec, msec, sec, min, hour,
 * any case); "0" alone is zero. A bare number is refused (tc reads it as
 * microseconds, a config reader would not), so are signs, exponents,
 * spaces, more than DURATION_MAX_US and a fraction of a microsecond.
 * 0 with *US set, or -EINVAL with err_msg() saying why. */
int duration_parse(const char *s, int64_t *us);

/* US written back in the largest unit that divides it ("90s", "1500ms",
 * "2h", "0"): what duration_parse reads as US again. Returns BUF. */
char *duration_format(int64_t us, char *buf, size_t size);

#endif
