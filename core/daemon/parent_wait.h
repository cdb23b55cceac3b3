/* parent_wait.h - the parent interfaces links wait for: a *vlan's
 * outer-dev missing (ENODEV) or down (ENETDOWN). While any link waits, the
 * parent's namespace is watched (RTNLGRP_LINK, one socket, closed when no
 * link waits any more); the parent appearing or going up wakes the link's
 * retry at once rather than at its next backoff timer (up to 5 s later).
 */
#ifndef CONLINK_PARENT_WAIT_H
#define CONLINK_PARENT_WAIT_H

/* LINK (state.c's, opaque here) failed with ERR (a positive errno) for
 * want of parent NAME in namespace NS (fd): state_parent_ready(LINK) is
 * called when NAME appears or goes up. Called again for a link already
 * waiting, nothing changes. Without a watch (no socket): nothing, the
 * link's backoff timer still retries it. */
void parent_wait(void *link, int ns, const char *name, int err);
/* LINK waits no more (made, failed for good, forgotten). */
void parent_unwait(void *link);

/* Called back into the state table (state.c): LINK's parent appeared or
 * went up, its next attempt is due now. */
void state_parent_ready(void *link);

#endif
