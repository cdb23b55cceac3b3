/* container_commands.h - run a config entry's "commands" in a container,
 * once its links are made, and log how each ended. */
#ifndef CONLINK_CONTAINER_COMMANDS_H
#define CONLINK_CONTAINER_COMMANDS_H

#include <jansson.h>

#include "container.h"

/* Start each command of CMDS (an array of strings, lists or objects with
 * "command") in C through its source's run_command, without waiting. Each
 * is logged as "Exec command in NAME: ..."; one that cannot start, or ends
 * with a non-zero status or a signal, is logged with NAME. */
void container_run_commands(const struct container *c, const json_t *cmds);

/* Forget the commands still running (daemon exit, after the sources
 * stopped them without reporting their end). */
void container_commands_free(void);

#endif
