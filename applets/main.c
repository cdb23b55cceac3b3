/* main.c - multi-call dispatch: basename(argv[0]), then the first argument.
 *
 * "conlink wait -i eth0" runs wait; a symlink named wait runs wait; plain
 * "conlink" (or upstream's entry path /app/build/conlink.js) runs the daemon.
 * "-h" or "--help" as an applet's first argument prints its usage here.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applet.h"
#include "xwrap.h"

#ifdef STATIC_BUILD
/* The multi-call binary's own, where there is no daemon to answer --help. */
static const char usage[] =
"Usage: conlink APPLET [ARGS...]   (or a symlink named APPLET)\n"
"   or: conlink --list             the applets, one per line\n"
"   or: conlink --install DIR      a symlink per applet in DIR\n"
"\n"
"Applets:\n";
#endif

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage;
};

#define APPLET(name, main, usage, where) IF_##where({name, main, usage},)
static const struct applet applets[] = {
#include "../applets/applets.def"
};
#undef APPLET

#define N_APPLETS (sizeof(applets) / sizeof(applets[0]))

/* A few applets: a linear scan is as fast as a bsearch and needs no sort check. */
static const struct applet *find_applet(const char *name)
{
	for (size_t i = 0; i < N_APPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

static void list_applets(FILE *out)
{
	for (size_t i = 0; i < N_APPLETS; i++)
		fprintf(out, "%s\n", applets[i].name);
}

/* --install DIR: a symlink per applet pointing at this binary. */
static int install_links(const char *dir)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		perror_exit("readlink /proc/self/exe");
	self[n] = 0;
	if (mkdir(dir, 0755) && errno != EEXIST)
		perror_exit("mkdir '%s'", dir);
	for (size_t i = 0; i < N_APPLETS; i++) {
		char *path = xasprintf("%s/%s", dir, applets[i].name);

		if (strcmp(path, self)) {
			unlink(path);
			if (symlink(self, path))
				perror_msg("symlink '%s'", path);
		}
		free(path);
	}
	return exit_status();
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

/* echo prints its arguments, -h included: only a lone --help is a question
 * to it (GNU echo's rule), so a script echoing user text never gets usage. */
static bool asks_help(const struct applet *a, int argc, char **argv)
{
	if (strcmp(a->name, "echo"))
		return argc > 1 && is_help(argv[1]);
	return argc == 2 && !strcmp(argv[1], "--help");
}

static int run(const struct applet *a, int argc, char **argv)
{
	applet_name = a->name;
	applet_usage = a->usage;
	if (asks_help(a, argc, argv))
		help_exit();
	return a->main(argc, argv);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? base_name(argv[0]) : "conlink";
	const struct applet *a = find_applet(name);

#ifndef STATIC_BUILD
	/* Installed in a CNI plugin directory (as "conlink", or under any
	 * other type name): a runtime execs it with CNI_COMMAND set and no
	 * arguments. */
	if (argc == 1 && getenv("CNI_COMMAND") && (!a || !strcmp(name, "conlink")))
		return run(find_applet("cni"), argc, argv);
#endif
	if (a && strcmp(name, "conlink"))
		return run(a, argc, argv);

	/* Invoked as the multi-call binary itself (conlink, conlink.js, ...). */
	if (argc > 1) {
		if (!strcmp(argv[1], "--list")) {
			list_applets(stdout);
			return 0;
		}
		if (!strcmp(argv[1], "--install")) {
			if (argc != 3)
				usage_exit("--install needs one DIR");
			return install_links(argv[2]);
		}
		if ((a = find_applet(argv[1])))
			return run(a, argc - 1, argv + 1);
	}
#ifndef STATIC_BUILD
	/* Options go to the daemon; a bare word is a mistyped applet name. */
	if ((!strcmp(name, "conlink") || !strcmp(name, "conlink.js")) &&
	    (argc < 2 || argv[1][0] == '-'))
		return run(find_applet("conlink"), argc, argv);
#else
	if (argc > 1 && is_help(argv[1])) {
		fputs(usage, stdout);
		list_applets(stdout);
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-')
		usage_exit("unknown option '%s'", argv[1]);
#endif
	if (argc > 1 && argv[1][0] != '-')
		name = argv[1];
	fprintf(stderr, "conlink: unknown applet '%s'; applets are:\n", name);
	list_applets(stderr);
	return EXIT_USAGE;
}
