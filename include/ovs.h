/* ovs.h - Open vSwitch bridges through Open vSwitch's own tools
 * (ovs-vsctl, ovs-ctl), executed with argv, never a shell.
 */
#ifndef CONLINK_OVS_H
#define CONLINK_OVS_H

/* Make sure the kernel datapath and the daemons are there (starting them
 * with ovs-ctl when needed). 0 or -errno with a clear err_msg(). */
int ovs_ready(void);

/* An existing bridge of that name is an error. */
int ovs_bridge_add(const char *bridge);
/* Stop the OVS daemons if ovs_ready() started them (daemon exit, after
 * its bridges are gone). */
void ovs_exit(void);
int ovs_bridge_del(const char *bridge);
int ovs_port_add(const char *bridge, const char *port);
int ovs_port_del(const char *bridge, const char *port);

#endif
