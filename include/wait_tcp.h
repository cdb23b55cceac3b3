/* wait_tcp.h - is a TCP listener reachable at HOST:PORT? */
#ifndef CONLINK_WAIT_TCP_H
#define CONLINK_WAIT_TCP_H

/* Split "HOST:PORT" ("[v6]:PORT" too) into a malloc'd *HOST and *PORT.
 * Returns 0, or -EINVAL with a message when either part is missing or the
 * port is not a number in 1..65535. */
int tcp_target_parse(const char *arg, char **host, unsigned *port);

/* Resolve HOST and try to connect to PORT on each address, giving each
 * attempt up to TIMEOUT_MS. Resolution: numeric addresses directly, then
 * /etc/hosts read here, then getaddrinfo (DNS) - so the static binary needs
 * no NSS module for the first two. Returns 0 once a connection succeeded,
 * else -errno with the reason in err_msg(). */
int tcp_probe(const char *host, unsigned port, int timeout_ms);

#endif
