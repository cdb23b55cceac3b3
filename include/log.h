/* log.h - daemon-style logging on stderr with upstream's prefixes.
 *
 * log_error "ERROR: ...", log_warn "WARNING: ...", log_info plain (always),
 * log_verbose only with -v (VERBOSE set), log_debug only with -vv.
 */
#ifndef CONLINK_LOG_H
#define CONLINK_LOG_H

/* 0 quiet-ish (info, warn, error), 1 verbose, 2 debug. */
extern int log_level;

/* Set log_level from VERBOSE in the environment: the one reading of it for
 * every applet. Unset, empty, "0" or "false" is 0; a number above 1 is taken
 * as is; any other value is 1. (conlink's -v adds to it.) */
void log_init_from_env(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
