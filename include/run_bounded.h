/* run_bounded.h - run a program by argv and wait for it, never longer
 * than a deadline and never past a "stop" fd becoming readable (the
 * daemon's signalfd): for the few programs conlink runs (ovs-vsctl,
 * ovs-ctl), which may hang.
 */
#ifndef CONLINK_RUN_BOUNDED_H
#define CONLINK_RUN_BOUNDED_H

#include <stddef.h>

struct run_bounded {
	long deadline_ms;	/* SIGKILL to its process group after this */
	int stop_fd;		/* -1, or an fd whose readability means stop now */
	char *out;		/* its stdout (NUL-terminated, cut to outlen - 1), or NULL */
	size_t outlen;
	char *err;		/* the first line of its stderr, or NULL */
	size_t errlen;
	long ran_ms;		/* set: how long it ran */
};

/* Run ARGV (PATH searched) in its own process group, stdin /dev/null,
 * signals unblocked. Its exit status (0..255; 127 when it could not be
 * run, 128 + N when killed by signal N); -ETIMEDOUT when it outlived the
 * deadline, -EINTR when STOP_FD became readable (both: its group was
 * SIGKILLed and it is reaped); -errno when it could not be started. The
 * caller words the message. */
int run_bounded(char *const argv[], struct run_bounded *r);

#endif
