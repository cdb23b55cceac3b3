/* container.h - what a container source (netns dir, Docker, Podman) tells
 * the daemon, and what the daemon asks of a source.
 *
 * A source watches its containers and calls state_container_up() when one
 * appears (also for those already running at startup) and
 * state_container_down() when it goes. The daemon copies what it needs.
 */
#ifndef CONLINK_CONTAINER_H
#define CONLINK_CONTAINER_H

#include <sys/types.h>
#include <jansson.h>

struct source;

struct container {
	const char *id;		/* engine id; the namespace name for netns */
	const char *name;	/* container name */
	const char *service;	/* compose service, or NULL */
	const char *project;	/* compose project, or NULL */
	int index;		/* compose replica number, 1 when not a replica */
	pid_t pid;		/* a process inside it (engines), 0 for netns */
	/* with PID, which process it is (a same-id restart has another):
	 * its start time, clock ticks after boot (/proc/PID/stat field 22) */
	unsigned long long start_time;
	const char *netns_path;	/* its network namespace: /proc/PID/ns/net or DIR/NAME */
	const struct source *src;
};

/* Called when one command has ended: STATUS as from waitpid (or the
 * engine's exit code << 8), or -errno when it could not be started. */
typedef void command_done_fn(void *arg, int status);

struct source {
	const char *name;	/* "netns", "docker", "podman": for log lines */
	/* Run CMD (a JSON string: sh -c; a list: argv) inside container C,
	 * logging each output line as "NAME: line"; DONE is called once.
	 * 0, or -errno with err_msg(). */
	int (*run_command)(const struct source *src, const struct container *c,
			   const json_t *cmd, command_done_fn *done, void *arg);
	void *priv;
};

/* Implemented by the daemon's state table (core/daemon/state.c); called
 * by sources. */
void state_container_up(const struct container *c);
void state_container_down(const struct source *src, const char *id);

#endif
