/* wait.c - wait applet: hold a command until files, interfaces, addresses,
 * TCP listeners or commands are ready, then exec it.
 *
 * Compatible with upstream conlink's scripts/wait.sh; no standard.
 */
const char wait_usage[] =
"Usage: wait [OPTIONS] [-- COMMAND [ARGS...]]\n"
"\n"
"Check each condition in the order given, waiting until it holds, then exec\n"
"COMMAND (if given).\n"
"\n"
"  -f, --file FILE          FILE exists\n"
"  -i, --if, --intf IFACE   network interface IFACE exists\n"
"  -I, --ip IFACE           IFACE has IPv4 addressing/routing (a main-table\n"
"                           route through it, as in /proc/net/route)\n"
"  -t, --tcp HOST:PORT      a TCP connection to HOST:PORT succeeds\n"
"  -c, --cmd, --command CMD CMD exits 0 (sh -c CMD when /bin/sh exists,\n"
"                           else CMD split into words and run directly)\n"
"  -u, --umask MASK         set the umask (octal) from here on\n"
"  -s, --sleep SECONDS      retry interval for -t and -c from here on (1)\n"
"      --timeout SECONDS    give up after SECONDS in all, naming the\n"
"                           condition that failed (exit 1)\n"
"  -q, --quiet              no progress lines\n"
"\n"
"Interface and address waits wake on rtnetlink notifications, file waits\n"
"on inotify; only -t and -c are retried every --sleep seconds.\n"
"Exit: 1 on timeout, 2 on usage errors, 127 when COMMAND is not found,\n"
"126 when it cannot be run.\n";

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "applet.h"
#include "err.h"
#include "ifname.h"
#include "rtwatch.h"
#include "wait_file.h"
#include "wait_tcp.h"
#include "xwrap.h"

enum kind { K_FILE, K_IF, K_IP, K_TCP, K_CMD, K_UMASK, K_SLEEP };

enum { OPT_TIMEOUT = 256 };

static const struct option long_opts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "if", required_argument, NULL, 'i' },
	{ "intf", required_argument, NULL, 'i' },
	{ "ip", required_argument, NULL, 'I' },
	{ "tcp", required_argument, NULL, 't' },
	{ "cmd", required_argument, NULL, 'c' },
	{ "command", required_argument, NULL, 'c' },
	{ "umask", required_argument, NULL, 'u' },
	{ "sleep", required_argument, NULL, 's' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ 0 }
};

/* The condition each option adds, in the order of SHORT_OPTS. */
static const char short_opts[] = "fiItcus";
static const enum kind opt_kinds[] = { K_FILE, K_IF, K_IP, K_TCP, K_CMD, K_UMASK, K_SLEEP };

struct cond {
	enum kind kind;
	char opt[64];		/* as the user wrote it, for messages */
	const char *arg;
	char *host;		/* K_TCP */
	unsigned port;		/* K_TCP */
	double seconds;		/* K_SLEEP */
	mode_t mask;		/* K_UMASK */
};

static struct {
	double sleep;		/* current retry interval */
	double timeout;		/* < 0: none */
	double deadline;	/* monotonic seconds */
	int quiet;
	int rt_fd;		/* rtnetlink notifications, -1 until needed */
	int inotify_fd;
} w = { .sleep = 1, .timeout = -1, .rt_fd = -1, .inotify_fd = -1 };

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	if (w.quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Milliseconds to block: at most MAX seconds (< 0: unbounded) and never past
 * the deadline. */
static int block_ms(double max)
{
	double left = w.timeout < 0 ? -1 : w.deadline - now();

	if (left >= 0 && (max < 0 || left < max))
		max = left;
	if (max < 0)
		return -1;
	return max > 86400 ? 86400000 : (int)(max * 1000 + 0.999);
}

static int timed_out(void)
{
	return w.timeout >= 0 && now() >= w.deadline;
}

static double parse_seconds(const char *opt, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || !(v >= 0) || v > 1e9)
		usage_exit("%s: expected SECONDS (a number >= 0), got '%s'", opt, arg);
	return v;
}

/* Check one option's argument so every usage error comes before any wait. */
static void validate(struct cond *c)
{
	char *end;
	unsigned long m;

	switch (c->kind) {
	case K_FILE:
	case K_CMD:
		if (!*c->arg)
			usage_exit("%s needs a non-empty argument", c->opt);
		break;
	case K_IF:
	case K_IP:
		if (ifname_check(c->arg) < 0)
			usage_exit("%s: bad interface name '%s' (%s)", c->opt, c->arg, err_msg());
		break;
	case K_TCP:
		if (tcp_target_parse(c->arg, &c->host, &c->port))
			usage_exit("%s: %s", c->opt, err_msg());
		break;
	case K_UMASK:
		errno = 0;
		m = strtoul(c->arg, &end, 8);
		if (!*c->arg || *end || errno || m > 0777)
			usage_exit("%s: expected an octal MASK, got '%s'", c->opt, c->arg);
		c->mask = m;
		break;
	case K_SLEEP:
		c->seconds = parse_seconds(c->opt, c->arg);
		break;
	default:
		break;
	}
}

/* Run CMD once: 0 when it exits 0, else -1 with *STATUS set. Killed when the
 * deadline passes (pidfd where the kernel has it, else waited out). */
static int run_cmd(const char *cmd, int *status)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		perror_exit("fork");
	if (!pid) {
		/* no shell in the image: plain words, as upstream ran ${arg} */
		char *copy = xstrdup(cmd), *save, **av = xzalloc((strlen(cmd) / 2 + 2) * sizeof(*av));
		int n = 0;

		if (!access("/bin/sh", X_OK))
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
			av[n++] = t;
		if (!n)
			av[n++] = copy;
		xexec(av);
	}
#ifdef SYS_pidfd_open
	int pfd = w.timeout >= 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;

	if (pfd >= 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };

		while (poll(&p, 1, block_ms(-1)) == 0 || (p.revents == 0 && errno == EINTR))
			if (timed_out()) {
				kill(pid, SIGKILL);
				break;
			}
		close(pfd);
	}
#endif
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			perror_exit("waitpid");
	return WIFEXITED(*status) && !WEXITSTATUS(*status) ? 0 : -1;
}

static void describe_status(int status, char *buf, size_t n)
{
	if (WIFEXITED(status))
		snprintf(buf, n, "exit %d", WEXITSTATUS(status));
	else
		snprintf(buf, n, "signal %d", WTERMSIG(status));
}

/* Does C hold? 1 yes, 0 not yet; *WHY says what is missing. */
static int holds(struct cond *c, char *why, size_t n)
{
	struct stat st;
	unsigned idx;
	int status, r;

	switch (c->kind) {
	case K_FILE:
		if (!stat(c->arg, &st))
			return 1;
		snprintf(why, n, "file '%s' does not exist", c->arg);
		return 0;
	case K_IF:
		if (if_nametoindex(c->arg))
			return 1;
		snprintf(why, n, "interface '%s' does not exist", c->arg);
		return 0;
	case K_IP:
		idx = if_nametoindex(c->arg);
		r = idx ? rtnl_ipv4_route_via(idx) : 0;
		if (r < 0)
			error_exit("%s", err_msg());
		if (r)
			return 1;
		snprintf(why, n, "interface '%s' has no IPv4 route", c->arg);
		return 0;
	case K_TCP: {
		double left = w.timeout < 0 ? 2 : w.deadline - now();
		/* Each attempt is bounded like upstream's `nc -w 1`, a bit wider. */
		int ms = left > 2 ? 2000 : left > 0.05 ? (int)(left * 1000) : 50;

		if (!tcp_probe(c->host, c->port, ms))
			return 1;
		snprintf(why, n, "TCP '%s' not reachable: %s", c->arg, err_msg());
		return 0;
	}
	case K_CMD:
		if (!run_cmd(c->arg, &status))
			return 1;
		r = snprintf(why, n, "command '%s' failed (", c->arg);
		if (r > 0 && (size_t)r < n)
			describe_status(status, why + r, n - r);
		strncat(why, ")", n - strlen(why) - 1);
		return 0;
	default:
		return 1;
	}
}

/* Upstream's success lines. */
static void say_done(struct cond *c)
{
	switch (c->kind) {
	case K_FILE: say("File '%s' exists", c->arg); break;
	case K_IF: say("Interface '%s' exists", c->arg); break;
	case K_IP: say("Interface '%s' has IP/routing", c->arg); break;
	case K_TCP: say("TCP listener is reachable at '%s'", c->arg); break;
	default: say("Command successful: %s", c->arg); break;
	}
}

/* Get ready to be woken by the next change that may make C hold. */
static void arm(struct cond *c, int *wd)
{
	if (c->kind == K_IF || c->kind == K_IP) {
		if (w.rt_fd < 0) {
			w.rt_fd = rtwatch_open(RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
					       RTMGRP_IPV4_ROUTE);
			if (w.rt_fd < 0)
				error_exit("%s", err_msg());
		}
		if (rtwatch_drain(w.rt_fd))
			error_exit("%s", err_msg());
	} else if (c->kind == K_FILE) {
		if (w.inotify_fd < 0)
			w.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		/* No watch (no inotify, unreadable directory): retry on -s. */
		if (w.inotify_fd >= 0 && file_watch_arm(w.inotify_fd, c->arg, wd))
			*wd = -1;
	}
}

/* Block until C may have changed, or the interval or deadline passes. */
static void block(struct cond *c, int wd)
{
	struct pollfd p = { .fd = -1, .events = POLLIN };
	char buf[4096];
	int ms;

	if (c->kind == K_IF || c->kind == K_IP) {
		p.fd = w.rt_fd;
		ms = block_ms(-1);
	} else if (c->kind == K_FILE && wd >= 0) {
		/* The -s interval is only a safety net for what inotify cannot
		 * see (network file systems, a symlink's far target). */
		p.fd = w.inotify_fd;
		ms = block_ms(w.sleep);
	} else {
		ms = block_ms(w.sleep);
	}
	if (poll(&p, 1, ms) > 0 && p.fd == w.inotify_fd)
		while (read(w.inotify_fd, buf, sizeof(buf)) > 0)
			;
}

static void wait_for(struct cond *c)
{
	int polled = c->kind == K_TCP || c->kind == K_CMD, wd = -1, waiting = 0;
	char why[512];

	for (;;) {
		arm(c, &wd);
		if (holds(c, why, sizeof(why)))
			break;
		if (timed_out()) {
			fprintf(stderr, "%s: timed out after %g seconds: %s\n",
				applet_name, w.timeout, why);
			exit(1);
		}
		if (polled)
			say("Failed: %s. Sleep %g seconds before retry", why, w.sleep);
		else if (!waiting++)
			say("Waiting: %s", why);
		block(c, wd);
	}
	if (wd >= 0)
		inotify_rm_watch(w.inotify_fd, wd);
	say_done(c);
}

int wait_main(int argc, char **argv)
{
	struct cond *conds;
	int n = 0, i, opt;

	conds = xzalloc(argc * sizeof(*conds));
	/* Conditions are kept in the order given: that is the order they are
	 * waited for, and -u and -s apply to what follows them. */
	while ((opt = xgetopt(argc, argv, "qf:i:I:t:c:u:s:", long_opts)) != -1) {
		if (opt == 'q') {
			w.quiet = 1;
		} else if (opt == OPT_TIMEOUT) {
			w.timeout = parse_seconds(xgetopt_name(), optarg);
		} else {
			struct cond *c = &conds[n++];

			c->kind = opt_kinds[strchr(short_opts, opt) - short_opts];
			c->arg = optarg;
			snprintf(c->opt, sizeof(c->opt), "%s", xgetopt_name());
			validate(c);
		}
	}
	i = optind;

	setvbuf(stdout, NULL, _IOLBF, 0);
	w.deadline = now() + (w.timeout < 0 ? 0 : w.timeout);
	for (int k = 0; k < n; k++) {
		struct cond *c = &conds[k];

		if (c->kind == K_UMASK) {
			umask(c->mask);
			say("Set umask to %s", c->arg);
		} else if (c->kind == K_SLEEP) {
			say("Changed sleep interval from %g to %g seconds", w.sleep, c->seconds);
			w.sleep = c->seconds;
		} else {
			wait_for(c);
		}
		free(c->host);
	}
	free(conds);
	if (w.rt_fd >= 0)
		close(w.rt_fd);
	if (w.inotify_fd >= 0)
		close(w.inotify_fd);
	if (i >= argc)
		return 0;

	if (!w.quiet) {
		fputs("Running:", stdout);
		for (int k = i; k < argc; k++)
			printf(" %s", argv[k]);
		putchar('\n');
	}
	xexec(argv + i);
}
