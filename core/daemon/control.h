/* control.h - the control socket: a unix stream socket (mode 0600) served
 * on the daemon's loop, one JSON request per connection, one line:
 *
 *   {"cmd": "status"}   one JSON line back (status.h), then closed
 *   {"cmd": "events"}   JSON lines (events_log.h) until the client goes
 *   {"cmd": "netem", "link": L, "netem": OPTIONS}   netem of L changed in
 *                       place ("" removes it; impair.h)
 *   {"cmd": "link", "link": L, "up": BOOL}   L taken down / up on purpose
 *                       both answered {"ok": true, ...} or {"error": MSG}
 *
 * Nothing on it can hold the loop: sockets are non-blocking, a request
 * is at most 4 KiB and must come within 5 s, at most 32 clients, and a
 * client is dropped when its unread output passes 1 MiB (a subscriber
 * that stopped reading) or when it takes no byte of it for 5 s.
 */
#ifndef CONLINK_CONTROL_H
#define CONLINK_CONTROL_H

/* Listen on PATH (its directory made 0700 when missing). A socket there
 * that another process answers on is left alone (-EADDRINUSE); a stale
 * one is replaced. 0 or -errno with err_msg(). */
int control_start(const char *path);

/* Close every client and the socket, and remove PATH if it is still ours. */
void control_stop(void);

/* Clients subscribed to events. */
int control_subscribers(void);

/* Queue LINE (no newline: added) to every subscriber. */
void control_broadcast(const char *line);

#endif
