/* ovs.h - Open vSwitch bridges through Open vSwitch's own tools
 * (ovs-vsctl, ovs-ctl), executed with argv, never a shell. Each run is
 * bounded (a deadline, and the stop fd) and what is made carries
 * external_ids:conlink-instance=INSTANCE.
 */
#ifndef CONLINK_OVS_H
#define CONLINK_OVS_H

/* INSTANCE marks what is made from now on (kept, not copied); STOP_FD
 * (the daemon's signalfd, or -1) readable ends a run at once. */
void ovs_setup(const char *instance, int stop_fd);

/* Make sure the switch answers, starting the daemons with ovs-ctl when it
 * does not (the kernel datapath is checked first then). 0 or -errno with a
 * clear err_msg(). */
int ovs_ready(void);

/* Make BRIDGE with our mark. One of the same name with our mark (a
 * previous life's) is adopted, its ports with our mark removed; one
 * without it is an error (-EEXIST). */
int ovs_bridge_add(const char *bridge);
/* Stop the OVS daemons if ovs_ready() started them (daemon exit, after
 * its bridges are gone). */
void ovs_exit(void);
/* PORT on BRIDGE, with our mark. */
int ovs_port_add(const char *bridge, const char *port);
/* The deletes below (undo steps) are skipped, once a run timed out (the
 * switch is hung; said once in the log) until one answers again, and
 * while a signal waits for the loop. ovs_bridge_del removes BRIDGE only
 * when ovs_bridge_add made or adopted it (never another's). */
int ovs_bridge_del(const char *bridge);
int ovs_port_del(const char *bridge, const char *port);

#endif
