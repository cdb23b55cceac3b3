/* template.c - {{NAME}} token replacement from the environment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "template.h"

/* Growable output buffer; records a failed allocation instead of exiting. */
struct outbuf {
	char *data;
	size_t len, cap;
	int failed;
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
	if (o->failed || !n)
		return;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *p;

		while (cap < o->len + n)
			cap *= 2;
		p = realloc(o->data, cap);
		if (!p) {
			o->failed = 1;
			return;
		}
		o->data = p;
		o->cap = cap;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
}

static int is_name_byte(unsigned char c)
{
	return c && c != '{' && c != '}' && c != '=' && c != ' ' &&
	       !(c >= '\t' && c <= '\r');
}

/* Length of the token NAME starting at IN[i] ("{{" at i), 0 when none. */
static size_t token_name_len(const char *in, size_t len, size_t i)
{
	size_t j = i + 2;

	while (j < len && is_name_byte(in[j]))
		j++;
	if (j == i + 2 || j + 1 >= len || in[j] != '}' || in[j + 1] != '}')
		return 0;
	return j - (i + 2);
}

/* Distinct names replaced so far, for one report line per name. */
struct seen {
	char *name;
	const char *value;
	unsigned count;
};

static int note_seen(struct seen **list, size_t *n, const char *name,
		     size_t name_len, const char *value)
{
	struct seen *s;

	for (size_t k = 0; k < *n; k++)
		if (strlen((*list)[k].name) == name_len &&
		    !memcmp((*list)[k].name, name, name_len)) {
			(*list)[k].count++;
			return 0;
		}
	s = realloc(*list, (*n + 1) * sizeof(**list));
	if (!s)
		return -ENOMEM;
	*list = s;
	s[*n].name = strndup(name, name_len);
	if (!s[*n].name)
		return -ENOMEM;
	s[*n].value = value;
	s[*n].count = 1;
	(*n)++;
	return 0;
}

long template_expand(const char *in, size_t len, char **out, size_t *out_len,
		     template_report_fn *report, void *ctx)
{
	struct outbuf o = { 0 };
	struct seen *seen = NULL;
	size_t n_seen = 0, copied = 0;
	long replaced = 0;
	char name[256];

	for (size_t i = 0; i + 3 < len; i++) {
		size_t nl;
		const char *value;

		if (in[i] != '{' || in[i + 1] != '{')
			continue;
		nl = token_name_len(in, len, i);
		/* Names longer than any sane variable are left alone. */
		if (!nl || nl >= sizeof(name))
			continue;
		memcpy(name, in + i + 2, nl);
		name[nl] = 0;
		value = getenv(name);
		if (!value)
			continue;
		out_put(&o, in + copied, i - copied);
		out_put(&o, value, strlen(value));
		if (note_seen(&seen, &n_seen, name, nl, value))
			o.failed = 1;
		replaced++;
		copied = i + nl + 4;
		i = copied - 1;
	}
	out_put(&o, in + copied, len - copied);
	if (!o.failed && !o.data)	/* empty input: still a valid buffer */
		o.data = malloc(1);
	if (!o.data)
		o.failed = 1;
	for (size_t k = 0; k < n_seen; k++) {
		if (report && !o.failed)
			report(ctx, seen[k].name, seen[k].value, seen[k].count);
		free(seen[k].name);
	}
	free(seen);
	if (o.failed) {
		free(o.data);
		return err_fail(ENOMEM, "out of memory expanding templates");
	}
	*out = o.data;
	*out_len = o.len;
	return replaced;
}
