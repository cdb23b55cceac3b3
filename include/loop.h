/* loop.h - the daemon's one event loop: fds (epoll), one-shot timers.
 *
 * Everything the daemon waits on goes through here: signals (signalfd),
 * inotify, engine sockets (curl multi), command output pipes, retry timers.
 * Callbacks may add or remove fds and timers, including their own.
 */
#ifndef CONLINK_LOOP_H
#define CONLINK_LOOP_H

#include <stdint.h>

typedef void loop_fd_fn(int fd, uint32_t events, void *arg);
typedef void loop_timer_fn(void *arg);

struct loop_timer;

/* Set up the loop. 0 or -errno. */
int loop_init(void);
/* Watch FD for EVENTS (EPOLLIN, EPOLLOUT). 0 or -errno. */
int loop_add_fd(int fd, uint32_t events, loop_fd_fn *fn, void *arg);
/* Change the events watched on FD. 0 or -errno. */
int loop_mod_fd(int fd, uint32_t events);
/* Stop watching FD (the caller still owns and closes it). */
void loop_del_fd(int fd);
/* Call FN(ARG) once after MS milliseconds. NULL only when out of memory.
 * A fired timer is freed by the loop: forget the pointer in FN. */
struct loop_timer *loop_timer_add(long ms, loop_timer_fn *fn, void *arg);
/* When T fires, in loop_now_ms() time (NULL: now). */
int64_t loop_timer_due(const struct loop_timer *t);
/* Cancel a timer that has not fired yet (NULL is fine). */
void loop_timer_cancel(struct loop_timer *t);
/* Dispatch until loop_stop(). 0, or -errno when epoll fails. */
int loop_run(void);
void loop_stop(void);
/* Milliseconds of CLOCK_MONOTONIC, for timeouts and measurements. */
int64_t loop_now_ms(void);
/* Release the loop's resources (after loop_run returned). */
void loop_free(void);

#endif
