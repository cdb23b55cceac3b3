/* daemon.h - the conlink daemon: follow containers, make and undo links. */
#ifndef CONLINK_DAEMON_H
#define CONLINK_DAEMON_H

#include <jansson.h>

#include "conlink.h"

/* Run until SIGINT/SIGTERM, then undo everything made. 0 ok, -1 failure. */
int daemon_run(json_t *cfg, const struct conlink_opts *opts);
/* Before the config loads: start loading, in the background, what
 * daemon_run will need (the engine client when an engine socket is there). */
void daemon_preload(const struct conlink_opts *opts);

#endif
