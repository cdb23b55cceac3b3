/* ethtool.h - ethtool settings of a link, as upstream's "ethtool" strings
 * ("--offload tx off", "-K rx off gso on", ...).
 *
 * -K/--features/--offload NAME on|off... are done natively (SIOCETHTOOL
 * feature ioctls on a socket in the interface's namespace; the legacy names
 * tx, rx, sg, tso, gso, gro, lro, ... map to kernel features as ethtool
 * does). The other options ethtool_check() knows run the ethtool program
 * in the namespace (argv, never a shell), or fail clearly when it is not
 * installed; an option it does not know is refused when the config loads.
 */
#ifndef CONLINK_ETHTOOL_H
#define CONLINK_ETHTOOL_H

/* The one ethtool grammar, for the loader and the link path (ethtool_apply
 * parses with it too): an option this program knows (-K/--features/
 * --offload with feature names from the kernel's and ethtool's tables;
 * -s, -A, -C, -G, -L, --set-eee, --set-tunable with their parameters;
 * --set-priv-flags NAME on|off; -r; -N/-U, -X, --set-fec,
 * --set-phy-tunable, -W with arguments left to ethtool). 0 or -EINVAL with
 * err_msg() naming the bad word and what was expected (the caller adds
 * which setting). */
int ethtool_check(const char *setting);

/* Apply SETTING to IFNAME. SOCK is any socket made in the namespace NS
 * (fd) of IFNAME. 0 or -errno with err_msg(). */
int ethtool_apply(int sock, int ns, const char *ifname, const char *setting);

#endif
