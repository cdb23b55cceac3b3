/* loop.c - epoll event loop with one-shot timers (see loop.h). */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "loop.h"

struct watch {
	int fd;
	loop_fd_fn *fn;
	void *arg;
	struct watch *next;	/* in the list of all watches */
	int dead;		/* removed during dispatch: freed after it */
};

struct loop_timer {
	int64_t due;
	loop_timer_fn *fn;
	void *arg;
	struct loop_timer *next;	/* sorted by due */
};

static int epfd = -1;
static int running;
static struct watch *watches;
static struct loop_timer *timers;

int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_init(void)
{
	if (epfd >= 0)
		return 0;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? err_fail(errno, "epoll_create1") : 0;
}

static struct watch *find_watch(int fd)
{
	for (struct watch *w = watches; w; w = w->next)
		if (w->fd == fd && !w->dead)
			return w;
	return NULL;
}

int loop_add_fd(int fd, uint32_t events, loop_fd_fn *fn, void *arg)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = {.events = events};

	if (!w)
		return err_fail(ENOMEM, "loop_add_fd");
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	ev.data.ptr = w;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int e = errno;

		free(w);
		return err_fail(e, "epoll_ctl add fd %d", fd);
	}
	w->next = watches;
	watches = w;
	return 0;
}

int loop_mod_fd(int fd, uint32_t events)
{
	struct watch *w = find_watch(fd);
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (!w)
		return err_fail(ENOENT, "fd %d is not watched", fd);
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev))
		return err_fail(errno, "epoll_ctl mod fd %d", fd);
	return 0;
}

void loop_del_fd(int fd)
{
	struct watch *w = find_watch(fd);

	if (!w)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	w->dead = 1;	/* an event for it may still be in this round's batch */
}

static void reap_dead_watches(void)
{
	struct watch **pp = &watches;

	while (*pp) {
		struct watch *w = *pp;

		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

struct loop_timer *loop_timer_add(long ms, loop_timer_fn *fn, void *arg)
{
	struct loop_timer *t = calloc(1, sizeof(*t)), **pp = &timers;

	if (!t)
		return NULL;
	t->due = loop_now_ms() + (ms > 0 ? ms : 0);
	t->fn = fn;
	t->arg = arg;
	while (*pp && (*pp)->due <= t->due)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	return t;
}

int64_t loop_timer_due(const struct loop_timer *t)
{
	return t ? t->due : loop_now_ms();
}

void loop_timer_cancel(struct loop_timer *t)
{
	for (struct loop_timer **pp = &timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			free(t);
			return;
		}
}

static void fire_due_timers(void)
{
	int64_t now = loop_now_ms();

	while (running && timers && timers->due <= now) {
		struct loop_timer *t = timers;

		timers = t->next;
		t->fn(t->arg);
		free(t);
	}
}

int loop_run(void)
{
	struct epoll_event evs[32];

	running = 1;
	while (running) {
		int timeout = -1, n;

		if (timers) {
			int64_t d = timers->due - loop_now_ms();

			timeout = d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
		}
		n = epoll_wait(epfd, evs, 32, timeout);
		if (n < 0 && errno != EINTR)
			return err_fail(errno, "epoll_wait");
		for (int i = 0; i < n && running; i++) {
			struct watch *w = evs[i].data.ptr;

			if (!w->dead)
				w->fn(w->fd, evs[i].events, w->arg);
		}
		reap_dead_watches();
		fire_due_timers();
	}
	return 0;
}

void loop_stop(void)
{
	running = 0;
}

void loop_free(void)
{
	while (timers) {
		struct loop_timer *t = timers;

		timers = t->next;
		free(t);
	}
	for (struct watch *w = watches; w; w = w->next)
		w->dead = 1;
	reap_dead_watches();
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
}
