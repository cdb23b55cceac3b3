/* run_bounded.c - run a program, bounded by a deadline and a stop fd
 * (see run_bounded.h).
 *
 * The exit is watched through a pidfd in one poll() with the output pipes
 * and the stop fd, so a hung child costs at most the deadline and a
 * SIGTERM to the daemon (its signalfd readable) ends the wait at once.
 * Output is read as it comes: a child never blocks on a full pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_bounded.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
child(char *const argv[], int out, int err)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	setpgid(0, 0);		/* its own group: a kill ends its children too */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* the daemon blocks SIGTERM */
	signal(SIGPIPE, SIG_DFL);
	dup2(null, 0);
	dup2(out >= 0 ? out : null, 1);
	dup2(err >= 0 ? err : null, 2);
	/* ovs-ctl start leaves daemons running: they must not hold the
	 * daemon's fds (or a test runner's output pipe) */
	syscall(SYS_close_range, 3, ~0U, 0);	/* musl has no wrapper */
	execvp(argv[0], argv);
	_exit(127);
}

/* Append what FD has to BUF (LEN bytes, kept NUL-terminated), dropping
 * what does not fit. -1 at EOF (FD closed), else 0. */
static int drain(int *fd, char *buf, size_t len, size_t *used)
{
	char sink[512];

	for (;;) {
		size_t room = buf && *used + 1 < len ? len - 1 - *used : 0;
		ssize_t n = room ? read(*fd, buf + *used, room) : read(*fd, sink, sizeof(sink));

		if (n > 0) {
			if (room) {
				*used += n;
				buf[*used] = 0;
			}
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		close(*fd);
		*fd = -1;
		return -1;
	}
}

/* SIGKILL PID's group and reap PID. */
static void kill_reap(pid_t pid)
{
	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int run_bounded(char *const argv[], struct run_bounded *r)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, pidfd, status, ret;
	size_t oused = 0, eused = 0;
	long start = now_ms(), end = start + r->deadline_ms;
	pid_t pid;

	if (r->out && r->outlen)
		r->out[0] = 0;
	if (r->err && r->errlen)
		r->err[0] = 0;
	if (pipe2(po, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(pe, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = -errno;
		if (po[0] >= 0) {
			close(po[0]);
			close(po[1]);
		}
		return ret;
	}
	pid = fork();
	if (pid == 0)
		child(argv, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		ret = -errno;
		close(po[0]);
		close(pe[0]);
		return ret;
	}
	setpgid(pid, pid);	/* before the child got there: kill(-pid) works */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		struct pollfd p[4];
		int n = 0, io = -1, ie = -1, is = -1;
		long left = end - now_ms();

		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (left <= 0) {
			kill_reap(pid);
			ret = -ETIMEDOUT;
			goto out;
		}
		if (pidfd >= 0)	/* readable once it ended: the waitpid above reaps it */
			p[n++] = (struct pollfd){.fd = pidfd, .events = POLLIN};
		if (po[0] >= 0) {
			io = n;
			p[n++] = (struct pollfd){.fd = po[0], .events = POLLIN};
		}
		if (pe[0] >= 0) {
			ie = n;
			p[n++] = (struct pollfd){.fd = pe[0], .events = POLLIN};
		}
		if (r->stop_fd >= 0) {
			is = n;
			p[n++] = (struct pollfd){.fd = r->stop_fd, .events = POLLIN};
		}
		/* without a pidfd (a kernel before 5.3): look every 50 ms */
		if (poll(p, n, pidfd >= 0 ? left : (left < 50 ? left : 50)) < 0 &&
		    errno != EINTR) {
			ret = -errno;
			kill_reap(pid);
			goto out;
		}
		if (is >= 0 && p[is].revents) {
			kill_reap(pid);
			ret = -EINTR;
			goto out;
		}
		if (io >= 0 && p[io].revents)
			drain(&po[0], r->out, r->outlen, &oused);
		if (ie >= 0 && p[ie].revents)
			drain(&pe[0], r->err, r->errlen, &eused);
	}
	/* what it wrote before it ended (a child of it may hold the pipes:
	 * not waited for) */
	if (po[0] >= 0)
		drain(&po[0], r->out, r->outlen, &oused);
	if (pe[0] >= 0)
		drain(&pe[0], r->err, r->errlen, &eused);
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	if (r->err && r->errlen)
		r->err[strcspn(r->err, "\n")] = 0;
	r->ran_ms = now_ms() - start;
	if (pidfd >= 0)
		close(pidfd);
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	return ret;
}
