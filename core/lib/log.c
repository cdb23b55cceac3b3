/* log.c - stderr logging with upstream conlink's ERROR:/WARNING: prefixes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int log_level;

void log_init_from_env(void)
{
	const char *v = getenv("VERBOSE");

	if (!v || !*v || !strcmp(v, "0") || !strcmp(v, "false"))
		return;
	log_level = atoi(v) > 1 ? atoi(v) : 1;
}

/* One fprintf per line so lines from parallel writers do not interleave. */
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "%s%s\n", prefix, line);
}

#define LOG_FN(fn, prefix, cond)                 \
	void fn(const char *fmt, ...)            \
	{                                        \
		va_list ap;                      \
		if (!(cond))                     \
			return;                  \
		va_start(ap, fmt);               \
		vlog(prefix, fmt, ap);           \
		va_end(ap);                      \
	}

LOG_FN(log_error, "ERROR: ", 1)
LOG_FN(log_warn, "WARNING: ", 1)
LOG_FN(log_info, "", 1)
LOG_FN(log_verbose, "", log_level >= 1)
LOG_FN(log_debug, "DEBUG: ", log_level >= 2)
