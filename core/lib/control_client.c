/* control_client.c - find a conlink daemon's control socket and send it one
 * request (control_client.h). The protocol is one JSON line each way
 * (core/daemon/control.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control_client.h"
#include "err.h"
#include "xwrap.h"

/* The only socket in CONTROL_DIR: a default that finds a daemon whatever
 * its instance name. */
static char *only_socket(void)
{
	DIR *d = opendir(CONTROL_DIR);
	struct dirent *e;
	char *found = NULL;
	int n = 0;

	if (!d) {
		err_fail(ENOENT, "no control socket in %s (is conlink running? give --control)",
			 CONTROL_DIR);
		return NULL;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len > 5 && !strcmp(e->d_name + len - 5, ".sock") && !n++)
			found = xasprintf("%s/%s", CONTROL_DIR, e->d_name);
	}
	closedir(d);
	if (n == 1)
		return found;
	free(found);
	err_fail(ENOENT, "%s control sockets in %s: give --control or --instance",
		 n ? "several" : "no", CONTROL_DIR);
	return NULL;
}

char *control_default_path(const char *instance)
{
	return instance ? xasprintf(CONTROL_DIR "/%s.sock", instance) : only_socket();
}

FILE *control_send(const char *path, const char *line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;
	FILE *f;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		err_fail(ENAMETOOLONG, "control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    dprintf(fd, "%s\n", line) < 0 || !(f = fdopen(fd, "r"))) {
		e = errno;
		if (fd >= 0)
			close(fd);
		err_fail(e, "cannot reach conlink at %s: %s", path, strerror(e));
		return NULL;
	}
	return f;
}

FILE *control_request(const char *path, const char *cmd)
{
	char line[64];

	snprintf(line, sizeof(line), "{\"cmd\": \"%s\"}", cmd);
	return control_send(path, line);
}
