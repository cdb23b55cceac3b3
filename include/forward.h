/* forward.h - port forwards, "PORT:PORT/tcp" or "PORT:PORT/udp": the one
 * parser of that grammar, for the loader and the link path alike. */
#ifndef CONLINK_FORWARD_H
#define CONLINK_FORWARD_H

#include <stdint.h>

struct nat_forward {
	uint16_t port_a, port_b;	/* outside port, container port */
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP */
};

/* Parse "A:B/PROTO" (ports 1..65535, PROTO tcp or udp, nothing else
 * around). 0, or -EINVAL with err_msg() saying what is wrong. */
int forward_parse(const char *s, struct nat_forward *fw);

/* IPPROTO_TCP or IPPROTO_UDP for "tcp"/"udp", else -1. */
int forward_proto(const char *name);

/* "tcp" or "udp". */
const char *forward_proto_name(uint8_t proto);

#endif
