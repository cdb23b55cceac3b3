/* conlink.c - the conlink daemon: declarative container networking.
 *
 * No standard. Behaviour follows upstream conlink 2.5 (Viasat/conlink).
 */
const char conlink_usage[] =
"Usage: conlink [OPTIONS]\n"
"\n"
"Create the layer 2/3 links a network config describes between containers,\n"
"as containers start, and remove them as they stop.\n"
"\n"
"Config:\n"
"  --network-file FILE[:FILE...]   network config file (alias --network-config;\n"
"                                  repeatable)\n"
"  --compose-file FILE[:FILE...]   compose file with x-network config (repeatable;\n"
"                                  --compose-file \"$COMPOSE_FILE\" works)\n"
"  --show-config                   print the loaded network config JSON and exit\n"
"  --default-bridge-mode MODE      ovs, linux, patch or auto [auto]\n"
"                                  [env: CONLINK_BRIDGE_MODE]\n"
"  --default-mtu MTU               MTU of links other than *vlan/*vtap [65535]\n"
"  --keep-veth-offload             do not lead veth ethtool settings with\n"
"                                  '--offload tx off'\n"
"Containers:\n"
"  --compose-project NAME          compose project whose services links name\n"
"                                  (default: conlink's own, else any)\n"
"  --docker-socket PATH            [/var/run/docker.sock]\n"
"  --podman-socket PATH            [/var/run/podman/podman.sock]\n"
"  --no-engine                     use no container engine (with --netns-dir)\n"
"  --netns-dir DIR                 each network namespace file in DIR is a\n"
"                                  container of that name (S_N: replica N of S)\n"
"  --host-netns PATH               namespace that *vlan/*vtap parents live in\n"
"                                  [/proc/1/ns/net]\n"
"  --external-intf NAME            interface port forwards arrive on [DOCKER-ETH0]\n"
"  --host-id NAME                  which of the config's hosts this is: link its\n"
"                                  containers only, mesh its bridges with the\n"
"                                  other hosts [env: CONLINK_HOST_ID]\n"
"  --instance NAME                 who owns what this conlink makes: a restart\n"
"                                  with the same NAME adopts or replaces it\n"
"                                  [env: CONLINK_INSTANCE; default the compose\n"
"                                  project (--compose-project,\n"
"                                  COMPOSE_PROJECT_NAME), else conlink]\n"
"Control:\n"
"  --control PATH                  control socket for conlink ctl (mode 0600)\n"
"                                  [/run/conlink/INSTANCE.sock; none: no socket]\n"
"  --no-heal                       report interfaces deleted or taken off their\n"
"                                  bridge by hand, do not restore them\n"
"  --metrics ADDR:PORT             Prometheus metrics at http://ADDR:PORT/metrics\n"
"Other:\n"
"  -v, --verbose                   more output (twice: debug) [env: VERBOSE]\n"
"  -h, --help                      this text\n"
"Applets (conlink --list):\n"
"  conlink APPLET [ARGS...]        run APPLET, as a symlink named APPLET does\n"
"  --install DIR                   make those symlinks in DIR\n";

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet.h"
#include "conlink.h"
#include "daemon.h"
#include "log.h"
#include "netcfg.h"
#include "xwrap.h"

enum {
	OPT_NETWORK_FILE = 256, OPT_COMPOSE_FILE, OPT_SHOW_CONFIG,
	OPT_BRIDGE_MODE, OPT_MTU, OPT_KEEP_OFFLOAD, OPT_PROJECT,
	OPT_DOCKER_SOCK, OPT_PODMAN_SOCK, OPT_NO_ENGINE, OPT_NETNS_DIR,
	OPT_HOST_NETNS, OPT_EXT_INTF, OPT_INSTANCE, OPT_CONTROL, OPT_NO_HEAL,
	OPT_METRICS, OPT_HOST_ID,
};

static const struct option long_opts[] = {
	{"network-file", required_argument, NULL, OPT_NETWORK_FILE},
	{"network-config", required_argument, NULL, OPT_NETWORK_FILE},
	{"compose-file", required_argument, NULL, OPT_COMPOSE_FILE},
	{"show-config", no_argument, NULL, OPT_SHOW_CONFIG},
	{"default-bridge-mode", required_argument, NULL, OPT_BRIDGE_MODE},
	{"default-mtu", required_argument, NULL, OPT_MTU},
	{"keep-veth-offload", no_argument, NULL, OPT_KEEP_OFFLOAD},
	{"compose-project", required_argument, NULL, OPT_PROJECT},
	{"docker-socket", required_argument, NULL, OPT_DOCKER_SOCK},
	{"podman-socket", required_argument, NULL, OPT_PODMAN_SOCK},
	{"no-engine", no_argument, NULL, OPT_NO_ENGINE},
	{"netns-dir", required_argument, NULL, OPT_NETNS_DIR},
	{"host-netns", required_argument, NULL, OPT_HOST_NETNS},
	{"external-intf", required_argument, NULL, OPT_EXT_INTF},
	{"instance", required_argument, NULL, OPT_INSTANCE},
	{"control", required_argument, NULL, OPT_CONTROL},
	{"no-heal", no_argument, NULL, OPT_NO_HEAL},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"host-id", required_argument, NULL, OPT_HOST_ID},
	{"verbose", no_argument, NULL, 'v'},
	{NULL, 0, NULL, 0},
};

static int parse_mtu(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 68 || v > 65535)
		usage_exit("--default-mtu: '%s' is not an MTU (68..65535)", s);
	return (int)v;
}

/* Who owns what this conlink makes (interface alias, nft table, OVS
 * external-ids): the same name after a crash finds it again. The compose
 * project by default, so two projects' conlinks sharing a namespace keep
 * apart; "conlink" when there is none. */
static const char *instance_name(const char *given, const char *project)
{
	const char *env = getenv("CONLINK_INSTANCE");
	const char *name = given ? given : env && *env ? env : project;

	if (!name)
		name = getenv("COMPOSE_PROJECT_NAME");
	if (!name || !*name)
		name = "conlink";
	if (strlen(name) > 64 || strpbrk(name, " \t\n"))
		usage_exit("--instance: '%s' must be 1..64 characters without spaces", name);
	return name;
}

static char *control_default;

static void parse_args(int argc, char **argv, struct conlink_opts *o)
{
	const char *env_mode = getenv("CONLINK_BRIDGE_MODE");
	const char *env_host = getenv("CONLINK_HOST_ID");
	int c;

	memset(o, 0, sizeof(*o));
	o->default_bridge_mode = env_mode && *env_mode ? env_mode : "auto";
	o->default_mtu = 65535;
	o->docker_socket = "/var/run/docker.sock";
	o->podman_socket = "/var/run/podman/podman.sock";
	o->host_netns = "/proc/1/ns/net";
	o->external_intf = "DOCKER-ETH0";
	o->host_id = env_host && *env_host ? env_host : NULL;
	log_init_from_env();
	o->verbose = log_level;

	while ((c = xgetopt(argc, argv, "v", long_opts)) != -1) {
		switch (c) {
		case OPT_NETWORK_FILE: strlist_add_split(&o->network_files, optarg); break;
		case OPT_COMPOSE_FILE: strlist_add_split(&o->compose_files, optarg); break;
		case OPT_SHOW_CONFIG: o->show_config = true; break;
		case OPT_BRIDGE_MODE: o->default_bridge_mode = optarg; break;
		case OPT_MTU: o->default_mtu = parse_mtu(optarg); break;
		case OPT_KEEP_OFFLOAD: o->keep_veth_offload = true; break;
		case OPT_PROJECT: o->compose_project = optarg; break;
		case OPT_DOCKER_SOCK:
			o->docker_socket = optarg;
			o->docker_socket_given = true;
			break;
		case OPT_PODMAN_SOCK:
			o->podman_socket = optarg;
			o->podman_socket_given = true;
			break;
		case OPT_NO_ENGINE: o->no_engine = true; break;
		case OPT_NETNS_DIR: o->netns_dir = optarg; break;
		case OPT_HOST_NETNS: o->host_netns = optarg; break;
		case OPT_EXT_INTF: o->external_intf = optarg; break;
		case OPT_INSTANCE: o->instance = optarg; break;
		case OPT_CONTROL:
			o->control = optarg;
			o->control_given = true;
			break;
		case OPT_NO_HEAL: o->no_heal = true; break;
		case OPT_METRICS: o->metrics = optarg; break;
		case OPT_HOST_ID: o->host_id = optarg; break;
		case 'v': o->verbose++; break;
		}
	}
	if (optind < argc)
		usage_exit("unexpected argument '%s'", argv[optind]);
	if (!o->network_files.n && !o->compose_files.n)
		usage_exit("no network config: give --network-file or --compose-file");
	log_level = o->verbose;
	o->instance = instance_name(o->instance, o->compose_project);
	if (!o->control)
		o->control = control_default = xasprintf("/run/conlink/%s.sock", o->instance);
	else if (!strcmp(o->control, "none"))
		o->control = NULL;
}

int conlink_main(int argc, char **argv)
{
	struct conlink_opts opts;
	json_t *cfg = NULL;
	int ret;

	parse_args(argc, argv, &opts);
	if (netcfg_load(&opts, &cfg) < 0)
		ret = -1;
	else if (opts.show_config)
		ret = netcfg_print(cfg, stdout);
	else
		ret = daemon_run(cfg, &opts);
	json_decref(cfg);
	strlist_free(&opts.network_files);
	strlist_free(&opts.compose_files);
	free(control_default);
	return ret ? 1 : 0;
}
