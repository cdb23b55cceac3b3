/* engine_identity.h - which container instance a PID is: an engine's
 * inspect names a container's PID, but a container restarted under the
 * same id has a new process (and namespace), and a PID freed by a dead
 * container can be given to another process before its namespace is
 * opened. A process is told apart by its PID and its start time
 * (/proc/PID/stat field 22, clock ticks after boot).
 */
#ifndef CONLINK_ENGINE_IDENTITY_H
#define CONLINK_ENGINE_IDENTITY_H

#include <sys/types.h>

/* How much later than the engine's StartedAt a container's process may
 * seem to have started: the engine records StartedAt after the runtime
 * started the process, so it is normally earlier, but the two are read on
 * the wall clock at different times, and a clock stepped forward since
 * (NTP) makes the process look later by the step. Generous: the precise
 * check is against the time the inspect was asked (boot clock). */
#define ENGINE_START_SLACK_S 60

/* Now, in clock ticks after boot (the unit of a process start time). */
unsigned long long engine_boot_ticks(void);

/* The start time of PID (clock ticks after boot). 0, or -errno (-ESRCH:
 * no such process). */
int engine_pid_start_time(pid_t pid, unsigned long long *ticks);

/* Check that PID is the process of a container whose inspect was asked at
 * ASKED (engine_boot_ticks()) and said it started at STARTED (seconds since
 * the epoch; 0 when unknown), and that it still runs once its network
 * namespace was opened (a pidfd held from before the first look to after
 * it). A process started after the inspect was asked is not the one the
 * answer meant (its PID was freed and reused, or the container restarted
 * and its start event follows), nor is one started well after STARTED.
 * Fills *TICKS (its start time) and *NETNS_INO. 0, or -errno with
 * err_msg(): -ESRCH gone, -ESTALE the PID belongs to a later process. */
int engine_pid_check(pid_t pid, unsigned long long asked, double started,
		     unsigned long long *ticks, unsigned long *netns_ino);

/* An inspect's State.StartedAt (RFC 3339, "2024-05-01T10:00:00.123Z" or
 * with an offset) in seconds since the epoch; 0 when absent or not a time
 * (Docker says 0001-01-01T00:00:00Z for never). */
double engine_parse_time(const char *s);

#endif
