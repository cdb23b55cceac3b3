/* ctl.c - talk to a running conlink daemon over its control socket.
 *
 * No standard. Event fields follow containerlab's events.
 */
const char ctl_usage[] =
"Usage: ctl [--control PATH] COMMAND [--json]   (or: conlink ctl ...)\n"
"\n"
"Ask the running conlink daemon (its --control socket) how things stand,\n"
"or impair a link while it runs.\n"
"\n"
"Commands:\n"
"  status     every configured link, one line each: state (made, failed,\n"
"             retrying, pending, drifted, waiting for its container),\n"
"             carrier, MAC, MTU, addresses, netem, rx/tx bytes, packets and\n"
"             drops (the outer end's counters), then bridges and tunnels\n"
"             (a timeline's next step under its link), mesh tunnels to\n"
"             other hosts (multi-host)\n"
"  events     follow events until interrupted:\n"
"             container start, die;\n"
"             link and tunnel made, failed, removed, restored, netem, down,\n"
"             up, timeline (a step run: planned and actual time);\n"
"             interface carrier-up, carrier-down, drifted, recovered,\n"
"             deleted, detached, restored;\n"
"             engine reconnected (its event stream, containers resynced)\n"
"  netem LINK [OPTIONS...]\n"
"             change LINK's netem in place (tc netem's options, as in the\n"
"             config: netem LINK delay 50ms loss 1%); no options remove it.\n"
"             LINK as status names it (c1:eth0, a tunnel's geneve-5)\n"
"  link LINK down|up\n"
"             take LINK down on purpose (its outer end: the container sees\n"
"             its carrier go; both links of a patch bridge) or back up;\n"
"             status shows admin down, healing leaves it so\n"
"\n"
"Options (anywhere on the line):\n"
"  --control PATH   the daemon's socket [the only one in /run/conlink, or\n"
"                   /run/conlink/INSTANCE.sock with --instance]\n"
"  --instance NAME  the daemon's --instance, for its default socket\n"
"  --json           JSON: status as one object, events one per line\n"
"Exit: 1 when the daemon cannot be reached or refuses (its reason is\n"
"printed), 2 on a usage error.\n";

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "applet.h"
#include "control_client.h"
#include "err.h"
#include "xwrap.h"

static const char *str(const json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : none;
}

static char *addresses(const json_t *o)
{
	const json_t *arr = json_object_get(o, "addresses"), *a;
	size_t i, n = 0;
	static char buf[512];

	buf[0] = '\0';
	json_array_foreach(arr, i, a)
		n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, "%s%s",
			      i ? "," : "", json_string_value(a));
	return buf[0] ? buf : "-";
}

static const char *bool_word(const json_t *v, const char *yes, const char *no)
{
	return json_is_true(v) ? yes : json_is_false(v) ? no : "-";
}

/* A timeline's progress and its next step, under its link:
 *   timeline: 2 steps, 3 run, next step 0 down at 4000 ms (in 850 ms)
 * (an 'every' step runs again and again: runs are counted, not steps) */
static void print_timeline(const json_t *tl)
{
	const json_t *next = json_object_get(tl, "next");

	printf("%-20s   timeline: %lld steps, %lld run, ", "",
	       json_integer_value(json_object_get(tl, "steps")),
	       json_integer_value(json_object_get(tl, "ran")));
	if (json_is_object(next))
		printf("next step %lld %s%s at %lld ms (in %lld ms)\n",
		       json_integer_value(json_object_get(next, "step")), str(next, "action", "?"),
		       json_is_true(json_object_get(next, "undo")) ? " undone" : "",
		       json_integer_value(json_object_get(next, "at_ms")),
		       json_integer_value(json_object_get(next, "in_ms")));
	else
		printf("no step left\n");
}

/* A device's counters (status's "stats"), as one text: "-" without */
static const char *counters_text(const json_t *st, char *buf, size_t size)
{
	if (!st)
		return "-";
	snprintf(buf, size, "rx %lld B %lld pkt %lld drop, tx %lld B %lld pkt %lld drop",
		 json_integer_value(json_object_get(st, "rx_bytes")),
		 json_integer_value(json_object_get(st, "rx_packets")),
		 json_integer_value(json_object_get(st, "rx_dropped")),
		 json_integer_value(json_object_get(st, "tx_bytes")),
		 json_integer_value(json_object_get(st, "tx_packets")),
		 json_integer_value(json_object_get(st, "tx_dropped")));
	return buf;
}

static void print_link(const json_t *l)
{
	const json_t *st = json_object_get(l, "stats"), *netem = json_object_get(l, "netem");
	const json_t *tl = json_object_get(l, "timeline");
	char state[64], counters[160];
	char *netem_text = NULL;

	snprintf(state, sizeof(state), "%s%s%s%s", str(l, "state", "?"),
		 json_string_value(json_object_get(l, "drift")) ? "(" : "",
		 str(l, "drift", ""), json_string_value(json_object_get(l, "drift")) ? ")" : "");
	if (!strcmp(str(l, "admin", "up"), "down"))
		snprintf(state, sizeof(state), "%s(admin-down)", str(l, "state", "?"));
	if (json_is_string(netem))
		netem_text = xstrdup(json_string_value(netem));
	else if (json_is_array(netem))
		netem_text = json_dumps(netem, JSON_COMPACT);
	printf("%-20s %-16s %-15s %-10s carrier %-4s mac %-17s mtu %-5lld ip %s netem %s heals %lld %s\n",
	       str(l, "link", "?"), state, str(l, "outer_dev", "-"), str(l, "bridge", "-"),
	       bool_word(json_object_get(l, "carrier"), "up", "down"), str(l, "mac", "-"),
	       json_integer_value(json_object_get(l, "mtu")), addresses(l),
	       netem_text ? netem_text : "-", json_integer_value(json_object_get(l, "heals")),
	       counters_text(st, counters, sizeof(counters)));
	if (json_string_value(json_object_get(l, "error")))
		printf("%-20s   error: %s\n", "", str(l, "error", ""));
	if (tl)
		print_timeline(tl);
	free(netem_text);
}

/* A mesh tunnel (multi-host): its device, bridge, kind and VNI, the
 * hosts it reaches, whether it is there and on its bridge. */
static void print_mesh(const json_t *m)
{
	const json_t *h;
	/* the daemon's one word for it (mesh.c), as metrics and net2dot read it */
	const char *state = str(m, "state", "?");
	size_t i;

	printf("mesh %-14s bridge %-10s %s %lld %-8s heals %lld to", str(m, "name", "?"),
	       str(m, "bridge", "?"), str(m, "kind", "?"),
	       json_integer_value(json_object_get(m, "vni")), state,
	       json_integer_value(json_object_get(m, "heals")));
	json_array_foreach(json_object_get(m, "hosts"), i, h)
		printf("%s %s (%s)", i ? "," : "", str(h, "host", "?"), str(h, "address", "?"));
	putchar('\n');
	/* its counters under it (one device for every remote of a vxlan) */
	if (json_object_get(m, "stats")) {
		char counters[160];

		printf("%-20s   %s\n", "", counters_text(json_object_get(m, "stats"), counters,
						      sizeof(counters)));
	}
}

static void print_status(const json_t *s)
{
	const json_t *sum = json_object_get(s, "summary"), *v;
	size_t i;

	printf("instance %s: %lld of %lld links made, %lld failed, %lld retrying, %lld pending, "
	       "%lld drifted, %lld heals\n", str(s, "instance", "?"),
	       json_integer_value(json_object_get(sum, "made")),
	       json_integer_value(json_object_get(sum, "expected")),
	       json_integer_value(json_object_get(sum, "failed")),
	       json_integer_value(json_object_get(sum, "retrying")),
	       json_integer_value(json_object_get(sum, "pending")),
	       json_integer_value(json_object_get(sum, "drifted")),
	       json_integer_value(json_object_get(sum, "heals")));
	printf("%-20s %-16s %-15s %-10s\n", "LINK", "STATE", "OUTER", "BRIDGE");
	json_array_foreach(json_object_get(s, "links"), i, v)
		print_link(v);
	json_array_foreach(json_object_get(s, "bridges"), i, v)
		printf("bridge %-13s mode %-6s %s carrier %s mac %s mtu %lld\n", str(v, "name", "?"),
		       str(v, "mode", "?"),
		       json_is_true(json_object_get(v, "exists")) ? "exists" : "missing",
		       bool_word(json_object_get(v, "carrier"), "up", "down"), str(v, "mac", "-"),
		       json_integer_value(json_object_get(v, "mtu")));
	json_array_foreach(json_object_get(s, "tunnels"), i, v) {
		printf("tunnel ");
		print_link(v);
	}
	json_array_foreach(json_object_get(s, "mesh"), i, v)
		print_mesh(v);
}

static int do_status(FILE *f, int as_json)
{
	json_error_t jerr;
	json_t *s = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr);

	if (!s)
		error_exit("no status from conlink: %s", jerr.text);
	if (json_string_value(json_object_get(s, "error")))
		error_exit("conlink: %s", str(s, "error", "?"));
	if (as_json) {
		json_dumpf(s, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_status(s);
	}
	json_decref(s);
	return 0;
}

/* docker events' shape: TIME TYPE ACTION ACTOR (key=value, ...) */
static void print_event(const json_t *e)
{
	const json_t *attrs = json_object_get(e, "attributes"), *v;
	const char *key, *sep = " (";

	printf("%s %s %s %s", str(e, "timestamp", "?"), str(e, "type", "?"), str(e, "action", "?"),
	       str(e, "actor_name", "?"));
	json_object_foreach((json_t *)attrs, key, v) {
		if (json_is_null(v))
			continue;
		if (json_is_string(v))
			printf("%s%s=%s", sep, key, json_string_value(v));
		else if (json_is_integer(v))
			printf("%s%s=%lld", sep, key, json_integer_value(v));
		else
			printf("%s%s=%s", sep, key, json_is_true(v) ? "true" : "false");
		sep = ", ";
	}
	printf("%s\n", *sep == ',' ? ")" : "");
}

static int do_events(FILE *f, int as_json)
{
	char *line = NULL;
	size_t cap = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (getline(&line, &cap, f) > 0) {
		json_t *e;

		if (as_json) {
			fputs(line, stdout);
			continue;
		}
		e = json_loads(line, 0, NULL);
		if (e)
			print_event(e);
		json_decref(e);
	}
	free(line);
	return 0;
}

/* The answer to netem or link: "LINK: done" (or the JSON), exit 1 with
 * the daemon's reason when it refused. */
static int do_change(FILE *f, int as_json)
{
	json_error_t jerr;
	json_t *r = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr);

	if (!r)
		error_exit("no answer from conlink: %s", jerr.text);
	if (json_string_value(json_object_get(r, "error")))
		error_exit("%s", str(r, "error", "?"));
	if (as_json) {
		json_dumpf(r, stdout, JSON_COMPACT);
		putchar('\n');
	} else if (json_is_string(json_object_get(r, "netem"))) {
		printf("%s: netem %s\n", str(r, "link", "?"), str(r, "netem", "removed"));
	} else {
		printf("%s: %s\n", str(r, "link", "?"),
		       json_is_true(json_object_get(r, "up")) ? "up" : "down");
	}
	json_decref(r);
	return 0;
}

int ctl_main(int argc, char **argv)
{
	const char *path = getenv("CONLINK_CONTROL"), *instance = NULL, *cmd = NULL;
	const char *args[64];
	char *found = NULL, *netem, *line;
	int as_json = 0, ret, nargs = 0;
	size_t len = 1;
	json_t *req;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--control") || !strcmp(a, "--instance")) {
			if (i + 1 >= argc)
				usage_exit("option '%s' needs an argument", a);
			*(a[2] == 'c' ? &path : &instance) = argv[++i];
		} else if (!strncmp(a, "--control=", 10)) {
			path = a + 10;
		} else if (!strncmp(a, "--instance=", 11)) {
			instance = a + 11;
		} else if (!strcmp(a, "--json")) {
			as_json = 1;
		} else if (cmd && !strcmp(cmd, "netem") && nargs) {
			/* netem's options: a negative overhead ("rate 1mbit -4") too */
			if (nargs == 64)
				usage_exit("too many netem words");
			args[nargs++] = a;
		} else if (a[0] == '-') {
			usage_exit("unknown option '%s'", a);
		} else if (cmd && (!strcmp(cmd, "netem") || !strcmp(cmd, "link")) && nargs < 2) {
			args[nargs++] = a;
		} else if (cmd) {
			usage_exit("unexpected argument '%s'", a);
		} else {
			cmd = a;
		}
	}
	if (!cmd)
		usage_exit("no command (status, events, netem, link)");
	if (!strcmp(cmd, "status") || !strcmp(cmd, "events")) {
		req = json_pack("{s:s}", "cmd", cmd);
	} else if (!strcmp(cmd, "netem")) {
		if (!nargs)
			usage_exit("netem: no LINK (netem LINK [OPTIONS...])");
		for (int i = 1; i < nargs; i++)
			len += strlen(args[i]) + 1;
		netem = xmalloc(len);
		netem[0] = '\0';
		for (int i = 1; i < nargs; i++)
			strcat(strcat(netem, i > 1 ? " " : ""), args[i]);
		req = json_pack("{s:s, s:s, s:s}", "cmd", cmd, "link", args[0], "netem", netem);
		free(netem);
	} else if (!strcmp(cmd, "link")) {
		if (nargs < 2 || (strcmp(args[1], "down") && strcmp(args[1], "up")))
			usage_exit("link: expected LINK down or LINK up");
		req = json_pack("{s:s, s:s, s:b}", "cmd", cmd, "link", args[0], "up",
				!strcmp(args[1], "up"));
	} else {
		usage_exit("unknown command '%s' (status, events, netem, link)", cmd);
	}
	line = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!line)
		error_exit("out of memory");
	if (!path || !*path)
		path = found = control_default_path(instance);
	if (!path || !(f = control_send(path, line)))
		error_exit("%s", err_msg());
	free(line);
	ret = !strcmp(cmd, "status") ? do_status(f, as_json)
	      : !strcmp(cmd, "events") ? do_events(f, as_json) : do_change(f, as_json);
	fclose(f);
	free(found);
	return ret;
}
