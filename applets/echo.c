/* echo.c - echo applet: print the arguments, for images with nothing else.
 *
 * POSIX echo with busybox's and GNU's options (-n, -e, -E); upstream conlink
 * ships /utils/echo so a FROM scratch image has a command to run.
 */
const char echo_usage[] =
"Usage: echo [-neE] [ARGS...]\n"
"\n"
"Print ARGS separated by spaces, then a newline.\n"
"\n"
"  -n   no newline at the end\n"
"  -e   interpret backslash escapes: \\\\ \\a \\b \\c (print nothing more)\n"
"       \\e \\f \\n \\r \\t \\v \\0NNN (octal) \\xHH (hex)\n"
"  -E   no escapes (the default)\n"
"\n"
"Only leading arguments made of n, e and E after a '-' are options; any\n"
"other argument, and everything after it, is printed as it is. Only a\n"
"lone --help prints this text (as GNU's echo does): 'echo -h' prints -h.\n"
"Exit: 1 when writing fails.\n";

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "applet.h"

/* A leading argument is an option only when every letter is one of ours. */
static bool is_opt(const char *arg)
{
	return arg[0] == '-' && arg[1] && strspn(arg + 1, "neE") == strlen(arg + 1);
}

/* Value of up to MAX digits of BASE at *S, advancing *S past them. */
static int digits(const char **s, int base, int max)
{
	int v = 0;

	for (; max > 0; max--, (*s)++) {
		int c = **s, d;

		if (c >= '0' && c <= '7')
			d = c - '0';
		else if (base == 16 && c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v * base + d;
	}
	return v;
}

/* Print S with its escapes; false after \c (stop all output). */
static bool put_escaped(const char *s)
{
	static const char from[] = "\\abefnrtv", to[] = "\\\a\b\033\f\n\r\t\v";

	while (*s) {
		const char *e;

		if (*s != '\\' || !s[1]) {
			putchar(*s++);
			continue;
		}
		s++;
		if (*s == 'c')
			return false;
		if (*s == '0') {
			s++;
			putchar(digits(&s, 8, 3));
		} else if (*s == 'x' && s[1] && strchr("0123456789abcdefABCDEF", s[1])) {
			s++;
			putchar(digits(&s, 16, 2));
		} else if ((e = strchr(from, *s))) {
			putchar(to[e - from]);
			s++;
		} else {
			putchar('\\');	/* an unknown escape prints as written */
		}
	}
	return true;
}

int echo_main(int argc, char **argv)
{
	bool newline = true, escapes = false;
	int i = 1;

	for (; i < argc && is_opt(argv[i]); i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				newline = false;
			else
				escapes = *o == 'e';
		}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		if (!escapes)
			fputs(argv[i], stdout);
		else if (!put_escaped(argv[i])) {
			newline = false;
			break;
		}
	}
	if (newline)
		putchar('\n');
	if (fflush(stdout) || ferror(stdout))
		perror_exit("write");
	return 0;
}
