/* interp.c - compose's variable interpolation ($VAR, ${VAR:-x}, ...). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "interp.h"
#include "xwrap.h"

struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static bool name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static const char *env_lookup(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* Length of the body of "${...}" starting after "${", honouring nested
 * ${...}; -1 when the closing brace is missing. */
static long braced_len(const char *p, const char *end)
{
	int depth = 1;

	for (const char *q = p; q < end; q++) {
		if (q[0] == '$' && q + 1 < end && q[1] == '$') {
			q++;
		} else if (q[0] == '$' && q + 1 < end && q[1] == '{') {
			depth++;
			q++;
		} else if (*q == '}' && !--depth) {
			return q - p;
		}
	}
	return -1;
}

static int expand(const char *s, size_t len, interp_lookup_fn lookup, void *ctx,
		  struct buf *out, int depth);

static int expand_braced(const char *body, size_t len, interp_lookup_fn lookup,
			 void *ctx, struct buf *out, int depth, const char *whole)
{
	size_t nlen = 0;

	while (nlen < len && name_char(body[nlen]))
		nlen++;
	if (!nlen || !name_start(body[0]))
		return err_fail(EINVAL, "invalid interpolation format for '%s'", whole);
	char *name = strndup(body, nlen);
	const char *val = lookup(name, ctx);
	const char *op = body + nlen, *arg;
	size_t oplen = 0;
	int ret = 0;

	if (nlen == len) {	/* ${VAR} */
		if (val)
			put(out, val, strlen(val));
		free(name);
		return 0;
	}
	if (op[0] == ':' && nlen + 1 < len && strchr("-?+", op[1]))
		oplen = 2;
	else if (strchr("-?+", op[0]))
		oplen = 1;
	if (!oplen) {
		free(name);
		return err_fail(EINVAL, "invalid interpolation format for '%s'", whole);
	}
	arg = op + oplen;
	size_t alen = len - nlen - oplen;
	bool colon = oplen == 2;
	bool missing = !val || (colon && !*val);	/* ':' also counts empty */
	char kind = op[oplen - 1];

	if (kind == '-') {
		if (missing)
			ret = expand(arg, alen, lookup, ctx, out, depth + 1);
		else
			put(out, val, strlen(val));
	} else if (kind == '+') {
		if (!missing)
			ret = expand(arg, alen, lookup, ctx, out, depth + 1);
	} else if (missing) {
		struct buf msg = {0};

		ret = expand(arg, alen, lookup, ctx, &msg, depth + 1);
		if (!ret)
			ret = err_fail(EINVAL, "required variable %s is missing a value%s%s",
				       name, msg.n ? ": " : "", msg.n ? msg.s : "");
		free(msg.s);
	} else {
		put(out, val, strlen(val));
	}
	free(name);
	return ret;
}

static int expand(const char *s, size_t len, interp_lookup_fn lookup, void *ctx,
		  struct buf *out, int depth)
{
	const char *end = s + len;

	if (depth > 32)
		return err_fail(EINVAL, "interpolation nested too deeply");
	put(out, "", 0);
	while (s < end) {
		const char *d = memchr(s, '$', end - s);

		if (!d) {
			put(out, s, end - s);
			break;
		}
		put(out, s, d - s);
		if (d + 1 < end && d[1] == '$') {
			put(out, "$", 1);
			s = d + 2;
		} else if (d + 1 < end && d[1] == '{') {
			long blen = braced_len(d + 2, end);

			if (blen < 0) {
				char *whole = strndup(d, end - d);
				int ret = err_fail(EINVAL, "invalid interpolation format for '%s': "
						   "missing '}'", whole);

				free(whole);
				return ret;
			}
			char *whole = strndup(d, blen + 3);
			int ret = expand_braced(d + 2, blen, lookup, ctx, out, depth, whole);

			free(whole);
			if (ret)
				return ret;
			s = d + 2 + blen + 1;
		} else if (d + 1 < end && name_start(d[1])) {
			const char *p = d + 1;

			while (p < end && name_char(*p))
				p++;
			char *name = strndup(d + 1, p - d - 1);
			const char *val = lookup(name, ctx);

			if (val)
				put(out, val, strlen(val));
			free(name);
			s = p;
		} else {
			put(out, "$", 1);	/* a lone '$' stays as it is */
			s = d + 1;
		}
	}
	return 0;
}

int interp_string(const char *s, interp_lookup_fn lookup, void *ctx, char **out)
{
	struct buf b = {0};
	int ret;

	ret = expand(s, strlen(s), lookup ? lookup : env_lookup, ctx, &b, 0);
	if (ret) {
		free(b.s);
		return ret;
	}
	*out = b.s;
	return 0;
}
