/* sources.h - how the daemon starts and stops the container engine
 * sources (Docker, Podman) beside the netns source, and the compose
 * context they match services in.
 *
 * core/daemon/daemon.c holds weak defaults that have no engine: the engine module
 * replaces them by defining engine_sources_start/stop in a file of its own
 * (a strong definition wins at link time; nothing else changes).
 */
#ifndef CONLINK_SOURCES_H
#define CONLINK_SOURCES_H

#include "conlink.h"

/* Start every engine source the options ask for (called unless
 * --no-engine), after bridges and tunnels exist and before the loop runs;
 * containers already running are reported through state_container_up().
 * 0, or -errno with err_msg() when no engine could be used. */
int engine_sources_start(const struct conlink_opts *opts);
/* Stop them and free (daemon exit); nothing more is reported. */
void engine_sources_stop(void);
/* Times an engine's event stream was live again after it dropped (status,
 * metrics). */
long engine_stream_reconnects(void);

/* The compose project service links match (NULL: any). The daemon starts
 * with --compose-project; an engine source that finds conlink's own compose
 * labels sets it here. A container with no project (netns) always matches. */
void daemon_set_compose_project(const char *project);

/* Hold the startup summary while a source reports a batch of containers
 * (its listing at start or after a reconnect), so "All links connected"
 * does not fire after the first replica of a service. */
void daemon_summary_hold(int hold);

#endif
