/* command.c - commands run inside a network namespace, output on the loop
 * (see command.h).
 *
 * The exit is watched through a pidfd, not SIGCHLD or pipe EOF: a command
 * like "httpd &" leaves a child holding the pipe open long after the shell
 * exited, and its output is still worth logging.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"
#include "err.h"
#include "log.h"
#include "loop.h"

/* What a command gets between SIGTERM and SIGKILL: one grace for all of
 * them at daemon exit (they are signalled together), and for each one
 * whose container went away. */
#define COMMAND_GRACE_MS 2000

struct command {
	pid_t pid;		/* also its process group: kill(-pid) ends its children */
	int pidfd;		/* -1 once reaped */
	int out;		/* read end of stdout+stderr, -1 at EOF */
	struct loop_timer *kill_timer;	/* set while stopping, until SIGKILL */
	command_done_fn *done;
	void *arg;
	struct command *next;
	size_t len;		/* bytes of a partial line in buf */
	char buf[1024];
	char name[];
};

static struct command *commands;

static void command_free_if_finished(struct command *c)
{
	if (c->pidfd >= 0 || c->out >= 0)
		return;
	for (struct command **pp = &commands; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	loop_timer_cancel(c->kill_timer);
	free(c);
}

static void log_lines(struct command *c, int flush)
{
	char *p = c->buf, *nl;

	while ((nl = memchr(p, '\n', c->len - (p - c->buf)))) {
		*nl = 0;
		log_info("%s: %s", c->name, p);
		p = nl + 1;
	}
	c->len -= p - c->buf;
	memmove(c->buf, p, c->len);
	/* a line longer than the buffer, or the last one without a newline */
	if (c->len && (flush || c->len == sizeof(c->buf) - 1)) {
		c->buf[c->len] = 0;
		log_info("%s: %s", c->name, c->buf);
		c->len = 0;
	}
}

static void on_output(int fd, uint32_t events, void *arg)
{
	struct command *c = arg;
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (n > 0) {
		c->len += n;
		log_lines(c, 0);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	log_lines(c, 1);
	loop_del_fd(fd);
	close(fd);
	c->out = -1;
	command_free_if_finished(c);
}

static void on_exit_fd(int fd, uint32_t events, void *arg)
{
	struct command *c = arg;
	int status = 0;

	if (waitpid(c->pid, &status, WNOHANG) == 0)
		return;		/* spurious: not a zombie yet */
	loop_del_fd(fd);
	close(fd);
	c->pidfd = -1;
	if (c->done)
		c->done(c->arg, status);
	command_free_if_finished(c);
}

/* In the child: enter the namespace, wire the pipe, exec. Never returns. */
static void __attribute__((noreturn))
child_exec(int nsfd, int out, char **argv)
{
	sigset_t none;
	int devnull = open("/dev/null", O_RDONLY);

	setpgid(0, 0);		/* its own group: stop_all ends its children too */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* the daemon blocks SIGTERM etc. */
	signal(SIGPIPE, SIG_DFL);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out, 1);
	dup2(out, 2);
	if (setns(nsfd, CLONE_NEWNET)) {
		dprintf(2, "cannot enter network namespace: %s\n", strerror(errno));
		_exit(127);
	}
	/* the daemon's own fds (and its parent's, like a test runner's pipe)
	 * must not live on in a command that may outlive it */
	close_range(3, ~0U, 0);
	execvp(argv[0], argv);
	dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* argv for CMD, in one allocation the caller frees. NULL on a bad CMD. */
static char **command_argv(const json_t *cmd)
{
	static const char *const shell[] = {"/bin/sh", "-c"};
	size_t n = json_is_string(cmd) ? 3 : json_array_size(cmd), i;
	char **argv;
	json_t *v;

	if (!n)
		return NULL;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	if (json_is_string(cmd)) {
		argv[0] = (char *)shell[0];
		argv[1] = (char *)shell[1];
		argv[2] = (char *)json_string_value(cmd);
		return argv;
	}
	json_array_foreach(cmd, i, v) {
		if (!json_is_string(v)) {
			free(argv);
			return NULL;
		}
		argv[i] = (char *)json_string_value(v);
	}
	return argv;
}

int command_start(const char *netns_path, const char *name, const json_t *cmd,
		  command_done_fn *done, void *arg)
{
	char **argv = command_argv(cmd);
	struct command *c;
	int nsfd, pipefd[2], ret;

	if (!argv)
		return err_fail(EINVAL, "%s: a command is a string or a list of strings",
				name);
	nsfd = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		ret = err_fail(errno, "%s: cannot open '%s'", name, netns_path);
		free(argv);
		return ret;
	}
	c = calloc(1, sizeof(*c) + strlen(name) + 1);
	if (!c || pipe2(pipefd, O_CLOEXEC)) {
		ret = err_fail(c ? errno : ENOMEM, "%s: pipe", name);
		goto out;
	}
	strcpy(c->name, name);
	c->done = done;
	c->arg = arg;
	c->out = pipefd[0];
	c->pid = fork();
	if (c->pid == 0)
		child_exec(nsfd, pipefd[1], argv);
	close(pipefd[1]);
	if (c->pid < 0) {
		ret = err_fail(errno, "%s: fork", name);
		close(pipefd[0]);
		goto out;
	}
	/* the child does it too; here as well, so command_stop_all's
	 * kill(-pid) reaches it even before the child got that far (else
	 * the stop would wait on a "sleep 600" forever) */
	setpgid(c->pid, c->pid);
	c->pidfd = syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0) {
		/* kernel before 5.3: nothing else to watch; wait for it here */
		ret = err_fail(errno, "%s: pidfd_open", name);
		kill(c->pid, SIGTERM);
		waitpid(c->pid, NULL, 0);
		close(pipefd[0]);
		goto out;
	}
	fcntl(c->pidfd, F_SETFD, FD_CLOEXEC);
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	if ((ret = loop_add_fd(c->out, EPOLLIN, on_output, c)) < 0 ||
	    (ret = loop_add_fd(c->pidfd, EPOLLIN, on_exit_fd, c)) < 0) {
		loop_del_fd(c->out);
		kill(c->pid, SIGTERM);
		waitpid(c->pid, NULL, 0);
		close(c->out);
		close(c->pidfd);
		goto out;
	}
	c->next = commands;
	commands = c;
	c = NULL;
	ret = 0;
out:
	free(c);
	free(argv);
	close(nsfd);
	return ret;
}

static void kill_after_grace(void *arg)
{
	struct command *c = arg;

	c->kill_timer = NULL;	/* the loop frees a fired timer */
	/* the group outlives a reaped leader while a child of it holds the
	 * pipe; the pid is not reused while that group exists */
	kill(-c->pid, SIGKILL);
}

void command_stop(const char *name)
{
	for (struct command *c = commands; c; c = c->next) {
		if (strcmp(c->name, name) || c->kill_timer)
			continue;
		log_verbose("%s: stopping command (pid %d)", name, (int)c->pid);
		kill(-c->pid, SIGTERM);
		c->kill_timer = loop_timer_add(COMMAND_GRACE_MS, kill_after_grace, c);
		if (!c->kill_timer)
			kill(-c->pid, SIGKILL);
	}
}

/* Wait until every leader of COMMANDS is reaped and every output pipe is
 * at EOF (the last lines logged), or DEADLINE (loop_now_ms) passed. */
static void wait_all(int64_t deadline)
{
	size_t n = 0;

	for (struct command *c = commands; c; c = c->next)
		n += (c->pidfd >= 0) + (c->out >= 0);
	struct pollfd *p = calloc(n ? n : 1, sizeof(*p));
	struct command **owner = calloc(n ? n : 1, sizeof(*owner));

	while (p && owner && n && loop_now_ms() < deadline) {
		size_t k = 0;

		for (struct command *c = commands; c; c = c->next) {
			if (c->pidfd >= 0) {
				p[k] = (struct pollfd){.fd = c->pidfd, .events = POLLIN};
				owner[k++] = c;
			}
			if (c->out >= 0) {
				p[k] = (struct pollfd){.fd = c->out, .events = POLLIN};
				owner[k++] = c;
			}
		}
		if (!(n = k))
			break;
		if (poll(p, n, deadline - loop_now_ms()) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < n; i++) {
			struct command *c = owner[i];

			if (!p[i].revents)
				continue;
			if (p[i].fd == c->pidfd) {
				if (waitpid(c->pid, NULL, WNOHANG) == 0)
					continue;
				loop_del_fd(c->pidfd);
				close(c->pidfd);
				c->pidfd = -1;
			} else {
				on_output(c->out, 0, c);	/* EOF closes it */
			}
		}
	}
	free(p);
	free(owner);
}

void command_stop_all(void)
{
	/* all at once, one grace: twenty commands that ignore SIGTERM cost
	 * one grace, not twenty */
	for (struct command *c = commands; c; c = c->next) {
		loop_timer_cancel(c->kill_timer);
		c->kill_timer = NULL;
		kill(-c->pid, SIGTERM);
	}
	wait_all(loop_now_ms() + COMMAND_GRACE_MS);
	while (commands) {
		struct command *c = commands;

		if (c->pidfd >= 0 || c->out >= 0)
			kill(-c->pid, SIGKILL);
		if (c->pidfd >= 0) {
			waitpid(c->pid, NULL, 0);
			loop_del_fd(c->pidfd);
			close(c->pidfd);
		}
		if (c->out >= 0) {
			loop_del_fd(c->out);
			close(c->out);
		}
		commands = c->next;
		free(c);
	}
}
