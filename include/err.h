/* err.h - how core/ reports failure: return -errno, leave a message.
 *
 * core functions never print or exit. On failure they call err_fail(), which
 * formats the message into a per-thread buffer and returns -errnum, so
 *     return err_fail(ENODEV, "no such interface '%s'", name);
 * and the caller (an applet, or the daemon's logger) shows err_msg().
 */
#ifndef CONLINK_ERR_H
#define CONLINK_ERR_H

/* Record a message and return -errnum (errnum > 0). */
int err_fail(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message: "context: previous message". Returns ret. */
int err_wrap(int ret, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last message recorded on this thread ("" when none). */
const char *err_msg(void);

#endif
