/* xwrap.h - applet-tier helpers that print "applet: msg" and may exit.
 * core/ never calls the exiting ones: it returns -errno (see err.h). */
#ifndef CONLINK_XWRAP_H
#define CONLINK_XWRAP_H

#include <stddef.h>

#define EXIT_USAGE 2

struct option;

/* Name of the running applet, for message prefixes ("wait: ..."), and the
 * text its --help prints; the dispatcher sets both. */
extern const char *applet_name;
extern const char *applet_usage;

/* Print "applet: msg" on stderr and remember failure for exit_status(). */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As error_msg with ": strerror(errno)" appended. */
void perror_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error_msg then exit(1). */
void error_exit(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* perror_msg then exit(1). */
void perror_exit(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Usage error: "applet: msg (see --help)", exit 2. */
void usage_exit(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Print applet_usage on stdout, exit 0. */
void help_exit(void) __attribute__((noreturn));
/* 1 when any error_msg/perror_msg was printed, else 0. */
int exit_status(void);

/* getopt_long for applets, so that every applet words usage errors alike.
 * SHORTOPTS as getopt's, without the leading '+' or ':' (both implied:
 * options end at the first non-option). Returns the option's val, or -1
 * at the end (optind then indexes the first operand). Never returns '?'
 * or ':' but exits 2 with one line:
 *   APPLET: unknown option '--foo' (see APPLET --help)
 *   APPLET: option '--timeout' needs an argument (see APPLET --help)
 *   APPLET: option '--quiet' takes no argument (see APPLET --help)
 * A separate argument "--" counts as missing. -h or --help among the
 * options (when the applet does not define them) is help_exit(). */
int xgetopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* The option xgetopt last returned, as the user wrote it ("-f", "--file"),
 * for messages about its argument. */
const char *xgetopt_name(void);

/* exec ARGV[0] the way a shell runs a command (PATH search when it has no
 * '/'). On failure print "APPLET: cannot run 'CMD': why" (why is "command
 * not found" for a name not found in PATH, else strerror) and _exit 127
 * when it was not found, 126 when it was found but cannot be run. */
void xexec(char **argv) __attribute__((noreturn));


void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
