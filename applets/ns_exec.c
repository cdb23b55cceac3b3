/* ns_exec.c - run a command inside a container's namespaces, found by name.
 *
 * No standard: nsenter(1) -t PID, with targets named the way compose and the
 * container engines name them.
 */
const char ns_exec_usage[] =
"Usage: ns-exec [OPTIONS] TARGET [--] [COMMAND [ARGS...]]\n"
"\n"
"Run COMMAND inside TARGET's network namespace (and, with the options\n"
"below, more of its namespaces), so the host's tools (ip, ping, tcpdump)\n"
"work on a container's network. COMMAND (default $SHELL, else /bin/sh) is\n"
"run directly, never through a shell; its exit status is ns-exec's.\n"
"\n"
"TARGET:\n"
"  PID               a process id (digits that are no live PID are tried\n"
"                    as a container id prefix)\n"
"  netns:NAME        the named network namespace /var/run/netns/NAME\n"
"  netns:PATH        a network namespace bound to a file (PATH has a '/')\n"
"  SERVICE:INDEX     replica INDEX of a compose service\n"
"  WORD              compose service WORD (replica 1) if the project has it,\n"
"                    else the container named WORD or whose id starts so\n"
"Containers are looked up on every engine socket that answers; the static\n"
"build knows only PID and netns: targets.\n"
"\n"
"Options:\n"
"  -n, --net               the network namespace (always entered)\n"
"  -m, --mount             the mount namespace too: COMMAND comes from its files\n"
"  -u, --uts               the UTS namespace (hostname) too\n"
"  -i, --ipc               the IPC namespace too\n"
"  -p, --pid               the pid namespace too (COMMAND runs as a child)\n"
"  -a, --all               all of them, and user and cgroup where they differ\n"
"  --docker-socket PATH    Docker's API (default /var/run/docker.sock;\n"
"                          '' to not ask it)\n"
"  --podman-socket PATH    Podman's API (default /var/run/podman/podman.sock;\n"
"                          '' to not ask it)\n"
"  --compose-project NAME  the project of SERVICE (default $COMPOSE_PROJECT_NAME,\n"
"                          else the current directory's name as compose makes it)\n"
"  -h, --help              show this text\n"
"\n"
"Exit status: COMMAND's (128+N when signal N ended it); 1 when TARGET cannot\n"
"be found or entered; 2 for usage errors; 127 when COMMAND is not found and\n"
"126 when it cannot be run.\n";

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "applet.h"
#include "err.h"
#include "nsenter.h"
#include "xwrap.h"

enum { OPT_DOCKER_SOCKET = 256, OPT_PODMAN_SOCKET, OPT_COMPOSE_PROJECT };

static const struct option long_options[] = {
	{ "net", no_argument, NULL, 'n' },
	{ "mount", no_argument, NULL, 'm' },
	{ "uts", no_argument, NULL, 'u' },
	{ "ipc", no_argument, NULL, 'i' },
	{ "pid", no_argument, NULL, 'p' },
	{ "all", no_argument, NULL, 'a' },
	{ "docker-socket", required_argument, NULL, OPT_DOCKER_SOCKET },
	{ "podman-socket", required_argument, NULL, OPT_PODMAN_SOCKET },
	{ "compose-project", required_argument, NULL, OPT_COMPOSE_PROJECT },
	{ 0 }
};

/* What TARGET named, once looked up. */
struct target {
	pid_t pid;		/* the process whose namespaces to enter, or 0 */
	char *netns;		/* else a network namespace file */
	char *what;		/* for messages: "PID 12", "container 'x' (...)" */
};

static bool parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v <= 0 || v > 0x3fffffff)
		return false;
	*pid = (pid_t)v;
	return true;
}

/* Where to look containers up, from the options. */
struct engine_opts {
	const char *docker_socket;
	const char *podman_socket;
	const char *project;	/* --compose-project, or NULL */
};

#ifndef STATIC_BUILD
#include "compose_project.h"
#include "engine.h"

struct engine_sock {
	const char *path;
	struct engine_conn *conn;
	char *error;		/* why it did not answer */
};

/* Why SOCKET did not answer, short: the socket's state says more than
 * libcurl's "Couldn't connect to server". */
static char *why_not_answering(const char *path, int ret)
{
	const char *msg = err_msg(), *p;

	if (access(path, F_OK) && errno == ENOENT)
		return xstrdup("no such socket");
	if ((access(path, R_OK | W_OK) && errno == EACCES) || ret == -EACCES || ret == -EPERM)
		return xstrdup("permission denied, not permitted without root");
	/* the engine client names the socket; the caller does already */
	if (!strncmp(msg, "engine socket '", 15) && (p = strstr(msg, "': ")))
		msg = p + 3;
	return xstrdup(msg);
}

/* Connect to each socket given; returns how many answer. */
static int connect_engines(struct engine_sock *socks, int n)
{
	int up = 0;

	for (int i = 0; i < n; i++) {
		if (!*socks[i].path)
			continue;
		int ret = engine_connect(socks[i].path, &socks[i].conn);

		if (!ret) {
			up++;
			continue;
		}
		socks[i].conn = NULL;
		socks[i].error = why_not_answering(socks[i].path, ret);
	}
	return up;
}

/* "A or B (not answering: why)" for messages. */
static char *sockets_text(const struct engine_sock *socks, int n)
{
	char *text = xstrdup("");

	for (int i = 0; i < n; i++) {
		if (!*socks[i].path)
			continue;
		char *more = xasprintf("%s%s%s%s%s", text, *text ? " or " : "", socks[i].path,
				       socks[i].error ? " (not answering: " : "",
				       socks[i].error ? socks[i].error : "");
		free(text);
		text = socks[i].error ? xasprintf("%s)", more) : xstrdup(more);
		free(more);
	}
	return text;
}

static bool parse_index(const char *s, int *index)
{
	pid_t v;

	if (!parse_pid(s, &v))
		return false;
	*index = (int)v;
	return true;
}

/* Look WORD up: SERVICE:INDEX of the compose project, or a bare WORD as
 * service (replica 1) first and then as container name or id prefix. The
 * service comes first because a short service name ("db") is also a valid
 * id prefix and would otherwise match some unrelated container. True when
 * found; else exits, or with QUIET (WORD is also a PID that does not exist:
 * the caller says so) returns false. */
static bool find_container(const struct engine_opts *eo, const char *word, bool quiet,
			   pid_t *pid, char **what)
{
	struct engine_sock socks[2] = { { .path = eo->docker_socket },
					{ .path = eo->podman_socket } };
	const int n_socks = 2;
	const char *colon = strrchr(word, ':');
	struct engine_info info = { 0 };
	struct engine_sock *found = NULL;
	char *projects[2] = { NULL, NULL }, *service;
	int index = 1, n_projects, ret;

	if (colon) {
		if (!parse_index(colon + 1, &index))
			usage_exit("'%s': INDEX after ':' must be a number from 1", word);
		service = strndup(word, colon - word);
		if (!service)
			error_exit("out of memory");
		if (!*service)
			usage_exit("'%s' names no SERVICE before ':'", word);
	} else {
		service = xstrdup(word);
	}
	if (!*socks[0].path && !*socks[1].path) {
		if (quiet)
			return false;
		usage_exit("'%s' needs an engine, but both sockets are ''", word);
	}

	int up = connect_engines(socks, n_socks);
	char *where = sockets_text(socks, n_socks);

	if (!up && !quiet)
		error_exit("cannot look up '%s': no engine answers on %s", word, where);
	n_projects = compose_project_names(eo->project, projects);
	if (n_projects < 0)
		error_exit("cannot find the compose project: %s", err_msg());

	for (int p = 0; p < n_projects && !found; p++) {
		for (int i = 0; i < n_socks && !found; i++) {
			if (!socks[i].conn)
				continue;
			ret = engine_find_service(socks[i].conn, projects[p], service, index, &info);
			if (!ret)
				found = &socks[i];
			else if (ret != -ENOENT)
				error_exit("looking up service '%s' of compose project '%s' on %s: %s",
					   service, projects[p], socks[i].path, err_msg());
		}
	}
	for (int i = 0; i < n_socks && !found && !colon; i++) {
		if (!socks[i].conn)
			continue;
		ret = engine_inspect(socks[i].conn, word, &info);
		if (!ret)
			found = &socks[i];
		else if (ret != -ENOENT)
			error_exit("looking up container '%s' on %s: %s", word, socks[i].path,
				   err_msg());
	}
	if (!found && quiet)
		goto out;
	if (!found && colon)
		error_exit("compose service '%s' of project '%s' has no running replica %d on %s",
			   service, projects[0], index, where);
	if (!found)
		error_exit("no container named '%s' or with an id starting so, and no service "
			   "'%s' in compose project '%s', on %s", word, word, projects[0], where);
	if (!info.running || info.pid <= 0)
		error_exit("container '%s' (on %s) is not running", info.name, found->path);

	*pid = info.pid;
	*what = xasprintf("container '%s' (PID %d, on %s)", info.name, (int)info.pid,
			  found->path);
	engine_info_free(&info);
out:
	for (int i = 0; i < n_socks; i++) {
		if (socks[i].conn)
			engine_disconnect(socks[i].conn);
		free(socks[i].error);
	}
	free(projects[0]);
	free(projects[1]);
	free(service);
	free(where);
	return found != NULL;
}
#else
static bool find_container(const struct engine_opts *eo, const char *word, bool quiet,
			   pid_t *pid, char **what)
{
	if (quiet)
		return false;
	error_exit("'%s' is not a PID or netns:NAME, and this static build cannot "
		   "look up containers", word);
}
#endif

/* Said after a refusal, unless we are root already (then something else,
 * a security module or a user namespace, refused). */
static const char *root_hint(void)
{
	return geteuid() ? " (not permitted without root)" : "";
}

static void open_namespaces(const struct target *t, unsigned mask, struct ns_fds *ns)
{
	int ret;

	nsenter_init(ns);
	if (t->netns)
		ret = nsenter_open_netns(ns, t->netns);
	else
		ret = nsenter_open_pid(ns, t->pid, mask);
	if (ret == -ESRCH)
		error_exit("no such PID %d (%s)%s%s", (int)t->pid, err_msg(),
			   strncmp(t->what, "PID ", 4) ? ": looked up as " : "",
			   strncmp(t->what, "PID ", 4) ? t->what : "");
	if (ret == -ENOENT && t->netns)
		error_exit("no network namespace %s", t->what);
	if (ret == -EACCES || ret == -EPERM)
		error_exit("%s: %s%s", t->what, err_msg(), root_hint());
	if (ret)
		error_exit("%s: %s", t->what, err_msg());
}

/* Returns whether the pid namespace changed (then COMMAND must be a child). */
static bool enter_namespaces(const struct target *t, struct ns_fds *ns)
{
	bool new_pid_ns = nsenter_has_pid(ns);
	int ret = nsenter_enter(ns);

	if (ret == -EPERM || ret == -EACCES)
		error_exit("%s: %s%s", t->what, err_msg(), root_hint());
	if (ret)
		error_exit("%s: %s", t->what, err_msg());
	nsenter_close(ns);
	return new_pid_ns;
}

/* exec COMMAND, or end this process as a shell would (xexec). A default
 * shell falls back to /bin/sh (a container's mount namespace may lack the
 * host's $SHELL). */
static void __attribute__((noreturn)) exec_command(char **cmd, bool is_default)
{
	char *sh[] = { "/bin/sh", NULL };

	if (is_default && strcmp(cmd[0], sh[0])) {
		execvp(cmd[0], cmd);
		if (errno == ENOENT)
			cmd = sh;
	}
	xexec(cmd);
}

static volatile pid_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Joining a pid namespace moves only children into it: fork, wait, and
 * hand on the child's status. */
static void __attribute__((noreturn)) fork_and_wait(char **cmd, bool is_default)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		perror_exit("fork");
	if (pid == 0)
		exec_command(cmd, is_default);
	child_pid = pid;
	/* The terminal sends ^C and ^\ to the child as well: let it decide. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, forward_signal);
	signal(SIGHUP, forward_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			perror_exit("waitpid");
	/* _exit: nothing is left to free or flush, and exit-time hooks such
	 * as LeakSanitizer's stop-the-world, which reads /proc/self, hang
	 * once we are in the target's mount namespace with its /proc. */
	fflush(NULL);
	_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

int ns_exec_main(int argc, char **argv)
{
	struct engine_opts eo = {
		.docker_socket = "/var/run/docker.sock",
		.podman_socket = "/var/run/podman/podman.sock",
	};
	unsigned mask = NS_BIT(NS_NET);
	bool only_net = true;
	struct target t = { 0 };
	struct ns_fds ns;
	int opt;

	/* options end at TARGET; what follows belongs to COMMAND */
	while ((opt = xgetopt(argc, argv, "nmuipa", long_options)) != -1) {
		switch (opt) {
		case 'n': break;
		case 'm': mask |= NS_BIT(NS_MNT); only_net = false; break;
		case 'u': mask |= NS_BIT(NS_UTS); only_net = false; break;
		case 'i': mask |= NS_BIT(NS_IPC); only_net = false; break;
		case 'p': mask |= NS_BIT(NS_PID); only_net = false; break;
		case 'a': mask = NS_ALL; only_net = false; break;
		case OPT_DOCKER_SOCKET: eo.docker_socket = optarg; break;
		case OPT_PODMAN_SOCKET: eo.podman_socket = optarg; break;
		case OPT_COMPOSE_PROJECT: eo.project = optarg; break;
		}
	}
	if (optind >= argc)
		usage_exit("no TARGET given");
	const char *target = argv[optind++];

	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (!*target)
		usage_exit("empty TARGET");

	if (!strncmp(target, "netns:", 6)) {
		const char *name = target + 6;

		if (!*name)
			usage_exit("'netns:' needs a NAME or PATH");
		if (!only_net)
			usage_exit("'%s' is only a network namespace: -m, -u, -i, -p and -a "
				   "need a PID or container", target);
		t.netns = strchr(name, '/') ? xstrdup(name)
			: xasprintf("/var/run/netns/%s", name);
		t.what = xasprintf("'%s' (%s)", target, t.netns);
	} else {
		/* A live PID wins; digits that are no PID may be an id prefix. */
		pid_t pid = 0;
		bool digits = parse_pid(target, &pid);
		char *proc = xasprintf("/proc/%d", (int)pid);

		if ((digits && !access(proc, F_OK)) ||
		    !find_container(&eo, target, digits, &t.pid, &t.what)) {
			t.pid = pid;
			t.what = xasprintf("PID %d", (int)pid);
		}
		free(proc);
	}

	open_namespaces(&t, mask, &ns);
	bool fork_first = enter_namespaces(&t, &ns);

	free(t.what);
	free(t.netns);

	char *default_cmd[] = { NULL, NULL };
	char **cmd = argv + optind;
	bool is_default = optind >= argc;

	if (is_default) {
		const char *shell = getenv("SHELL");

		default_cmd[0] = (char *)(shell && *shell ? shell : "/bin/sh");
		cmd = default_cmd;
	}
	if (fork_first)
		fork_and_wait(cmd, is_default);
	exec_command(cmd, is_default);
}
