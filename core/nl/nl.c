/* nl.c - netlink over libmnl: sockets in a namespace, talk, dump, batch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "netns.h"
#include "nl.h"

/* Dumps send up to 32 KiB per datagram; this takes them whole. */
#define NL_RECV_SIZE 32768

int nl_open(struct nl *nl, int bus, int ns)
{
	int saved, ret;

	memset(nl, 0, sizeof(*nl));
	ret = netns_enter(ns, &saved);
	if (ret < 0)
		return ret;
	nl->sk = mnl_socket_open2(bus, SOCK_CLOEXEC);
	int e = errno;

	netns_leave(saved);
	if (!nl->sk)
		return err_fail(e, "cannot open netlink socket");
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return err_fail(e, "cannot bind netlink socket");
	}
	/* A kernel that never answers must not hang the daemon. */
	struct timeval tv = { .tv_sec = 5 };

	setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	int one = 1;

	/* Extended acks carry the kernel's reason; we only need the errno, but
	 * capped acks keep replies small in big batches. */
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL) << 8;
	nl->bus = bus;
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

struct nlmsghdr *nl_msg(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

/* The one receive loop: pass replies to CB until the ack (or DONE). */
static int nl_run(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
		  const char *what)
{
	char buf[NL_RECV_SIZE];
	uint32_t seq = req->nlmsg_seq = ++nl->seq;
	int ret;

	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return err_fail(errno, "%s: send: %s", what, strerror(errno));
	do {
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));

		if (n < 0)
			return err_fail(errno, "%s: %s", what, strerror(errno));
		ret = mnl_cb_run(buf, n, seq, nl->portid, cb, data);
	} while (ret > 0);
	if (ret < 0)
		return err_fail(errno, "%s: %s", what, strerror(errno));
	return 0;
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what)
{
	req->nlmsg_flags |= NLM_F_ACK;
	return nl_run(nl, req, cb, data, what);
}

int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what)
{
	req->nlmsg_flags |= NLM_F_DUMP;
	return nl_run(nl, req, cb, data, what);
}

void nl_batch_init(struct nl_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void nl_batch_free(struct nl_batch *b)
{
	free(b->buf);
	free(b->steps);
	nl_batch_init(b);
}

void nl_batch_overflow(struct nl_batch *b)
{
	b->overflow = true;
}

/* Close the open message (its length is final once the next starts). */
static void batch_close_last(struct nl_batch *b)
{
	if (b->open) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(b->buf + b->len);

		b->len += MNL_ALIGN(nlh->nlmsg_len);
		b->open = false;
	}
}

void *nl_batch_space(struct nl_batch *b)
{
	batch_close_last(b);
	if (b->cap - b->len < NL_MSG_MAX) {
		size_t cap = b->cap ? b->cap * 2 : 4 * NL_MSG_MAX;
		char *p = realloc(b->buf, cap);

		if (!p) {
			b->overflow = true;
			return NULL;
		}
		b->buf = p;
		b->cap = cap;
	}
	return b->buf + b->len;
}

uint32_t nl_batch_next_seq(struct nl_batch *b)
{
	return b->seq0 + b->n + 1;
}

void nl_batch_commit(struct nl_batch *b, bool ack, const char *what)
{
	if (b->n == b->cap_steps) {
		unsigned int cap = b->cap_steps ? b->cap_steps * 2 : 16;
		struct nl_batch_step *s = realloc(b->steps, cap * sizeof(*s));

		if (!s) {
			b->overflow = true;
			return;
		}
		b->steps = s;
		b->cap_steps = cap;
	}
	struct nl_batch_step *s = &b->steps[b->n++];

	memset(s, 0, sizeof(*s));
	s->seq = b->seq0 + b->n;
	s->ack = ack;
	snprintf(s->what, sizeof(s->what), "%s", what);
	/* the message stays open at b->len until the next space/run */
	b->open = true;
}

struct nlmsghdr *nl_batch_add(struct nl_batch *b, uint16_t type, uint16_t flags,
			      const char *what)
{
	void *space = nl_batch_space(b);

	if (!space)
		return NULL;
	struct nlmsghdr *nlh = nl_msg(space, type, flags);

	nlh->nlmsg_seq = nl_batch_next_seq(b);
	nl_batch_commit(b, flags & NLM_F_ACK, what);
	return nlh;
}

static struct nl_batch_step *batch_step(struct nl_batch *b, uint32_t seq)
{
	if (seq <= b->seq0 || seq > b->seq0 + b->n)
		return NULL;
	return &b->steps[seq - b->seq0 - 1];
}

int nl_batch_run(struct nl *nl, struct nl_batch *b)
{
	char buf[NL_RECV_SIZE];
	unsigned int pending = 0, i;
	int ret = 0;

	if (b->overflow) {
		ret = err_fail(EMSGSIZE, "netlink batch: message too large");
		goto out;
	}
	if (!b->n)
		goto out;
	batch_close_last(b);
	/* Sequence numbers were given relative to seq0 = 0 while building;
	 * shift them onto this socket's sequence space now. */
	uint32_t base = nl->seq;

	for (size_t off = 0; off < b->len;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(b->buf + off);

		nlh->nlmsg_seq += base;
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	for (i = 0; i < b->n; i++) {
		b->steps[i].seq += base;
		pending += b->steps[i].ack;
	}
	b->seq0 += base;
	nl->seq += b->n;
	if (mnl_socket_sendto(nl->sk, b->buf, b->len) < 0) {
		ret = err_fail(errno, "netlink batch send: %s", strerror(errno));
		goto out;
	}
	while (pending) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));

		if (n < 0) {
			ret = err_fail(errno, "netlink batch: %s", strerror(errno));
			goto out;
		}
		int len = (int)n;

		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			struct nl_batch_step *s = batch_step(b, nlh->nlmsg_seq);

			if (!s || s->done)
				continue;
			s->done = true;
			s->err = -e->error;
			if (s->ack)
				pending--;
		}
	}
	for (i = 0; i < b->n; i++)
		if (b->steps[i].err) {
			ret = err_fail(b->steps[i].err, "%s: %s", b->steps[i].what,
				       strerror(b->steps[i].err));
			break;
		}
out:
	free(b->buf);
	free(b->steps);
	nl_batch_init(b);
	return ret;
}
