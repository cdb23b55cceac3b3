/* ethtool_wait.c - ethtool programs watched on the loop (see ethtool_wait.h).
 *
 * A killed program is not waited for: it goes on a list of its own whose
 * pidfds the loop watches, and is reaped when it has died (a process in an
 * uninterruptible sleep dies late; the daemon never blocks on that).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "err.h"
#include "ethtool_wait.h"
#include "loop.h"

struct ethtool_wait {
	struct ethtool_child *kids;	/* still running */
	struct loop_timer *timeout;
	long timeout_ms;
	ethtool_wait_fn *done;
	void *arg;
};

static struct ethtool_child *killed;	/* killed, not reaped yet */

/* Reaped, or not dead yet (0). */
static int reaped(const struct ethtool_child *ch, int *status)
{
	return waitpid(ch->pid, status, WNOHANG) != 0;
}

static void on_killed_exit(int fd, uint32_t events, void *arg)
{
	struct ethtool_child *ch = arg;
	int status;

	if (!reaped(ch, &status))
		return;
	loop_del_fd(ch->pidfd);
	for (struct ethtool_child **pp = &killed; *pp; pp = &(*pp)->next)
		if (*pp == ch) {
			*pp = ch->next;
			break;
		}
	ethtool_child_free(ch);
}

/* Kill CH and hand it to the reaper. */
static void kill_one(struct ethtool_child *ch)
{
	int status;

	ethtool_child_kill(ch);
	loop_del_fd(ch->pidfd);
	if (reaped(ch, &status) || loop_add_fd(ch->pidfd, EPOLLIN, on_killed_exit, ch) < 0) {
		/* gone already, or no way to watch: leave it to whoever inherits it */
		ethtool_child_free(ch);
		return;
	}
	ch->next = killed;
	killed = ch;
}

void ethtool_kill(struct ethtool_child *kids)
{
	while (kids) {
		struct ethtool_child *ch = kids;

		kids = ch->next;
		kill_one(ch);
	}
}

/* Kill what W still watches, free W. */
static void wait_free(struct ethtool_wait *w)
{
	loop_timer_cancel(w->timeout);
	ethtool_kill(w->kids);
	free(w);
}

static void finish(struct ethtool_wait *w, int ret)
{
	ethtool_wait_fn *done = w->done;
	void *arg = w->arg;
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", err_msg());
	wait_free(w);
	if (ret < 0)
		err_fail(-ret, "%s", msg);	/* killing the others may have left one */
	done(arg, ret);
}

static void on_exit_fd(int fd, uint32_t events, void *arg)
{
	struct ethtool_wait *w = arg;
	struct ethtool_child **pp, *ch;
	int status, ret;

	for (pp = &w->kids; *pp && (*pp)->pidfd != fd; pp = &(*pp)->next)
		;
	if (!(ch = *pp) || !reaped(ch, &status))
		return;		/* spurious: not a zombie yet */
	*pp = ch->next;
	loop_del_fd(fd);
	ret = ethtool_child_result(ch, status);
	ethtool_child_free(ch);
	if (ret < 0 || !w->kids)
		finish(w, ret);
}

static void on_timeout(void *arg)
{
	struct ethtool_wait *w = arg;

	w->timeout = NULL;
	finish(w, err_fail(ETIMEDOUT, "%s: no exit after %ld s, killed", w->kids->what,
			   w->timeout_ms / 1000));
}

struct ethtool_wait *ethtool_wait(struct ethtool_child *kids, long timeout_ms,
				  ethtool_wait_fn *done, void *arg)
{
	struct ethtool_wait *w = calloc(1, sizeof(*w));

	if (!w || !(w->timeout = loop_timer_add(timeout_ms, on_timeout, w))) {
		free(w);
		ethtool_kill(kids);
		err_fail(ENOMEM, "ethtool: out of memory");
		return NULL;
	}
	w->kids = kids;
	w->timeout_ms = timeout_ms;
	w->done = done;
	w->arg = arg;
	for (struct ethtool_child *ch = kids; ch; ch = ch->next)
		if (loop_add_fd(ch->pidfd, EPOLLIN, on_exit_fd, w) < 0) {
			err_wrap(-1, "%s: cannot watch it", ch->what);
			wait_free(w);
			return NULL;
		}
	return w;
}

void ethtool_wait_cancel(struct ethtool_wait *w)
{
	if (w)
		wait_free(w);
}

void ethtool_wait_exit(void)
{
	while (killed) {
		struct ethtool_child *ch = killed;

		killed = ch->next;
		loop_del_fd(ch->pidfd);
		ethtool_child_free(ch);
	}
}
