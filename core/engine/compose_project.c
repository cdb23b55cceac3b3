/* compose_project.c - find the compose project name the way docker-compose
 * 1.29 does: option, environment, .env, project directory. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose_project.h"
#include "err.h"
#include "xwrap.h"

/* NAME as compose spells a project: lowercase, every character but
 * [-_a-z0-9] dropped (1.29's rule for -p, COMPOSE_PROJECT_NAME and the
 * directory name alike); with TRIM_LEADING also leading '-' and '_' (compose
 * v2, compose-go NormalizeProjectName). Returns a malloc'd string, possibly
 * empty. */
static char *compose_project_normalize(const char *s, bool trim_leading)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		char c = *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
			if (!(trim_leading && o == out && (c == '-' || c == '_')))
				*o++ = c;
	}
	*o = 0;
	return out;
}

/* The project directory as docker-compose finds it: that of the first file
 * in COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, default ':'), else the
 * nearest of the current directory and its parents holding a compose file,
 * else the current directory. *DIR gets a malloc'd path; fails only when
 * the current directory is unknown. */
static int compose_project_dir(char **dirp)
{
	static const char *const names[] = { "docker-compose.yml", "docker-compose.yaml",
					     "compose.yml", "compose.yaml" };
	const char *files = getenv("COMPOSE_FILE");
	char *cwd = getcwd(NULL, 0), *dir;

	if (!cwd)
		return err_fail(errno, "getcwd: %s", strerror(errno));
	if (files && *files) {
		const char *sep = getenv("COMPOSE_PATH_SEPARATOR");
		char *first = xstrdup(files), *slash, *real;

		first[strcspn(first, sep && *sep ? sep : ":")] = 0;
		slash = strrchr(first, '/');
		if (slash)
			*slash = 0;
		dir = !slash ? xstrdup(cwd) : first[0] == '/' || !*first ? xstrdup(*first ? first : "/")
			: xasprintf("%s/%s", cwd, first);
		real = realpath(dir, NULL);
		free(first);
		free(cwd);
		if (real) {
			free(dir);
			dir = real;
		}
		*dirp = dir;
		return 0;
	}
	for (dir = xstrdup(cwd);;) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			bool found = !access(path, F_OK);

			free(path);
			if (found) {
				free(cwd);
				*dirp = dir;
				return 0;
			}
		}
		char *slash = strrchr(dir, '/');

		if (!slash || slash == dir)
			break;
		*slash = 0;
	}
	free(dir);
	*dirp = cwd;
	return 0;
}

/* COMPOSE_PROJECT_NAME from DIR/.env (compose reads it there too), or NULL. */
static char *env_file_project(const char *dir)
{
	char *path = xasprintf("%s/.env", dir), *line = NULL, *name = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	free(path);
	if (!f)
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		char *v = line + strspn(line, " \t");

		if (strncmp(v, "COMPOSE_PROJECT_NAME=", 21))
			continue;
		v += 21;
		v[strcspn(v, "\r\n")] = 0;
		size_t n = strlen(v);

		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = 0;
			v++;
		}
		free(name);
		name = xstrdup(v);
	}
	free(line);
	fclose(f);
	return name;
}

int compose_project_names(const char *opt, char *names[2])
{
	const char *env = getenv("COMPOSE_PROJECT_NAME");
	char *dir = NULL, *from_file = NULL;
	const char *src = opt && *opt ? opt : env && *env ? env : NULL;

	if (!src) {
		int ret = compose_project_dir(&dir);

		if (ret < 0)
			return ret;
		from_file = env_file_project(dir);
		src = from_file && *from_file ? from_file
			: strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	}
	names[0] = compose_project_normalize(src, false);
	names[1] = compose_project_normalize(src, true);
	free(from_file);
	free(dir);
	if (!*names[0]) {	/* compose's own fallback */
		free(names[0]);
		names[0] = xstrdup("default");
	}
	if (!*names[1] || !strcmp(names[0], names[1])) {
		free(names[1]);
		names[1] = NULL;
		return 1;
	}
	return 2;
}
