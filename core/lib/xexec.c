/* xexec.c - exec a command, or end as a shell would (127, 126). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xwrap.h"

void xexec(char **argv)
{
	int e;

	fflush(NULL);
	execvp(argv[0], argv);
	e = errno;
	/* sh: "not found" only for what was looked up in PATH */
	fprintf(stderr, "%s: cannot run '%s': %s\n", applet_name, argv[0],
		e == ENOENT && !strchr(argv[0], '/') ? "command not found" : strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}
