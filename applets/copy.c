/* copy.c - copy applet (not built yet). */
static const char usage[] = "Usage: copy ...\n(not built yet)\n";

#include "applet.h"
#include "xwrap.h"

int copy_main(int argc, char **argv)
{
	if (want_help(argc, argv, usage))
		return 0;
	error_exit("not built yet");
}
