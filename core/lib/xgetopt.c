/* xgetopt.c - getopt_long with one wording for every applet's usage errors. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "xwrap.h"

static char name[64];

/* Remember the option being looked at in WORD (argv[optind] before the
 * call: with '+' getopt never permutes): "--name" up to any '=', else the
 * short option C. */
static void set_name(const char *word, int c)
{
	if (word && word[0] == '-' && word[1] == '-' && word[2])
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(word, "="), word);
	else
		snprintf(name, sizeof(name), "-%c", c);
}

int xgetopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	static const struct option none[] = { { 0 } };
	char opts[64];
	const char *word = optind < argc ? argv[optind] : NULL;
	int c;

	snprintf(opts, sizeof(opts), "+:%s", shortopts);
	opterr = 0;
	optarg = NULL;	/* musl leaves it as it was for options without one */
	c = getopt_long(argc, argv, opts, longopts ? longopts : none, NULL);
	if (c == -1)
		return -1;
	set_name(word, c == '?' || c == ':' ? optopt : c);
	if (c == '?') {
		if (!strcmp(name, "-h") || !strcmp(name, "--help"))
			help_exit();
		/* a known long option (optopt is its val) given "=ARG" */
		if (optopt && name[1] == '-')
			usage_exit("option '%s' takes no argument", name);
		usage_exit("unknown option '%s'", name);
	}
	if (c == ':' || (optarg && optarg == argv[optind - 1] && !strcmp(optarg, "--")))
		usage_exit("option '%s' needs an argument", name);
	return c;
}

const char *xgetopt_name(void)
{
	return name;
}
