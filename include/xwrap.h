/* xwrap.h - applet-tier helpers that print "applet: msg" and may exit.
 * core/ never calls the exiting ones: it returns -errno (see err.h). */
#ifndef CONLINK_XWRAP_H
#define CONLINK_XWRAP_H

#include <stddef.h>

#define EXIT_USAGE 2

/* Name of the running applet, for message prefixes ("wait: ..."); the
 * dispatcher sets it. */
extern const char *applet_name;

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
/* 1 when any error_msg/perror_msg was printed, else 0. */
int exit_status(void);

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
