/* control_client.h - the client end of a conlink daemon's control socket
 * (docs/architecture.md, "Live state"): where it is, and one request. */
#ifndef CONLINK_CONTROL_CLIENT_H
#define CONLINK_CONTROL_CLIENT_H

#include <stdio.h>

#define CONTROL_DIR "/run/conlink"

/* The socket `conlink ctl` talks to when no --control is given:
 * CONTROL_DIR/INSTANCE.sock with an instance, else the only *.sock in
 * CONTROL_DIR. Malloc'd; NULL with err_msg() naming what to give when
 * there is none or several. */
char *control_default_path(const char *instance);

/* Connect to PATH and send LINE (one JSON request, no newline); the
 * answer is read from the returned stream. NULL with err_msg() ("cannot
 * reach conlink at PATH: ..."). */
FILE *control_send(const char *path, const char *line);

/* control_send of {"cmd": CMD}, CMD one of the daemon's fixed words. */
FILE *control_request(const char *path, const char *cmd);

#endif
