/* source_netns.h - the engine-free container source: named network
 * namespaces in a directory (--netns-dir, e.g. /var/run/netns).
 *
 * Each namespace file DIR/NAME is a container NAME; NAME of the form S_N
 * (N a number) is also replica N of service S. Appear and go come from
 * inotify; files already there at start are reported as appearing.
 * Commands run inside the namespace (command.h).
 */
#ifndef CONLINK_SOURCE_NETNS_H
#define CONLINK_SOURCE_NETNS_H

/* Watch DIR and report its namespaces to the daemon (those present now
 * before returning). 0, or -errno with err_msg(). */
int source_netns_start(const char *dir);

/* Stop watching and free (daemon exit). Nothing is reported. */
void source_netns_stop(void);

#endif
