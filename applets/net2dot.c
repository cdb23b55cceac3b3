/* net2dot.c - draw a conlink network config as a GraphViz dot graph or a
 * Mermaid flowchart, optionally marked with a running daemon's status.
 *
 * No standard. Follows upstream conlink's net2dot (the model and writers:
 * core/config/netgraph*.c).
 */
const char net2dot_usage[] =
"Usage: net2dot [--mermaid] [--live [--control PATH | --instance NAME]] [FILE]\n"
"\n"
"Read the network config JSON that `conlink --show-config` prints (from\n"
"FILE, or stdin when FILE is absent or -) and write a GraphViz dot graph:\n"
"\n"
"  conlink --show-config --compose-file F | net2dot | dot -Tsvg > net.svg\n"
"\n"
"  --mermaid        a Mermaid flowchart instead (GitHub renders it in a\n"
"                   ```mermaid block)\n"
"  --live           mark each edge with what the running daemon says of its\n"
"                   link (conlink ctl status): made, failed, retrying,\n"
"                   pending, waiting, drifted (and how), down; and its netem\n"
"  --control PATH   the daemon's socket [as conlink ctl: $CONLINK_CONTROL,\n"
"                   else the only one in /run/conlink]\n"
"  --instance NAME  the daemon's --instance, for its default socket\n"
"  -h, --help       this text\n";

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "applet.h"
#include "control_client.h"
#include "err.h"
#include "netgraph.h"
#include "xwrap.h"

/* The daemon's status over its control socket (PATH, or ctl's default). */
static json_t *live_status(const char *path, const char *instance)
{
	char *found = NULL;
	json_error_t jerr;
	json_t *s;
	FILE *f;

	if (!path || !*path)
		path = found = control_default_path(instance);
	if (!path)
		error_exit("%s", err_msg());
	f = control_request(path, "status");
	if (!f)
		error_exit("%s", err_msg());
	s = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr);
	fclose(f);
	if (!s)
		error_exit("no status from conlink at %s: %s", path, jerr.text);
	if (json_string_value(json_object_get(s, "error")))
		error_exit("conlink: %s", json_string_value(json_object_get(s, "error")));
	free(found);
	return s;
}

int net2dot_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"mermaid", no_argument, NULL, 'm'},
		{"live", no_argument, NULL, 'l'},
		{"control", required_argument, NULL, 'c'},
		{"instance", required_argument, NULL, 'i'},
		{0},
	};
	const char *path, *control = getenv("CONLINK_CONTROL"), *instance = NULL;
	int opt, mermaid = 0, live = 0;
	struct netgraph g;
	json_error_t jerr;
	json_t *cfg, *status = NULL;

	while ((opt = xgetopt(argc, argv, "", opts)) != -1) {
		switch (opt) {
		case 'm': mermaid = 1; break;
		case 'l': live = 1; break;
		case 'c': control = optarg; break;
		case 'i': instance = optarg; break;
		}
	}
	if (argc - optind > 1)
		usage_exit("too many arguments");
	path = optind < argc ? argv[optind] : "-";
	if (!strcmp(path, "-"))
		cfg = json_loadf(stdin, 0, &jerr);
	else
		cfg = json_load_file(path, 0, &jerr);
	if (!cfg)
		error_exit("%s:%d:%d: %s", strcmp(path, "-") ? path : "stdin", jerr.line,
			   jerr.column, jerr.text);
	if (netgraph_build(&g, cfg) < 0)
		error_exit("%s: %s", path, err_msg());
	if (live) {
		status = live_status(control, instance);
		netgraph_mark(&g, status);
	}
	if (mermaid)
		netgraph_mermaid(&g, stdout);
	else
		netgraph_dot(&g, stdout);
	netgraph_free(&g);
	json_decref(status);
	json_decref(cfg);
	return fflush(stdout) ? 1 : 0;
}
