/* nl.h - libmnl netlink sockets bound to a namespace; one request/ack talk,
 * one dump, and a batch that sends many requests at once.
 *
 * A socket lives in the namespace it was made in (nl_open enters NS just
 * for socket()+bind()), so one socket serves one namespace.
 *
 * Batching: requests are appended to one buffer and sent with one
 * sendmsg(); the acks are then collected and matched by sequence number, so
 * N steps cost one round trip instead of N. rtnetlink runs every message of
 * a batch even when an earlier one fails; nl_batch_run reports the first
 * failure (naming its step).
 */
#ifndef CONLINK_NL_H
#define CONLINK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Room every message may use (attributes are checked against it); big
 * enough for netem's two distribution tables, delay and slot, of tc's
 * usual 4096 x 16 bit each. */
#define NL_MSG_MAX 24576

struct nl {
	struct mnl_socket *sk;
	unsigned int portid;
	uint32_t seq;
	int bus;
};

/* Open a NETLINK_* BUS socket inside namespace NS (-1: the current one).
 * 0 or -errno with err_msg(). */
int nl_open(struct nl *nl, int bus, int ns);
void nl_close(struct nl *nl);
/* The socket's fd: also good for ioctl()s (SIOCETHTOOL) in its namespace. */
int nl_fd(const struct nl *nl);

/* Start a request in BUF (NL_MSG_MAX bytes): header with TYPE and
 * NLM_F_REQUEST|FLAGS; the family header is the caller's
 * (mnl_nlmsg_put_extra_header). */
struct nlmsghdr *nl_msg(void *buf, uint16_t type, uint16_t flags);

/* Send REQ (NLM_F_ACK is added), pass each reply to CB (may be NULL) and
 * wait for the ack. 0 or -errno (err_msg() set to "WHAT: strerror"). */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what);

/* Send a dump request (NLM_F_DUMP added) and pass each entry to CB. */
int nl_dump(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what);

struct nl_batch_step {
	uint32_t seq;
	bool ack;		/* NLM_F_ACK set: one reply expected */
	bool done;
	int err;
	char what[80];
};

struct nl_batch {
	char *buf;
	size_t len, cap;	/* len: end of the closed messages */
	bool open;		/* a message is being built at len */
	struct nl_batch_step *steps;
	unsigned int n, cap_steps;
	uint32_t seq0;
	bool overflow;
};

void nl_batch_init(struct nl_batch *b);
void nl_batch_free(struct nl_batch *b);

/* Append a request: header with TYPE, NLM_F_REQUEST|FLAGS (pass NLM_F_ACK
 * to have it acked), the next sequence number. Fill it before the next add;
 * attribute adds must be checked against NL_MSG_MAX (mnl_attr_put_*_check)
 * and a failure reported with nl_batch_overflow(). WHAT names the step in
 * messages. */
struct nlmsghdr *nl_batch_add(struct nl_batch *b, uint16_t type, uint16_t flags,
			      const char *what);

/* For builders that write their own header (libnftnl): room for the next
 * message, its sequence number, then nl_batch_commit() once it is built. */
void *nl_batch_space(struct nl_batch *b);
uint32_t nl_batch_next_seq(struct nl_batch *b);
void nl_batch_commit(struct nl_batch *b, bool ack, const char *what);

/* Mark the batch as too big for a message (an attribute did not fit). */
void nl_batch_overflow(struct nl_batch *b);

/* Send all and collect every ack. 0, or the first failure as -errno with
 * err_msg() "WHAT: strerror". The batch is emptied either way. */
int nl_batch_run(struct nl *nl, struct nl_batch *b);

#endif
