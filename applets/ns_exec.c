/* ns_exec.c - ns-exec applet (not built yet). */
static const char usage[] = "Usage: ns-exec ...\n(not built yet)\n";

#include "applet.h"
#include "xwrap.h"

int ns_exec_main(int argc, char **argv)
{
	if (want_help(argc, argv, usage))
		return 0;
	error_exit("not built yet");
}
