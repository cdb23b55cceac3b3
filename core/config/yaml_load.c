/* yaml_load.c - libyaml events into a jansson tree, positions into a srcmap. */
#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "err.h"
#include "xwrap.h"
#include "yaml_load.h"

/* Deep documents would make jansson's recursive free/dump overflow the
 * stack, and aliases of aliases grow exponentially ("billion laughs"). */
#define MAX_DEPTH 200
#define MAX_NODES 2000000

struct frame {
	json_t *node;		/* object or array being filled */
	char *key;		/* mapping: key waiting for its value */
	json_t *merges;		/* mapping: "<<" values, applied at the end */
	char *anchor;
	yaml_mark_t start;	/* where the node began: its messages point there */
};

struct builder {
	const char *file;	/* interned */
	struct srcmap *m;
	struct frame stack[MAX_DEPTH];
	int depth;
	json_t *anchors;	/* name -> node */
	json_t *root;
	size_t nodes;
};

static int fail_at(const struct builder *b, const yaml_mark_t *mk, const char *what)
{
	return err_fail(EINVAL, "%s:%zu:%zu: %s", b->file, mk->line + 1, mk->column + 1, what);
}

static bool all_match(const char *s, size_t n, const char *set)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

/* YAML 1.2 core schema resolution of a plain scalar. */
static json_t *resolve_plain(const char *s, size_t n)
{
	static const char *nulls[] = {"", "~", "null", "Null", "NULL"};
	static const char *trues[] = {"true", "True", "TRUE"};
	static const char *falses[] = {"false", "False", "FALSE"};
	const char *d = s;
	size_t dn = n;
	char *end;

	for (size_t i = 0; i < 5; i++)
		if (!strcmp(s, nulls[i]))
			return json_null();
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(s, trues[i]))
			return json_true();
		if (!strcmp(s, falses[i]))
			return json_false();
	}
	if (strlen(s) != n)	/* embedded NUL: only a string */
		return json_stringn(s, n);
	if (*d == '-' || *d == '+')
		d++, dn--;
	if (all_match(d, dn, "0123456789")) {
		errno = 0;
		long long v = strtoll(s, &end, 10);

		if (!errno && !*end)
			return json_integer(v);
		return json_stringn(s, n);
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o') &&
	    all_match(s + 2, n - 2, s[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567")) {
		errno = 0;
		long long v = strtoll(s + 2, &end, s[1] == 'x' ? 16 : 8);

		if (!errno && !*end)
			return json_integer(v);
		return json_stringn(s, n);
	}
	/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
	const char *p = d;
	size_t digits = 0;

	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
	}
	if (digits && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return json_stringn(s, n);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (digits && !*p) {
		double v = strtod(s, &end);
		json_t *r = json_real(v);	/* NULL for inf/nan */

		if (r)
			return r;
	}
	return json_stringn(s, n);
}

static json_t *scalar_node(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;

	if (tag && (!strcmp(tag, YAML_STR_TAG) || !strcmp(tag, "!")))
		return json_stringn(s, n);
	if (!tag && !ev->data.scalar.plain_implicit)
		return json_stringn(s, n);	/* quoted or block scalar */
	return resolve_plain(s, n);
}

static void set_pos(struct builder *b, json_t *node, const yaml_mark_t *mk)
{
	struct srcpos pos = {b->file, NULL, mk->line + 1, mk->column + 1, false};

	srcmap_set(b->m, node, &pos);
}

/* Keys of a merged-in mapping fill in what the mapping does not set itself. */
static void apply_merges(struct frame *f)
{
	size_t i;
	json_t *src;

	json_array_foreach(f->merges, i, src) {
		const char *k;
		json_t *v;

		json_object_foreach(src, k, v)
			if (!json_object_get(f->node, k))
				json_object_set(f->node, k, v);
	}
}

static size_t count_nodes(const json_t *n)
{
	size_t c = 1, i;
	const char *k;
	json_t *v;

	if (json_is_object(n))
		json_object_foreach((json_t *)n, k, v)
			c += count_nodes(v);
	else if (json_is_array(n))
		json_array_foreach(n, i, v)
			c += count_nodes(v);
	return c;
}

/* Attach a finished node to its parent (or make it the root). Takes node. */
static int attach(struct builder *b, json_t *node, const char *anchor,
		  const yaml_mark_t *mk)
{
	if (!node)
		return fail_at(b, mk, "invalid value (not UTF-8?)");
	if (anchor)
		json_object_set(b->anchors, anchor, node);
	if (!b->depth) {
		if (!b->root)
			b->root = node;
		else
			json_decref(node);
		return 0;
	}
	struct frame *f = &b->stack[b->depth - 1];

	if (json_is_array(f->node)) {
		json_array_append_new(f->node, node);
		return 0;
	}
	if (!f->key) {	/* this node is a key */
		json_t *k = node;

		if (json_is_string(k)) {
			f->key = xstrdup(json_string_value(k));
		} else if (json_is_integer(k)) {
			f->key = xasprintf("%lld", (long long)json_integer_value(k));
		} else if (json_is_true(k) || json_is_false(k)) {
			f->key = xstrdup(json_is_true(k) ? "true" : "false");
		} else if (json_is_null(k)) {
			f->key = xstrdup("null");
		} else if (json_is_real(k)) {
			f->key = xasprintf("%.17g", json_real_value(k));
		} else {
			json_decref(node);
			return fail_at(b, mk, "a mapping key must be a scalar");
		}
		json_decref(node);
		return 0;
	}
	int ret = 0;

	if (!strcmp(f->key, "<<") && (json_is_object(node) || json_is_array(node))) {
		size_t i;
		json_t *v;

		if (!f->merges)
			f->merges = json_array();
		if (json_is_object(node)) {
			json_array_append(f->merges, node);
		} else {
			json_array_foreach(node, i, v) {
				if (!json_is_object(v)) {
					ret = fail_at(b, mk, "a merge key '<<' takes mappings");
					break;
				}
				json_array_append(f->merges, v);
			}
		}
		json_decref(node);
	} else if (json_object_get(f->node, f->key)) {
		char *msg = xasprintf("duplicate key '%s'", f->key);

		ret = fail_at(b, mk, msg);
		free(msg);
		json_decref(node);
	} else {
		json_object_set_new(f->node, f->key, node);
	}
	free(f->key);
	f->key = NULL;
	return ret;
}

static int push(struct builder *b, json_t *node, const yaml_mark_t *mk, const char *anchor)
{
	if (b->depth == MAX_DEPTH) {
		json_decref(node);
		return fail_at(b, mk, "nested too deeply");
	}
	struct frame *f = &b->stack[b->depth++];

	memset(f, 0, sizeof(*f));
	f->node = node;
	f->anchor = anchor ? xstrdup(anchor) : NULL;
	f->start = *mk;
	set_pos(b, node, mk);
	return 0;
}

static int pop(struct builder *b)
{
	struct frame f = b->stack[--b->depth];
	int ret;

	if (f.merges) {
		apply_merges(&f);
		json_decref(f.merges);
	}
	free(f.key);
	ret = attach(b, f.node, f.anchor, &f.start);
	free(f.anchor);
	return ret;
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	const yaml_mark_t *mk = &ev->start_mark;
	json_t *node;

	if (++b->nodes > MAX_NODES)
		return fail_at(b, mk, "document too large");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node = scalar_node(ev);
		set_pos(b, node, mk);
		return attach(b, node, (const char *)ev->data.scalar.anchor, mk);
	case YAML_ALIAS_EVENT: {
		json_t *target = json_object_get(b->anchors, (const char *)ev->data.alias.anchor);

		if (!target)
			return fail_at(b, mk, "unknown alias");
		b->nodes += count_nodes(target);
		if (b->nodes > MAX_NODES)
			return fail_at(b, mk, "document too large (aliases)");
		return attach(b, srcmap_copy(b->m, target), NULL, mk);
	}
	case YAML_SEQUENCE_START_EVENT:
		return push(b, json_array(), mk, (const char *)ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return push(b, json_object(), mk, (const char *)ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop(b);
	default:
		return 0;
	}
}

static void builder_free(struct builder *b)
{
	while (b->depth > 0) {
		struct frame *f = &b->stack[--b->depth];

		json_decref(f->node);
		json_decref(f->merges);
		free(f->key);
		free(f->anchor);
	}
	json_decref(b->anchors);
	json_decref(b->root);
}

int yaml_load_buf(const char *name, const unsigned char *buf, size_t len,
		  struct srcmap *m, json_t **out)
{
	struct builder b = {.file = srcmap_intern(m, name), .m = m};
	yaml_parser_t parser;
	yaml_event_t ev;
	int ret = 0, docs = 0;
	bool done = false;

	b.anchors = json_object();
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, buf, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&parser, &ev)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "YAML syntax error: %s%s%s",
				 parser.problem ? parser.problem : "unknown",
				 parser.context ? " " : "", parser.context ? parser.context : "");
			ret = fail_at(&b, &parser.problem_mark, msg);
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
			done = true;	/* only the first document counts */
		else if (ev.type == YAML_STREAM_END_EVENT)
			done = true;
		else
			ret = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ret) {
		*out = b.root ? b.root : json_null();
		b.root = NULL;
	}
	builder_free(&b);
	return ret;
}

int yaml_load_file(const char *path, struct srcmap *m, json_t **out)
{
	FILE *fp = fopen(path, "r");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	if (!fp)
		return err_fail(errno, "cannot open '%s': %s", path, strerror(errno));
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n);
	if (ferror(fp)) {
		ret = err_fail(EIO, "cannot read '%s'", path);
	} else {
		ret = yaml_load_buf(path, buf, len, m, out);
	}
	fclose(fp);
	free(buf);
	return ret;
}
