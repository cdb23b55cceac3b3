/* cni.c - cni applet: conlink as a CNI plugin.
 *
 * Standard: the Container Network Interface specification 1.1
 * (github.com/containernetworking/cni, SPEC.md); docs/cni.md.
 */
const char cni_usage[] =
"Usage: cni < NETWORK-CONFIG       (CNI_COMMAND and the other CNI_* set)\n"
"   or: conlink cni < NETWORK-CONFIG\n"
"   or: the binary installed in a CNI plugin directory as 'conlink',\n"
"       exec'd by a runtime with CNI_COMMAND set and no arguments\n"
"\n"
"A CNI 1.1 plugin speaking versions 0.3.0 to 1.1.0. The runtime gives\n"
"CNI_COMMAND (ADD, DEL, CHECK, STATUS, GC, VERSION), CNI_CONTAINERID,\n"
"CNI_NETNS, CNI_IFNAME and CNI_PATH, and the network config on stdin:\n"
"\n"
"  {\"cniVersion\": \"1.1.0\", \"name\": \"lab\", \"type\": \"conlink\",\n"
"   \"link\": {\"bridge\": \"s1\", \"mtu\": 1500, \"netem\": \"delay 5ms\"},\n"
"   \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.88.5.0/24\"}}\n"
"\n"
"\"link\" takes conlink's link properties (type, bridge, mac, mtu, route,\n"
"netem, ethtool, mode, vlanid, outer-dev for a parent), \"bridges\" the\n"
"bridges' modes (linux), \"namespace\" the network namespace file where\n"
"bridges and outer ends live (default: the plugin's own). Addresses come\n"
"from the IPAM plugin \"ipam\" names, or runtimeConfig.ips.\n"
"\n"
"ADD prints the result in the config's cniVersion; VERSION the versions;\n"
"the others print nothing. A failure prints the spec's error object\n"
"({\"code\", \"msg\", \"details\"}) on stdout and exits 1.\n"
"Environment: VERBOSE=1 also shows the plugin's log on stderr on success.\n";

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "applet.h"
#include "cni_config.h"
#include "cni_plugin.h"
#include "err.h"
#include "fsutil.h"

/* What was written to FD (a memfd), NUL-terminated. */
static char *captured(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *s = xzalloc(end > 0 ? end + 1 : 1);

	if (end > 0 && pread(fd, s, end, 0) != end)
		s[0] = 0;
	return s;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	if (s) {
		puts(s);
		free(s);
	}
	fflush(stdout);
}

int cni_main(int argc, char **argv)
{
	struct cni_request rq = {
		.command = getenv("CNI_COMMAND"), .containerid = getenv("CNI_CONTAINERID"),
		.netns = getenv("CNI_NETNS"), .ifname = getenv("CNI_IFNAME"),
		.path = getenv("CNI_PATH"),
	};
	int saved_err, log, code;
	const char *version;
	char *conf, *log_text;
	json_t *out = NULL;

	if (argc > 1)
		usage_exit("takes no arguments: the runtime passes CNI_* and stdin");
	if (!rq.command)
		usage_exit("CNI_COMMAND is not set");
	/* all of stdin: the config (VERSION's may be empty) */
	if (fd_read_all(0, &conf, &rq.conf_len) < 0) {
		conf = xstrdup("");
		rq.conf_len = 0;
	}
	rq.conf = conf;
	/* stdout carries only the result; what the plugin would say on
	 * stderr is kept for the error's details (a runtime may show a
	 * plugin's stderr to its user: a success says nothing) */
	fflush(stderr);
	saved_err = dup(2);
	log = memfd_create("cni-log", MFD_CLOEXEC);
	if (log >= 0 && saved_err >= 0)
		dup2(log, 2);
	code = cni_run(&rq, &out, &version);
	fflush(stderr);
	if (log >= 0 && saved_err >= 0)
		dup2(saved_err, 2);
	log_text = log >= 0 ? captured(log) : xstrdup("");
	if (code) {
		/* the first problem is the msg; all of them the details */
		char *first = xstrdup(log_text), *nl = strchr(first, '\n');
		const char *msg = err_msg();
		size_t plen = strlen(applet_name);

		if (nl)
			*nl = 0;
		if (*first && !strcmp(msg, "invalid network config"))
			msg = !strncmp(first, applet_name, plen) && !strncmp(first + plen, ": ", 2) ?
			      first + plen + 2 : first;
		out = cni_error_json(version, code, msg, *log_text ? log_text : err_msg());
		free(first);
		fputs(log_text, stderr);
		if (!*log_text)
			fprintf(stderr, "%s: %s\n", applet_name, err_msg());
	} else if (getenv("VERBOSE") && *getenv("VERBOSE") && strcmp(getenv("VERBOSE"), "0")) {
		fputs(log_text, stderr);
	}
	if (out)
		print_json(out);
	json_decref(out);
	free(log_text);
	free(conf);
	if (log >= 0)
		close(log);
	if (saved_err >= 0)
		close(saved_err);
	return code ? 1 : 0;
}
