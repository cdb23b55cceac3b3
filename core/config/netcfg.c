/* netcfg.c - the network config pipeline: gather, validate, enrich, print. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linkname.h"
#include "netcfg.h"
#include "netcfg_int.h"
#include "xwrap.h"

void netcfg_error(struct netcfg_ctx *c, const json_t *node, const json_t *fallback,
		  const char *path, const char *fmt, ...)
{
	const struct srcpos *pos = srcmap_get(c->m, node);
	char *msg;
	va_list ap;

	if (!pos)
		pos = srcmap_get(c->m, fallback);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (pos)
		error_msg("%s:%u:%u: %s%s%s", pos->file, pos->line, pos->col,
			  path && *path ? path : "", path && *path ? ": " : "", msg ? msg : fmt);
	else
		error_msg("%s%s%s", path && *path ? path : "", path && *path ? ": " : "",
			  msg ? msg : fmt);
	free(msg);
	c->nerrors++;
}

char *netcfg_describe(const json_t *node)
{
	switch (json_typeof(node)) {
	case JSON_OBJECT: return xstrdup("a mapping");
	case JSON_ARRAY: return xstrdup("a list");
	case JSON_STRING: return xasprintf("\"%s\"", json_string_value(node));
	case JSON_INTEGER: return xasprintf("the number %lld", (long long)json_integer_value(node));
	case JSON_REAL: return xasprintf("the number %g", json_real_value(node));
	case JSON_TRUE: return xstrdup("true");
	case JSON_FALSE: return xstrdup("false");
	default: return xstrdup("null");
	}
}

char *netcfg_link_id(const char *owner, const char *dev)
{
	char *id = linkname_id(owner, dev);

	if (!id)
		error_exit("out of memory");
	return id;
}

const char *netcfg_origin(struct netcfg_ctx *c, const json_t *node)
{
	const struct srcpos *pos = srcmap_get(c->m, node);

	return pos && pos->origin ? pos->origin : "";
}

int netcfg_load(const struct conlink_opts *opts, json_t **cfg)
{
	struct netcfg_ctx c = {.opts = opts};
	json_t *raw = NULL, *out = NULL;

	c.m = srcmap_new();
	c.ovs_loaded = access("/sys/module/openvswitch", F_OK) == 0;
	netcfg_gather(&c, &raw);
	if (raw && !c.load_failed && !netcfg_validate(&c, raw) && !c.nerrors)
		out = netcfg_enrich(&c, raw);
	json_decref(raw);
	srcmap_free(c.m);
	if (!out)
		return -1;
	*cfg = out;
	return 0;
}

int netcfg_print(const json_t *cfg, FILE *out)
{
	/* one string and one write: json_dumpf's many small fwrites cost more */
	char *s = json_dumps(cfg, JSON_INDENT(2) | JSON_SORT_KEYS);
	int ret = 0;

	if (!s)
		return -ENOMEM;
	if (fputs(s, out) == EOF || fputc('\n', out) == EOF)
		ret = -EIO;
	free(s);
	return ret;
}
