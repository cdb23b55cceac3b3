/* mdc.c - mdc applet: compose modes with dependency resolution.
 *
 * Upstream: conlink's mdc script with resolve-deps (Viasat/resolve-deps).
 */
const char mdc_usage[] =
"Usage: mdc MODES [COMPOSE_ARGS...]\n"
"   or: mdc --resolve [--format nodes|paths|json] MODES...\n"
"\n"
"Compose modes: resolve MODES (comma-separated names; \"a|b\" at least one\n"
"of, \"+a\" order only) against the mode directories, write ENV_FILE, rebuild\n"
"MDC_FILES_DIR from the modes' SUBDIR/files/ trees, and with COMPOSE_ARGS run\n"
"DOCKER_COMPOSE --env-file ENV_FILE COMPOSE_ARGS...\n"
"ENV_FILE is never more readable than the env files it holds: it is 0644\n"
"less every group or other bit one of them lacks (a 0600 env file makes it\n"
"0600), set before any content is written, anew on every run.\n"
"\n"
"  --resolve        print the resolved modes, in order, and change nothing\n"
"  --format FMT     nodes (names, space separated; the default), paths\n"
"                   (NAME=PATH per line) or json\n"
"\n"
"Environment: MODES_DIR (./modes; a colon-separated list), ENV_FILE (.env),\n"
"MDC_FILES_DIR (./.files), DOCKER_COMPOSE (\"docker compose\" when that\n"
"works, else docker-compose), VERBOSE (say what is done; not when 0/false).\n";

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "applet.h"
#include "dirnames.h"
#include "err.h"
#include "fsutil.h"
#include "log.h"
#include "modes.h"
#include "xwrap.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static void vsay(const char *line)
{
	if (log_level)
		fprintf(stderr, "%s\n", line);
}

static void copy_report(void *ctx, const char *line)
{
	vsay(line);
}

/* --- --resolve output ------------------------------------------------- */

static json_t *dep_json(const struct mode_dep *d)
{
	json_t *o, *a;

	switch (d->kind) {
	case MODE_DEP_REQUIRE:
		return json_string(d->names[0]);
	case MODE_DEP_AFTER:
		o = json_object();
		json_object_set_new(o, "after", json_string(d->names[0]));
		return o;
	default:
		a = json_array();
		for (size_t i = 0; i < d->n; i++)
			json_array_append_new(a, json_string(d->names[i]));
		o = json_object();
		json_object_set_new(o, "or", a);
		return o;
	}
}

static void print_resolution(const struct mode_graph *g, const size_t *order,
			     size_t n, const char *format)
{
	if (!strcmp(format, "nodes")) {
		for (size_t i = 0; i < n; i++)
			printf("%s%s", i ? " " : "", g->v[order[i]].name);
		printf("\n");
	} else if (!strcmp(format, "paths")) {
		for (size_t i = 0; i < n; i++)
			printf("%s=%s\n", g->v[order[i]].name,
			       g->v[order[i]].path ? g->v[order[i]].path : "");
	} else {
		json_t *list = json_array();
		char *s;

		for (size_t i = 0; i < n; i++) {
			const struct mode *m = &g->v[order[i]];
			json_t *o = json_object(), *deps = json_array();

			json_object_set_new(o, "node", json_string(m->name));
			if (m->path) {
				json_object_set_new(o, "path", json_string(m->path));
				json_object_set_new(o, "dep-str", json_string(m->dep_str));
			}
			for (size_t k = 0; k < m->ndeps; k++)
				json_array_append_new(deps, dep_json(&m->deps[k]));
			json_object_set_new(o, "deps", deps);
			json_array_append_new(list, o);
		}
		s = json_dumps(list, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(list);
	}
}

/* --- the .env file ---------------------------------------------------- */

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Append the file PATH to OUT, ending it with a newline; its permission
 * bits (of the file read, a symlink followed) are returned. */
static mode_t append_file(FILE *out, const char *path)
{
	char buf[8192];
	size_t r;
	int last = '\n';
	struct stat st;
	FILE *in = fopen(path, "r");

	if (!in)
		perror_exit("cannot read '%s'", path);
	if (fstat(fileno(in), &st))
		perror_exit("cannot stat '%s'", path);
	while ((r = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, r, out);
		last = buf[r - 1];
	}
	if (ferror(in))
		perror_exit("cannot read '%s'", path);
	fclose(in);
	if (last != '\n')
		fputc('\n', out);
	return st.st_mode & 0777;
}

/* "MDC_MODE_" + NAME with every non-alphanumeric turned into '_'. */
static void put_mode_var(FILE *out, const char *name)
{
	fputs("MDC_MODE_", out);
	for (const char *p = name; *p; p++)
		fputc((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') ? *p : '_', out);
	fputs("=enabled\n", out);
}

/* The absolute directory holding ENV_FILE. */
static char *env_dir(const char *env_file)
{
	char *copy = xstrdup(env_file), *abs = realpath(dirname(copy), NULL);

	if (!abs)
		perror_exit("cannot resolve the directory of '%s'", env_file);
	free(copy);
	return abs;
}

/* .compose-empty.yaml comes first in COMPOSE_FILE: every mode's relative
 * paths then resolve from its directory. It declares the version of the
 * first mode compose file (in order) that has one ("3.9", the spec's, when none does):
 * docker-compose 1.x reads a version-less file with an empty services map as
 * version 1 and refuses to merge it with the others. */
static void write_compose_empty(char **compose_files, size_t n)
{
	char *version = NULL, *line = NULL, *text;
	size_t cap = 0;
	int ret;

	for (size_t i = 0; i < n && !version; i++) {
		FILE *f = fopen(compose_files[i], "r");

		while (f && !version && getline(&line, &cap, f) > 0) {
			if (strncmp(line, "version:", 8))
				continue;
			line[strcspn(line, "\r\n")] = 0;
			char *v = line + 8 + strspn(line + 8, " \t");

			if (*v)
				version = xstrdup(v);
		}
		if (f)
			fclose(f);
	}
	free(line);
	text = xasprintf("version: %s\nservices: {}\n", version ? version : "\"3.9\"");
	ret = write_file_atomic("./.compose-empty.yaml", text, strlen(text), 0644);
	free(text);
	free(version);
	if (ret < 0)
		error_exit("%s", err_msg());
}

static void write_env(const struct mode_graph *g, const size_t *order, size_t n,
		      const char *env_file, int argc, char **argv)
{
	static const char *const compose_names[] = {
		"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
	};
	char *buf = NULL, *dir, **compose_files = NULL;
	size_t len = 0, ncompose = 0;
	/* ENV_FILE holds what every env file holds: it is 0644 less each group
	 * or other bit one of them lacks (its owner can always read and write
	 * it), so a 0600 env file makes it 0600. */
	mode_t env_mode = 0644;
	FILE *out = open_memstream(&buf, &len);
	bool first;
	int ret;

	if (!out)
		perror_exit("open_memstream");
	/* The command line, on one comment line whatever the arguments hold. */
	fputs("# mdc", out);
	for (int i = 1; i < argc; i++) {
		fputc(' ', out);
		for (const char *p = argv[i]; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
	}
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		const struct mode *m = &g->v[order[i]];
		static const char *const env_names[] = { "env", ".env" };

		if (!m->path)
			continue;
		for (size_t k = 0; k < 2; k++) {
			char *ef = xasprintf("%s/%s", m->path, env_names[k]);

			if (is_file(ef)) {
				fprintf(out, "### mdc begin mode %s (%s)\n", m->name, ef);
				put_mode_var(out, m->name);
				env_mode &= append_file(out, ef) | S_IRUSR | S_IWUSR;
				fprintf(out, "### mdc end mode %s (%s)\n", m->name, ef);
			}
			free(ef);
		}
	}
	fputs("COMPOSE_FILE=./.compose-empty.yaml", out);
	for (size_t i = 0; i < n; i++) {
		const struct mode *m = &g->v[order[i]];

		for (size_t k = 0; m->path && k < 4; k++) {
			char *cf = xasprintf("%s/%s", m->path, compose_names[k]);
			bool found = is_file(cf);

			if (found)
				fprintf(out, ":%s", cf);
			if (found) {
				compose_files = xrealloc(compose_files,
							 (ncompose + 1) * sizeof(*compose_files));
				compose_files[ncompose++] = cf;
			} else {
				free(cf);
			}
			if (found)
				break;
		}
	}
	dir = env_dir(env_file);
	fprintf(out, "\nCOMPOSE_DIR=%s\nCOMPOSE_PROFILES=", dir);
	free(dir);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%sMODE_%s", i ? "," : "", g->v[order[i]].name);
	fputs("\nMDC_MODE_DIRS=\"", out);
	first = true;
	for (size_t i = 0; i < n; i++) {
		if (!g->v[order[i]].path)
			continue;
		fprintf(out, "%s%s", first ? "" : ",", g->v[order[i]].path);
		first = false;
	}
	fputs("\"\n", out);
	if (fclose(out))
		perror_exit("open_memstream");
	if (log_level)
		fprintf(stderr, "ENV_FILE: %s\n%s", env_file, buf);
	ret = write_file_atomic(env_file, buf, len, env_mode);
	free(buf);
	if (ret < 0)
		error_exit("%s", err_msg());
	write_compose_empty(compose_files, ncompose);
	for (size_t i = 0; i < ncompose; i++)
		free(compose_files[i]);
	free(compose_files);
}

/* --- MDC_FILES_DIR ---------------------------------------------------- */

/* Refuse a files dir whose removal would take the working or root dir. */
static void check_files_dir(const char *dir)
{
	char *copy = xstrdup(dir);
	size_t len = strlen(copy);
	const char *base;

	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = 0;
	base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
	if (!*copy || !strcmp(copy, "/") || !strcmp(base, ".") || !strcmp(base, ".."))
		error_exit("MDC_FILES_DIR must not be '.' or '/' (is '%s')", dir);
	free(copy);
}

static void mkdir_p(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) && errno != EEXIST)
			perror_exit("cannot create directory '%s'", p);
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		perror_exit("cannot create directory '%s'", p);
	free(p);
}

/* Copy each MODE/SUBDIR/files/ tree onto FILES_DIR/SUBDIR/. */
static void overlay_mode_files(const struct mode *m, const char *files_dir)
{
	char **names;
	size_t n;
	int ret = dir_names_sorted(m->path, &names, &n);

	if (ret < 0)
		error_exit("cannot read mode directory '%s': %s", m->path, strerror(-ret));
	for (size_t i = 0; i < n; i++) {
		char *src = xasprintf("%s/%s/files", m->path, names[i]);

		if (is_dir(src)) {
			char *dst = xasprintf("%s/%s", files_dir, names[i]);

			if (log_level)
				fprintf(stderr, "copy %s/ -> %s/\n", src, dst);
			if (copy_tree(src, dst, 0, copy_report, NULL) < 0)
				error_exit("%s", err_msg());
			free(dst);
		}
		free(src);
	}
	dir_names_free(names, n);
}

static void rebuild_files(const struct mode_graph *g, const size_t *order, size_t n,
			  const char *files_dir)
{
	check_files_dir(files_dir);
	if (log_level)
		fprintf(stderr, "Removing %s\n", files_dir);
	if (remove_tree(files_dir) < 0)
		error_exit("%s", err_msg());
	mkdir_p(files_dir);
	for (size_t i = 0; i < n; i++)
		if (g->v[order[i]].path)
			overlay_mode_files(&g->v[order[i]], files_dir);
}

/* --- running compose -------------------------------------------------- */

/* Does `docker compose version` succeed? */
static bool docker_compose_works(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (!pid) {
		int fd = open("/dev/null", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("docker", "docker", "compose", "version", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void __attribute__((noreturn)) exec_compose(const char *env_file, int nargs, char **args)
{
	const char *dc = getenv("DOCKER_COMPOSE");
	char *words, **argv = NULL;
	size_t n = 0;

	if (!dc || !*dc)
		dc = docker_compose_works() ? "docker compose" : "docker-compose";
	/* Split into words on blanks: never through a shell. */
	words = xstrdup(dc);
	for (char *s = strtok(words, " \t"); s; s = strtok(NULL, " \t")) {
		argv = xrealloc(argv, (n + 1) * sizeof(*argv));
		argv[n++] = s;
	}
	if (!n)
		usage_exit("DOCKER_COMPOSE is empty");
	argv = xrealloc(argv, (n + 3 + nargs) * sizeof(*argv));
	argv[n++] = "--env-file";
	argv[n++] = (char *)env_file;
	for (int i = 0; i < nargs; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (log_level) {
		fputs("Running:", stderr);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	xexec(argv);
}

/* --- main ------------------------------------------------------------- */

static void load_and_resolve(struct mode_graph *g, const char *request,
			     size_t **order, size_t *n)
{
	if (mode_graph_load(g, env_or("MODES_DIR", "./modes")) < 0 ||
	    mode_graph_resolve(g, request, order, n) < 0)
		error_exit("%s", err_msg());
	if (!*n)
		usage_exit("no modes in '%s'", request);
}

static int resolve_main(const char *request, const char *format)
{
	struct mode_graph g = { 0 };
	size_t *order, n;

	if (!*request)
		usage_exit("no MODES given");
	load_and_resolve(&g, request, &order, &n);
	print_resolution(&g, order, n, format);
	free(order);
	mode_graph_free(&g);
	return 0;
}

static const struct option long_opts[] = {
	{ "resolve", no_argument, NULL, 'r' },
	{ "format", required_argument, NULL, 'F' },
	{ 0 }
};

/* Several MODES arguments join as one list, as resolve-deps does. */
static void add_modes(char **request, const char *more)
{
	char *r = xasprintf("%s%s%s", *request, **request ? "," : "", more);

	free(*request);
	*request = r;
}

int mdc_main(int argc, char **argv)
{
	struct mode_graph g = { 0 };
	const char *env_file, *files_dir, *format = NULL;
	char *request = xstrdup("");
	bool resolve = false;
	size_t *order, n;
	int c, ret;

	/* After MODES come compose's arguments, options too; but --resolve
	 * takes its options among its MODES (--resolve a --format json). */
	while ((c = xgetopt(argc, argv, "", long_opts)) != -1 ||
	       (resolve && optind < argc && strcmp(argv[optind - 1], "--"))) {
		if (c == 'r')
			resolve = true;
		else if (c == 'F')
			format = optarg;
		else
			add_modes(&request, argv[optind++]);
	}
	if (format && !resolve)
		usage_exit("--format needs --resolve");
	if (format && strcmp(format, "nodes") && strcmp(format, "paths") &&
	    strcmp(format, "json"))
		usage_exit("--format '%s': expected nodes, paths or json", format);
	if (resolve) {
		while (optind < argc)
			add_modes(&request, argv[optind++]);
		ret = resolve_main(request, format ? format : "nodes");
		free(request);
		return ret;
	}
	free(request);
	if (optind >= argc || !*argv[optind])
		usage_exit("no MODES given");
	log_init_from_env();
	env_file = env_or("ENV_FILE", ".env");
	files_dir = env_or("MDC_FILES_DIR", "./.files");
	check_files_dir(files_dir);
	load_and_resolve(&g, argv[optind], &order, &n);

	fputs("MODES:", stderr);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %s", g.v[order[i]].name);
	fputc('\n', stderr);

	rebuild_files(&g, order, n, files_dir);
	write_env(&g, order, n, env_file, argc, argv);
	free(order);
	mode_graph_free(&g);
	if (argc > optind + 1)
		exec_compose(env_file, argc - optind - 1, argv + optind + 1);
	return 0;
}
