/* forward.c - the "PORT:PORT/tcp|udp" grammar of a link's forward. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "err.h"
#include "forward.h"

int forward_proto(const char *name)
{
	return !strcmp(name, "tcp") ? IPPROTO_TCP : !strcmp(name, "udp") ? IPPROTO_UDP : -1;
}

const char *forward_proto_name(uint8_t proto)
{
	return proto == IPPROTO_UDP ? "udp" : "tcp";
}

/* A port 1..65535 of digits only at *S, followed by SEP; moves *S past it. */
static long port(const char **s, char sep)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)**s))
		return -1;
	n = strtol(*s, &end, 10);
	if (*end != sep || n < 1 || n > 65535)
		return -1;
	*s = end + 1;
	return n;
}

int forward_parse(const char *s, struct nat_forward *fw)
{
	const char *p = s;
	long a = port(&p, ':'), b = a < 0 ? -1 : port(&p, '/');
	int proto = b < 0 ? -1 : forward_proto(p);

	if (b < 0)
		return err_fail(EINVAL, "'%s': expected PORT:PORT/PROTO with ports 1..65535", s);
	if (proto < 0)
		return err_fail(EINVAL, "'%s': the protocol must be tcp or udp", s);
	fw->port_a = a;
	fw->port_b = b;
	fw->proto = proto;
	return 0;
}
