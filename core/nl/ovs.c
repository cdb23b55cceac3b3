/* ovs.c - Open vSwitch bridges and ports through ovs-vsctl/ovs-ctl. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "err.h"
#include "nl.h"
#include "ovs.h"

#define OVS_CTL "/usr/share/openvswitch/scripts/ovs-ctl"

/* We started the OVS daemons: stop them again at exit. */
static int started_here;

/* Run ARGV; its stderr (first line) goes into MSG. The exit status, 127
 * when the program is missing, or -errno. */
static int run(char *const argv[], char *msg, size_t len)
{
	int pfd[2], status;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(pfd[1], 2);
		/* ovs-ctl start leaves daemons running: they must not hold the
		 * daemon's fds (or a test runner's output pipe) */
		close_range(3, ~0U, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	ssize_t n = read(pfd[0], msg, len - 1);

	msg[n > 0 ? n : 0] = 0;
	msg[strcspn(msg, "\n")] = 0;
	/* drain so the child never blocks on a full pipe */
	char sink[256];

	while (read(pfd[0], sink, sizeof(sink)) > 0)
		;
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int vsctl(const char *what, const char *a, const char *b, const char *c)
{
	char *argv[] = { "ovs-vsctl", "--timeout=10", (char *)a, (char *)b, (char *)c, NULL };
	char msg[256];
	int ret = run(argv, msg, sizeof(msg));

	if (ret == 127)
		return err_fail(ENOENT, "ovs-vsctl is not installed (Open vSwitch)");
	if (ret)
		return err_fail(EIO, "%s: ovs-vsctl %s failed: %s", what, a, msg);
	return 0;
}

/* Is the kernel's openvswitch datapath there? Asking for its generic
 * netlink family also makes a modular kernel load it. */
static int kernel_has_ovs(void)
{
	char buf[NL_MSG_MAX];
	struct nl nl;
	int ret = nl_open(&nl, NETLINK_GENERIC, -1);

	if (ret < 0)
		return ret;
	struct nlmsghdr *nlh = nl_msg(buf, GENL_ID_CTRL, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ovs_datapath");
	ret = nl_talk(&nl, nlh, NULL, NULL, "ovs_datapath");
	nl_close(&nl);
	return ret;
}

int ovs_ready(void)
{
	char msg[256];
	char *show[] = { "ovs-vsctl", "--timeout=3", "show", NULL };
	char *start[] = { OVS_CTL, "start", "--system-id=random", "--no-mlockall",
			  "--delete-bridges", NULL };

	if (kernel_has_ovs() < 0)
		return err_fail(EOPNOTSUPP, "kernel has no 'openvswitch' module "
				"(generic netlink family ovs_datapath missing)");
	int ret = run(show, msg, sizeof(msg));

	if (ret == 0)
		return 0;
	if (ret == 127 || access(OVS_CTL, X_OK) < 0)
		return err_fail(ENOENT, "Open vSwitch is not installed (no ovs-vsctl or %s)", OVS_CTL);
	ret = run(start, msg, sizeof(msg));
	if (ret)
		return err_fail(EIO, "Failed starting OVS: %s", msg);
	started_here = 1;
	return 0;
}

void ovs_exit(void)
{
	char *stop[] = { OVS_CTL, "stop", NULL };
	char msg[256];

	if (started_here)
		run(stop, msg, sizeof(msg));
	started_here = 0;
}

int ovs_bridge_add(const char *bridge)
{
	char *argv[] = { "ovs-vsctl", "--timeout=10", "br-exists", (char *)bridge, NULL };
	char msg[256];

	if (run(argv, msg, sizeof(msg)) == 0)
		return err_fail(EEXIST, "Bridge %s already exists", bridge);
	return vsctl(bridge, "add-br", bridge, NULL);
}

int ovs_bridge_del(const char *bridge)
{
	return vsctl(bridge, "del-br", bridge, NULL);
}

int ovs_port_add(const char *bridge, const char *port)
{
	return vsctl(port, "add-port", bridge, port);
}

int ovs_port_del(const char *bridge, const char *port)
{
	return vsctl(port, "del-port", bridge, port);
}
