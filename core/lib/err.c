/* err.c - the core error convention: -errno plus a message for the caller. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static __thread char msg[1024];

int err_fail(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return -(errnum > 0 ? errnum : -errnum);
}

int err_wrap(int ret, const char *fmt, ...)
{
	char prev[sizeof(msg)], ctx[sizeof(msg)];
	va_list ap;

	memcpy(prev, msg, sizeof(prev));
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	/* Truncation is fine: a long message keeps its head. */
	size_t n = strlen(ctx), m;

	if (n > sizeof(msg) - 3)
		n = sizeof(msg) - 3;
	memcpy(msg, ctx, n);
	memcpy(msg + n, ": ", 2);
	n += 2;
	m = strnlen(prev, sizeof(msg) - n - 1);
	memcpy(msg + n, prev, m);
	msg[n + m] = 0;
	return ret;
}

const char *err_msg(void)
{
	return msg;
}
