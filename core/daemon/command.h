/* command.h - run a command inside a network namespace, each output line
 * logged as "NAME: line" from the daemon's loop (the netns source's way to
 * run a container's commands; engines exec through their API instead).
 */
#ifndef CONLINK_COMMAND_H
#define CONLINK_COMMAND_H

#include <jansson.h>

#include "container.h"

/* Start CMD (a JSON string: /bin/sh -c STRING; a list of strings: exec'd
 * as is) in the network namespace at NETNS_PATH. Its stdout and stderr are
 * logged prefixed with NAME; DONE(ARG, status) is called once when it
 * exits (status as from waitpid). 0, or -errno with err_msg(). */
int command_start(const char *netns_path, const char *name, const json_t *cmd,
		  command_done_fn *done, void *arg);

/* Stop the commands started under NAME (their container went away):
 * SIGTERM to each one's process group now, SIGKILL after a grace (2 s)
 * if it is still there, without waiting; DONE is called as they end. */
void command_stop(const char *name);

/* SIGTERM every command still running, all at once, wait one grace (2 s)
 * for them all, SIGKILL the rest, reap them and free their state (daemon
 * exit). Their DONE is not called. */
void command_stop_all(void);

#endif
