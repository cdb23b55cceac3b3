/* metrics.h - Prometheus text exposition at http://ADDR:PORT/metrics,
 * served by libmicrohttpd driven from the daemon's loop (its epoll fd is
 * one more fd there: no thread). Per link: state (one gauge per state,
 * 1 for the current), carrier, rx/tx bytes, packets and drops (the same
 * numbers as status.h's), heals; totals: links expected, made, failed,
 * retrying, pending, drifted, heals, events. Labels: project, service,
 * replica, container, dev, bridge (and link).
 *
 * Bounded: 16 connections, 10 s idle timeout, 64 KiB of memory each for
 * the request; a response is built whole and written as the client reads.
 */
#ifndef CONLINK_METRICS_H
#define CONLINK_METRICS_H

/* Listen on ADDR:PORT ("127.0.0.1:9100", "[::1]:9100", ":9100" for every
 * address). 0 or -errno with err_msg(). */
int metrics_start(const char *addr_port);
void metrics_stop(void);

#endif
