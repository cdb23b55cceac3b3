/* ovs.c - Open vSwitch bridges and ports through ovs-vsctl/ovs-ctl.
 *
 * Every run is bounded: ovs-vsctl gets --timeout and a SIGKILL past a
 * deadline, and a SIGTERM to the daemon (its signalfd, the stop fd) ends
 * the wait at once (run_bounded). The callers (a bridge at start, a port
 * per link) need the result before they go on, so the run is waited for
 * in place rather than watched by the loop: it costs the loop at most the
 * deadline when the switch hangs, and never delays a signal.
 *
 * Ownership: bridges and ports made here carry
 * external_ids:conlink-instance=INSTANCE. At start a bridge with our mark
 * is adopted (its ports with our mark, from a previous life, removed: this
 * life's links add theirs again); one without it is refused, as upstream.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "err.h"
#include "log.h"
#include "nl.h"
#include "ovs.h"
#include "run_bounded.h"

#define OVS_CTL "/usr/share/openvswitch/scripts/ovs-ctl"
/* ovs-vsctl's own wait for ovsdb, and when we kill it ourselves */
#define VSCTL_TIMEOUT "--timeout=5"
#define VSCTL_DEADLINE_MS 6000
/* starting the daemons takes longer (a database made on first start) */
#define CTL_START_DEADLINE_MS 30000
#define CTL_STOP_DEADLINE_MS 6000
/* interrupted after this long, the switch counts as not answering */
#define SLOW_MS 1000

/* We started the OVS daemons: stop them again at exit. */
static int started_here;
static const char *instance = "conlink";
static int stop_fd = -1;
/* Why the switch counts as not answering (a run timed out, or was still
 * running after SLOW_MS when a signal came), "" while it answers: the
 * undo steps are skipped then, said once. */
static char hung[300];
static int skip_logged;
/* The bridges made or adopted here: the only ones ovs_bridge_del removes. */
static struct made {
	struct made *next;
	char name[];
} *made;

void ovs_setup(const char *inst, int stop)
{
	instance = inst;
	stop_fd = stop;
}

/* "external_ids:conlink-instance=\"INSTANCE\"" (ovsdb's quoted string:
 * any instance name is one value). malloc'd, NULL on ENOMEM. */
static char *mark(void)
{
	size_t n = strlen(instance);
	char *s = malloc(sizeof("external_ids:conlink-instance=\"\"") + 2 * n), *p;

	if (!s)
		return NULL;
	p = s + sprintf(s, "external_ids:conlink-instance=\"");
	for (const char *q = instance; *q; q++) {
		if (*q == '"' || *q == '\\')
			*p++ = '\\';
		*p++ = *q;
	}
	strcpy(p, "\"");
	return s;
}

/* Run ARGV (an ovs-vsctl or ovs-ctl command line) within DEADLINE_MS; its
 * stdout into OUT when not NULL. 0, or -errno with err_msg() naming the
 * verb and its first argument: -ENOENT when the program is missing,
 * -ETIMEDOUT, -EINTR (a signal came), -EIO when it failed. */
static int run(char *const argv[], long deadline_ms, char *out, size_t outlen)
{
	char msg[256], cmd[128];
	struct run_bounded r = {
		.deadline_ms = deadline_ms, .stop_fd = stop_fd,
		.out = out, .outlen = outlen, .err = msg, .errlen = sizeof(msg),
	};
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char *const *verb = argv + 1;
	int ret = run_bounded(argv, &r);

	while (*verb && (*verb)[0] == '-')	/* the first word not an option */
		verb++;
	snprintf(cmd, sizeof(cmd), "%s %s%s%s", prog, verb[0] ? verb[0] : "",
		 verb[0] && verb[1] ? " " : "", verb[0] && verb[1] ? verb[1] : "");
	if (ret == -ETIMEDOUT) {
		ret = err_fail(ETIMEDOUT, "%s did not answer in %ld s (killed)",
			       cmd, deadline_ms / 1000);
		snprintf(hung, sizeof(hung), "%s", err_msg());
		return ret;
	}
	if (ret == -EINTR) {
		ret = err_fail(EINTR, "%s interrupted by a signal", cmd);
		if (r.ran_ms >= SLOW_MS)
			snprintf(hung, sizeof(hung), "%s after %ld ms", err_msg(), r.ran_ms);
		return ret;
	}
	if (ret < 0)
		return err_fail(-ret, "cannot run %s", prog);
	hung[0] = 0;
	skip_logged = 0;
	if (ret == 127)
		return err_fail(ENOENT, "%s is not installed (Open vSwitch)", prog);
	if (ret)
		return err_fail(EIO, "%s failed: %s", cmd, msg);
	return 0;
}

/* A signal is waiting for the loop (it came before the loop ran). */
static int stop_pending(void)
{
	struct pollfd p = {.fd = stop_fd, .events = POLLIN};

	return stop_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* Run ARGV as an undo step: skipped while the switch does not answer (the
 * first skip logged, with why), and while a signal waits (the run would
 * end at once; the error that brought us here said why). Keeps the exit
 * bounded: one timeout, not one per port. */
static int undo_step(char *const argv[], long deadline_ms)
{
	int ret = -ETIMEDOUT;

	if (!hung[0]) {
		if (stop_pending())
			return -EINTR;
		ret = run(argv, deadline_ms, NULL, 0);
		if (!hung[0])
			return ret;
	}
	if (!skip_logged)
		log_warn("Open vSwitch does not answer (%s): skipping the remaining OVS cleanup",
			 hung);
	skip_logged = 1;
	return ret;
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
	char *show[] = { "ovs-vsctl", "--timeout=3", "show", NULL };
	char *start[] = { OVS_CTL, "start", "--system-id=random", "--no-mlockall",
			  "--delete-bridges", NULL };
	int ret;

	/* a switch that answers is ready (its datapath is its business) */
	ret = run(show, VSCTL_DEADLINE_MS, NULL, 0);
	if (ret == 0 || ret == -EINTR || ret == -ETIMEDOUT)
		return ret;
	if (kernel_has_ovs() < 0)
		return err_fail(EOPNOTSUPP, "kernel has no 'openvswitch' module "
				"(generic netlink family ovs_datapath missing)");
	if (ret == -ENOENT || access(OVS_CTL, X_OK) < 0)
		return err_fail(ENOENT, "Open vSwitch is not installed (no ovs-vsctl or %s)", OVS_CTL);
	ret = run(start, CTL_START_DEADLINE_MS, NULL, 0);
	if (ret == -EIO)
		return err_wrap(ret, "Failed starting OVS");
	if (ret < 0)
		return ret;
	started_here = 1;
	return 0;
}

void ovs_exit(void)
{
	char *stop[] = { OVS_CTL, "stop", NULL };

	if (started_here)
		undo_step(stop, CTL_STOP_DEADLINE_MS);
	started_here = 0;
}

/* Does OUT (ovs-vsctl --bare output: one value a line, blank lines
 * between records) have the line NAME? */
static int has_line(const char *out, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = out; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* BRIDGE is ours from a previous life: its ports with our mark go (the
 * links of this life add theirs again). 0 or -errno. */
static int adopt(const char *bridge, const char *m)
{
	char *find[] = { "ovs-vsctl", VSCTL_TIMEOUT, "--bare", "--columns=name", "find",
			 "Port", (char *)m, NULL };
	char *list[] = { "ovs-vsctl", VSCTL_TIMEOUT, "list-ports", (char *)bridge, NULL };
	char ours[8192], ports[8192];
	char **del = NULL, *save = NULL;
	size_t n = 3;
	int ret;

	if ((ret = run(find, VSCTL_DEADLINE_MS, ours, sizeof(ours))) < 0 ||
	    (ret = run(list, VSCTL_DEADLINE_MS, ports, sizeof(ports))) < 0)
		return ret;
	/* one ovs-vsctl: "--timeout=5 --if-exists del-port B P -- ..." */
	for (char *p = strtok_r(ports, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (!has_line(ours, p))
			continue;
		char **d = realloc(del, (n + 6) * sizeof(*del));

		if (!d) {
			free(del);
			return -ENOMEM;
		}
		del = d;
		if (n > 3)
			del[n++] = "--";
		del[n++] = "--if-exists";
		del[n++] = "del-port";
		del[n++] = (char *)bridge;
		del[n++] = p;
		del[n] = NULL;
	}
	log_info("Adopting OVS bridge %s (instance %s): removing %zu port(s) of a previous life",
		 bridge, instance, (n - 2) / 5);
	if (!del)
		return 0;
	del[0] = "ovs-vsctl";
	del[1] = VSCTL_TIMEOUT;
	del[2] = "--";	/* ovs-vsctl takes "-- del-port ..." as well */
	ret = run(del, VSCTL_DEADLINE_MS, NULL, 0);
	free(del);
	return ret;
}

int ovs_bridge_add(const char *bridge)
{
	char *m = mark(), *name = NULL, out[256];
	int ret;

	if (!m || asprintf(&name, "name=\"%s\"", bridge) < 0) {
		free(m);
		return -ENOMEM;
	}
	char *exists[] = { "ovs-vsctl", VSCTL_TIMEOUT, "br-exists", (char *)bridge, NULL };
	char *ours[] = { "ovs-vsctl", VSCTL_TIMEOUT, "--bare", "--columns=name", "find",
			 "Bridge", name, m, NULL };
	char *add[] = { "ovs-vsctl", VSCTL_TIMEOUT, "--may-exist", "add-br", (char *)bridge,
			"--", "set", "Bridge", (char *)bridge, m, NULL };

	ret = run(exists, VSCTL_DEADLINE_MS, NULL, 0);
	if (ret == 0) {
		/* there: ours (adopted) or someone else's (refused) */
		ret = run(ours, VSCTL_DEADLINE_MS, out, sizeof(out));
		if (ret == 0 && !has_line(out, bridge))
			ret = err_fail(EEXIST, "Bridge %s already exists", bridge);
		else if (ret == 0)
			ret = adopt(bridge, m);
	} else if (ret == -EIO) {
		ret = 0;	/* br-exists: 2, not there */
	}
	if (ret == 0) {
		struct made *b = malloc(sizeof(*b) + strlen(bridge) + 1);

		/* ours from here on, even if add-br does not answer */
		if (b) {
			strcpy(b->name, bridge);
			b->next = made;
			made = b;
		}
		ret = run(add, VSCTL_DEADLINE_MS, NULL, 0);
	}
	free(m);
	free(name);
	return ret;
}

int ovs_bridge_del(const char *bridge)
{
	char *argv[] = { "ovs-vsctl", VSCTL_TIMEOUT, "--if-exists", "del-br", (char *)bridge, NULL };
	struct made **pp = &made, *b;

	while (*pp && strcmp((*pp)->name, bridge))
		pp = &(*pp)->next;
	if (!(b = *pp))
		return 0;	/* someone else's: never removed */
	*pp = b->next;
	free(b);
	return undo_step(argv, VSCTL_DEADLINE_MS);
}

int ovs_port_add(const char *bridge, const char *port)
{
	char *m = mark();
	int ret;

	if (!m)
		return -ENOMEM;
	char *argv[] = { "ovs-vsctl", VSCTL_TIMEOUT, "add-port", (char *)bridge, (char *)port,
			 "--", "set", "Port", (char *)port, m, NULL };

	ret = run(argv, VSCTL_DEADLINE_MS, NULL, 0);
	free(m);
	return ret;
}

int ovs_port_del(const char *bridge, const char *port)
{
	char *argv[] = { "ovs-vsctl", VSCTL_TIMEOUT, "--if-exists", "del-port", (char *)bridge,
			 (char *)port, NULL };

	return undo_step(argv, VSCTL_DEADLINE_MS);
}
