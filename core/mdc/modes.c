/* modes.c - mdc's mode graph: loading mode directories and parsing deps files. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirnames.h"
#include "err.h"
#include "modes.h"
#include "xwrap.h"

static void dep_add(struct mode_dep **deps, size_t *ndeps, enum mode_dep_kind kind,
		    char **names, size_t n)
{
	*deps = xrealloc(*deps, (*ndeps + 1) * sizeof(**deps));
	(*deps)[(*ndeps)++] = (struct mode_dep){ .kind = kind, .n = n, .names = names };
}

/* One token: "a", "+a" or "a|b|...". LINE is for messages. */
static int parse_token(const char *tok, int line, struct mode_dep **deps, size_t *ndeps)
{
	char **names = NULL;
	size_t n = 0;

	if (tok[0] == '+') {
		if (!tok[1])
			return err_fail(EINVAL, "line %d: '+' without a mode name", line);
		if (strchr(tok, '|'))
			return err_fail(EINVAL, "line %d: '%s': an order-only '+' dependency "
					"cannot have '|' alternatives", line, tok);
		names = xmalloc(sizeof(*names));
		names[0] = xstrdup(tok + 1);
		dep_add(deps, ndeps, MODE_DEP_AFTER, names, 1);
		return 0;
	}
	if (!strchr(tok, '|')) {
		names = xmalloc(sizeof(*names));
		names[0] = xstrdup(tok);
		dep_add(deps, ndeps, MODE_DEP_REQUIRE, names, 1);
		return 0;
	}
	for (const char *p = tok; *p;) {
		size_t len = strcspn(p, "|");

		if (len) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = strndup(p, len);
			if (!names[n - 1])
				abort();
		}
		p += len + (p[len] == '|');
	}
	if (!n)
		return err_fail(EINVAL, "line %d: '%s' names no mode", line, tok);
	dep_add(deps, ndeps, MODE_DEP_ANY, names, n);
	return 0;
}

int mode_deps_parse(const char *text, struct mode_dep **deps, size_t *ndeps)
{
	const char *sep = " \t\r\n\v\f,";
	const char *p = text;
	int line = 1;

	*deps = NULL;
	*ndeps = 0;
	while (*p) {
		if (*p == '\n')
			line++;
		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (strchr(sep, *p)) {
			p++;
			continue;
		}
		/* A '#' ends a token too: "a#comment" is the mode a. */
		size_t len = strcspn(p, " \t\r\n\v\f,#");
		char *tok = strndup(p, len);
		int ret;

		if (!tok)
			abort();
		ret = parse_token(tok, line, deps, ndeps);
		free(tok);
		if (ret < 0) {
			mode_deps_free(*deps, *ndeps);
			*deps = NULL;
			*ndeps = 0;
			return ret;
		}
		p += len;
	}
	return 0;
}

void mode_deps_free(struct mode_dep *deps, size_t ndeps)
{
	for (size_t i = 0; i < ndeps; i++) {
		for (size_t j = 0; j < deps[i].n; j++)
			free(deps[i].names[j]);
		free(deps[i].names);
	}
	free(deps);
}

ssize_t mode_graph_find(const struct mode_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].name, name))
			return i;
	return -1;
}

static struct mode *mode_add(struct mode_graph *g, const char *name)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	g->v[g->n] = (struct mode){ .name = xstrdup(name) };
	return &g->v[g->n++];
}

size_t mode_graph_get(struct mode_graph *g, const char *name)
{
	ssize_t i = mode_graph_find(g, name);

	if (i >= 0)
		return i;
	mode_add(g, name);
	return g->n - 1;
}

/* Read a whole small file into a NUL-terminated buffer; *text NULL when it
 * does not exist. */
static int read_text(const char *path, char **text)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd;

	*text = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_fail(errno, "cannot open '%s'", path);
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - len - 1);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			free(buf);
			return err_fail(e, "cannot read '%s'", path);
		}
		if (!r)
			break;
		len += r;
		if (cap - len < 2)
			buf = xrealloc(buf, cap *= 2);
	}
	close(fd);
	buf[len] = 0;
	*text = buf;
	return 0;
}

/* Load one mode directory DIR/NAME (skipping what is not a directory). */
static int load_mode(struct mode_graph *g, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *deps_path, *text;
	struct mode_dep *deps;
	size_t ndeps;
	struct stat st;
	ssize_t dup;
	struct mode *m;
	int ret;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(path);
		return 0;
	}
	dup = mode_graph_find(g, name);
	if (dup >= 0) {
		ret = err_fail(EEXIST, "mode '%s' appears in multiple places: %s, %s",
			       name, g->v[dup].path, path);
		free(path);
		return ret;
	}
	deps_path = xasprintf("%s/deps", path);
	ret = read_text(deps_path, &text);
	if (!ret && text) {
		ret = mode_deps_parse(text, &deps, &ndeps);
		if (ret < 0)
			err_wrap(ret, "%s", deps_path);
	} else {
		deps = NULL;
		ndeps = 0;
	}
	free(deps_path);
	if (ret < 0) {
		free(text);
		free(path);
		return ret;
	}
	m = mode_add(g, name);
	m->path = path;
	m->dep_str = text ? text : xstrdup("");
	m->deps = deps;
	m->ndeps = ndeps;
	return 0;
}

static int load_dir(struct mode_graph *g, const char *dir)
{
	char **names;
	size_t n;
	int ret;

	/* Sorted, so the graph (and any message) does not depend on readdir order. */
	ret = dir_names_sorted(dir, &names, &n);
	if (ret < 0)
		return err_fail(-ret, "cannot read modes directory '%s'", dir);
	for (size_t i = 0; i < n && !ret; i++)
		ret = load_mode(g, dir, names[i]);
	dir_names_free(names, n);
	return ret;
}

int mode_graph_load(struct mode_graph *g, const char *dirs)
{
	const char *p = dirs;

	while (*p) {
		size_t len = strcspn(p, ":");

		if (len) {
			char *dir = strndup(p, len);
			int ret;

			if (!dir)
				abort();
			/* "modes/" and "modes" give the same paths: modes/NAME */
			while (len > 1 && dir[len - 1] == '/')
				dir[--len] = 0;
			ret = load_dir(g, dir);
			free(dir);
			if (ret < 0)
				return ret;
		}
		p += len + (p[len] == ':');
	}
	return 0;
}

void mode_graph_free(struct mode_graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].name);
		free(g->v[i].path);
		free(g->v[i].dep_str);
		mode_deps_free(g->v[i].deps, g->v[i].ndeps);
	}
	free(g->v);
	*g = (struct mode_graph){ 0 };
}
