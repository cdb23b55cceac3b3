/* net2dot.c - net2dot applet (not built yet). */
static const char usage[] = "Usage: net2dot ...\n(not built yet)\n";

#include "applet.h"
#include "xwrap.h"

int net2dot_main(int argc, char **argv)
{
	if (want_help(argc, argv, usage))
		return 0;
	error_exit("not built yet");
}
