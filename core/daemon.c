/* daemon.c - the daemon core (not built yet). */
#include "daemon.h"
#include "xwrap.h"

int daemon_run(json_t *cfg, const struct conlink_opts *opts)
{
	(void)cfg;
	(void)opts;
	error_msg("the daemon is not built yet");
	return -1;
}
