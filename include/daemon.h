/* daemon.h - the conlink daemon: follow containers, make and undo links. */
#ifndef CONLINK_DAEMON_H
#define CONLINK_DAEMON_H

#include <jansson.h>

#include "conlink.h"

/* Run until SIGINT/SIGTERM, then undo everything made. 0 ok, -1 failure. */
int daemon_run(json_t *cfg, const struct conlink_opts *opts);

#endif
