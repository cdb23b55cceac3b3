/* wait_tcp.c - resolve HOST and probe a TCP port with a bounded connect. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "wait_tcp.h"

#define MAX_ADDRS 16

struct addr_list {
	struct sockaddr_storage sa[MAX_ADDRS];
	socklen_t len[MAX_ADDRS];
	int n;
};

int tcp_target_parse(const char *arg, char **host, unsigned *port)
{
	const char *colon = strrchr(arg, ':');
	const char *h = arg;
	size_t hlen;
	char *end;
	unsigned long p;

	if (!colon || colon == arg || !colon[1])
		return err_fail(EINVAL, "expected HOST:PORT, got '%s'", arg);
	hlen = colon - arg;
	if (h[0] == '[' && hlen > 2 && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (*end || errno || p < 1 || p > 65535)
		return err_fail(EINVAL, "bad port in '%s' (expected 1..65535)", arg);
	*host = strndup(h, hlen);
	if (!*host)
		return err_fail(ENOMEM, "out of memory");
	*port = p;
	return 0;
}

static void add_addr(struct addr_list *l, int family, const void *addr,
		     unsigned port)
{
	struct sockaddr_storage *ss = &l->sa[l->n];

	if (l->n >= MAX_ADDRS)
		return;
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, sizeof(s4->sin_addr));
		l->len[l->n++] = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, sizeof(s6->sin6_addr));
		l->len[l->n++] = sizeof(*s6);
	}
}

/* A numeric address: 1 when STR parsed as IPv4 or IPv6. */
static int add_numeric(struct addr_list *l, const char *str, unsigned port)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, str, buf) == 1)
		add_addr(l, AF_INET, buf, port);
	else if (inet_pton(AF_INET6, str, buf) == 1)
		add_addr(l, AF_INET6, buf, port);
	else
		return 0;
	return 1;
}

/* Every address /etc/hosts gives HOST (names compare case-insensitively). */
static void add_from_hosts(struct addr_list *l, const char *host, unsigned port)
{
	FILE *f = fopen("/etc/hosts", "re");
	char line[1024];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save, *addr, *name;

		line[strcspn(line, "#\n")] = 0;
		addr = strtok_r(line, " \t", &save);
		if (!addr)
			continue;
		while ((name = strtok_r(NULL, " \t", &save)))
			if (!strcasecmp(name, host)) {
				add_numeric(l, addr, port);
				break;
			}
	}
	fclose(f);
}

static int add_from_resolver(struct addr_list *l, const char *host, unsigned port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int e = getaddrinfo(host, NULL, &hints, &res);

	if (e)
		return err_fail(EHOSTUNREACH, "cannot resolve '%s': %s", host,
				gai_strerror(e));
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			add_addr(l, AF_INET,
				 &((struct sockaddr_in *)ai->ai_addr)->sin_addr, port);
		else if (ai->ai_family == AF_INET6)
			add_addr(l, AF_INET6,
				 &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, port);
	}
	freeaddrinfo(res);
	return 0;
}

/* One connect attempt bounded by TIMEOUT_MS; 0 or -errno. */
static int try_connect(const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int ret = 0, soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (fd < 0)
		return -errno;
	if (connect(fd, sa, len) && errno != EINPROGRESS) {
		ret = -errno;
	} else {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int n = poll(&p, 1, timeout_ms);

		if (n == 0)
			ret = -ETIMEDOUT;
		else if (n < 0)
			ret = -errno;
		else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) || soerr)
			ret = -(soerr ? soerr : errno);
	}
	close(fd);
	return ret;
}

int tcp_probe(const char *host, unsigned port, int timeout_ms)
{
	struct addr_list l = { .n = 0 };
	int ret = -EHOSTUNREACH;

	if (!add_numeric(&l, host, port)) {
		add_from_hosts(&l, host, port);
		if (!l.n && (ret = add_from_resolver(&l, host, port)))
			return ret;
	}
	if (!l.n)
		return err_fail(EHOSTUNREACH, "no address for '%s'", host);
	for (int i = 0; i < l.n; i++) {
		ret = try_connect((struct sockaddr *)&l.sa[i], l.len[i], timeout_ms);
		if (!ret)
			return 0;
	}
	return err_fail(-ret, "%s", strerror(-ret));
}
