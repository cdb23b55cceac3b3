/* daemon.c - the conlink daemon: start sources, make bridges and tunnels,
 * run the loop until SIGINT/SIGTERM, undo everything (see daemon.h).
 * The per-container state table is core/daemon/state.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "command.h"
#include "container_commands.h"
#include "control.h"
#include "daemon.h"
#include "docker_eth0.h"
#include "err.h"
#include "heal.h"
#include "apply.h"
#include "state.h"
#include "log.h"
#include "loop.h"
#include "mesh.h"
#include "metrics.h"
#include "ovs.h"
#include "owner.h"
#include "source_netns.h"
#include "sources.h"
#include "status.h"

/* Weak defaults: no engine support in this build. The engine module
 * replaces both by defining them (see sources.h). */
__attribute__((weak)) int engine_sources_start(const struct conlink_opts *opts)
{
	return err_fail(ENOSYS, "no container engine support in this build");
}

__attribute__((weak)) void engine_sources_stop(void)
{
}

static int exit_signal;

/* Each linked container keeps its namespace open until its links are
 * undone: allow as many open files as the hard limit lets us. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	exit_signal = si.ssi_signo;
	loop_stop();
}

/* Block SIGINT/SIGTERM and take them from a signalfd on the loop, so
 * cleanup runs in the loop's own context. -1 or the fd. */
static int signals_start(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		err_fail(errno, "signalfd");
		return -1;
	}
	if (loop_add_fd(fd, EPOLLIN, on_signal, NULL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Bridges, in config order; an existing one of the same name is an error
 * (upstream refuses to adopt a bridge it would later delete). */
struct bridges {
	struct undo **undo;
	size_t n;
};

static int bridges_up(const json_t *cfg, int self_ns, struct bridges *b)
{
	const json_t *all = json_object_get(cfg, "bridges");
	const char *name;
	json_t *br;

	b->undo = calloc(json_object_size(all) + 1, sizeof(*b->undo));
	if (!b->undo)
		return err_fail(ENOMEM, "bridges");
	json_object_foreach((json_t *)all, name, br) {
		const char *mode = json_string_value(json_object_get(br, "mode"));

		log_info("Creating bridge/switch %s (mode %s)", name, mode);
		if (bridge_make(br, self_ns, &b->undo[b->n]) < 0)
			return err_wrap(-1, "bridge %s", name);
		b->n++;
	}
	return 0;
}

static void bridges_down(struct bridges *b)
{
	while (b->n-- > 0)
		undo_run(b->undo[b->n]);
	free(b->undo);
}

int daemon_run(json_t *cfg, const struct conlink_opts *opts)
{
	struct link_env env = {
		.self_ns = -1,
		.host_ns = -1,
		.host_ns_path = opts->host_netns,
		.external_intf = opts->external_intf,
	};
	struct bridges bridges = {0};
	int sigfd = -1, ret = -1, engines = 0;
	json_t *local = NULL;

	raise_nofile();
	/* one of many hosts: its own containers, its share of the bridges */
	if (opts->host_id) {
		if (!(local = mesh_local_config(cfg, opts->host_id))) {
			log_error("%s", err_msg());
			return -1;
		}
		cfg = local;
		log_info("Host %s: containers placed here %zu, services %zu", opts->host_id,
			 json_object_size(json_object_get(cfg, "containers")),
			 json_object_size(json_object_get(cfg, "services")));
	}
	if (loop_init() < 0 || (sigfd = signals_start()) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	ovs_setup(opts->instance, sigfd);	/* its marks; a signal ends a hung run */
	env.self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (env.self_ns < 0) {
		log_error("cannot open own network namespace: %s", strerror(errno));
		goto out;
	}
	/* only links with base host need it; they fail with the reason */
	env.host_ns = open(opts->host_netns, O_RDONLY | O_CLOEXEC);
	if (env.host_ns < 0)
		log_verbose("host namespace '%s': %s", opts->host_netns, strerror(errno));
	/* in a container: eth0 becomes DOCKER-ETH0, forwards get their route */
	if (docker_eth0_setup(cfg, opts->external_intf) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	if (state_init(cfg, &env) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	daemon_set_compose_project(opts->compose_project);
	/* what a previous life of this instance left: listed, then adopted
	 * (bridges) or removed before anything is made (owner.h) */
	owner_init(opts->instance);
	if (owner_start(env.self_ns, env.host_ns) < 0)
		log_warn("%s", err_msg());
	status_init(cfg, env.self_ns, opts->instance);
	/* before anything is made: each link is watched as it is made */
	if (heal_start(env.self_ns, !opts->no_heal) < 0)
		log_warn("interface monitor: %s; nothing made will be watched", err_msg());
	if (opts->control && control_start(opts->control) < 0) {
		if (opts->control_given) {
			log_error("%s", err_msg());
			goto out;
		}
		log_warn("%s; no control socket", err_msg());
	}
	if (opts->metrics && metrics_start(opts->metrics) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	if (bridges_up(cfg, env.self_ns, &bridges) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	owner_purge();
	if (opts->host_id && mesh_start(cfg, opts->host_id, env.self_ns) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	state_tunnels_make();

	/* containers present at start come in now; summarise once after */
	state_summary_enable(0);
	if (opts->netns_dir && source_netns_start(opts->netns_dir) < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	if (!opts->no_engine) {
		if (engine_sources_start(opts) == 0) {
			engines = 1;
		} else if (opts->netns_dir) {
			log_warn("%s; using --netns-dir only", err_msg());
		} else {
			log_error("%s", err_msg());
			goto out;
		}
	} else if (!opts->netns_dir) {
		log_warn("--no-engine without --netns-dir: no containers will be seen");
	}
	state_summary_enable(1);
	owner_report();

	if (loop_run() < 0) {
		log_error("%s", err_msg());
		goto out;
	}
	log_info("Got signal %s: removing links", strsignal(exit_signal));
	ret = 0;
out:
	heal_stop();	/* what follows deletes what it watches */
	control_stop();
	metrics_stop();
	if (engines)
		engine_sources_stop();
	source_netns_stop();
	command_stop_all();
	container_commands_free();
	nsock_exit();	/* one group delete per namespace: fast exit */
	state_free();
	mesh_stop();
	bridges_down(&bridges);
	ovs_exit();		/* the OVS daemons, if conlink started them */
	docker_eth0_restore();
	owner_free();
	if (env.host_ns >= 0)
		close(env.host_ns);
	if (env.self_ns >= 0)
		close(env.self_ns);
	if (sigfd >= 0) {
		loop_del_fd(sigfd);
		close(sigfd);
	}
	loop_free();
	json_decref(local);
	return ret;
}
