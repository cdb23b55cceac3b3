/* ethtool.c - ethtool settings: features natively (SIOCETHTOOL), the rest
 * through the ethtool program started inside the namespace (the caller
 * watches it: see ethtool.h). */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "err.h"
#include "ethtool.h"
#include "spell.h"

/* ethtool's legacy offload names and the kernel features they stand for. */
static const struct { const char *name, *pattern; } legacy[] = {
	{ "rx", "rx-checksum" }, { "tx", "tx-checksum-*" },
	{ "sg", "tx-scatter-gather*" }, { "tso", "tx-tcp*-segmentation" },
	{ "ufo", "tx-udp-fragmentation" }, { "gso", "tx-generic-segmentation" },
	{ "gro", "rx-gro" }, { "lro", "rx-lro" }, { "rxvlan", "rx-vlan-hw-parse" },
	{ "txvlan", "tx-vlan-hw-insert" }, { "ntuple", "rx-ntuple-filter" },
	{ "rxhash", "rx-hashing" },
};

/* Every feature name -K takes: the legacy names above and the kernel's
 * (netdev_features_strings, older kernels' too). A device has a subset:
 * a name it lacks is an error when the link is made. */
static const char *const features[] = {
	"rx", "tx", "sg", "tso", "ufo", "gso", "gro", "lro", "rxvlan", "txvlan", "ntuple",
	"rxhash",
	"tx-scatter-gather", "tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6",
	"highdma", "tx-scatter-gather-fraglist", "tx-vlan-hw-insert", "rx-vlan-hw-parse",
	"rx-vlan-filter", "vlan-challenged", "tx-generic-segmentation", "tx-lockless",
	"netns-local", "rx-gro", "rx-lro", "tx-tcp-segmentation", "tx-gso-robust",
	"tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation", "tx-tcp6-segmentation",
	"tx-fcoe-segmentation", "tx-gre-segmentation", "tx-gre-csum-segmentation",
	"tx-ipxip4-segmentation", "tx-ipxip6-segmentation", "tx-udp_tnl-segmentation",
	"tx-udp_tnl-csum-segmentation", "tx-gso-partial", "tx-tunnel-remcsum-segmentation",
	"tx-sctp-segmentation", "tx-esp-segmentation", "tx-udp-segmentation", "tx-gso-list",
	"tx-tcp-accecn-segmentation", "tx-udp-fragmentation", "fcoe-mtu",
	"tx-checksum-fcoe-crc", "tx-checksum-sctp", "rx-ntuple-filter", "rx-hashing",
	"rx-checksum", "tx-nocache-copy", "loopback", "rx-fcs", "rx-all",
	"tx-vlan-stag-hw-insert", "rx-vlan-stag-hw-parse", "rx-vlan-stag-filter",
	"l2-fwd-offload", "busy-poll", "hw-tc-offload", "esp-hw-offload",
	"esp-tx-csum-hw-offload", "rx-udp_tunnel-port-offload", "tls-hw-tx-offload",
	"tls-hw-rx-offload", "rx-gro-hw", "tls-hw-record", "rx-gro-list", "macsec-hw-offload",
	"rx-udp-gro-forwarding", "hsr-tag-ins-offload", "hsr-tag-rm-offload",
	"hsr-fwd-offload", "hsr-dup-offload", NULL,
};

/* What a parameter of an option takes. */
enum ptype { P_ONOFF, P_NUM, P_WORD };

struct param {
	const char *name;
	enum ptype type;
	const char *const *values;	/* P_WORD: the words it takes; NULL: any */
};

static const char *const duplex[] = { "half", "full", NULL };
static const char *const port[] = { "tp", "aui", "bnc", "mii", "fibre", "da", NULL };
static const char *const mdix[] = { "auto", "on", "off", NULL };
static const char *const xcvr[] = { "internal", "external", NULL };
static const char *const master_slave[] = { "preferred-master", "preferred-slave",
					    "forced-master", "forced-slave", NULL };

static const struct param change[] = {
	{ "speed", P_NUM, NULL }, { "lanes", P_NUM, NULL }, { "duplex", P_WORD, duplex },
	{ "port", P_WORD, port }, { "mdix", P_WORD, mdix }, { "autoneg", P_ONOFF, NULL },
	{ "advertise", P_WORD, NULL }, { "phyad", P_NUM, NULL }, { "xcvr", P_WORD, xcvr },
	{ "wol", P_WORD, NULL }, { "sopass", P_WORD, NULL },
	{ "master-slave", P_WORD, master_slave }, { "msglvl", P_WORD, NULL }, { NULL, 0, NULL },
};
static const struct param pause_params[] = {
	{ "autoneg", P_ONOFF, NULL }, { "rx", P_ONOFF, NULL }, { "tx", P_ONOFF, NULL },
	{ NULL, 0, NULL },
};
static const struct param coalesce[] = {
	{ "adaptive-rx", P_ONOFF, NULL }, { "adaptive-tx", P_ONOFF, NULL },
	{ "cqe-mode-rx", P_ONOFF, NULL }, { "cqe-mode-tx", P_ONOFF, NULL },
	{ "rx-usecs", P_NUM, NULL }, { "rx-frames", P_NUM, NULL },
	{ "rx-usecs-irq", P_NUM, NULL }, { "rx-frames-irq", P_NUM, NULL },
	{ "tx-usecs", P_NUM, NULL }, { "tx-frames", P_NUM, NULL },
	{ "tx-usecs-irq", P_NUM, NULL }, { "tx-frames-irq", P_NUM, NULL },
	{ "stats-block-usecs", P_NUM, NULL }, { "pkt-rate-low", P_NUM, NULL },
	{ "rx-usecs-low", P_NUM, NULL }, { "rx-frames-low", P_NUM, NULL },
	{ "tx-usecs-low", P_NUM, NULL }, { "tx-frames-low", P_NUM, NULL },
	{ "pkt-rate-high", P_NUM, NULL }, { "rx-usecs-high", P_NUM, NULL },
	{ "rx-frames-high", P_NUM, NULL }, { "tx-usecs-high", P_NUM, NULL },
	{ "tx-frames-high", P_NUM, NULL }, { "sample-interval", P_NUM, NULL },
	{ "tx-aggr-max-bytes", P_NUM, NULL }, { "tx-aggr-max-frames", P_NUM, NULL },
	{ "tx-aggr-time-usecs", P_NUM, NULL }, { NULL, 0, NULL },
};
static const struct param ring[] = {
	{ "rx", P_NUM, NULL }, { "rx-mini", P_NUM, NULL }, { "rx-jumbo", P_NUM, NULL },
	{ "tx", P_NUM, NULL }, { "rx-buf-len", P_NUM, NULL }, { "cqe-size", P_NUM, NULL },
	{ "tx-push", P_ONOFF, NULL }, { "rx-push", P_ONOFF, NULL },
	{ "tx-push-buf-len", P_NUM, NULL }, { "tcp-data-split", P_WORD, mdix },
	{ "hds-thresh", P_NUM, NULL }, { NULL, 0, NULL },
};
static const struct param channels[] = {
	{ "rx", P_NUM, NULL }, { "tx", P_NUM, NULL }, { "other", P_NUM, NULL },
	{ "combined", P_NUM, NULL }, { NULL, 0, NULL },
};
static const struct param eee[] = {
	{ "eee", P_ONOFF, NULL }, { "tx-lpi", P_ONOFF, NULL }, { "tx-timer", P_NUM, NULL },
	{ "advertise", P_WORD, NULL }, { NULL, 0, NULL },
};
static const struct param tunable[] = {
	{ "rx-copybreak", P_NUM, NULL }, { "tx-copybreak", P_NUM, NULL },
	{ "tx-buf-size", P_NUM, NULL }, { "pfc-prevention-tout", P_NUM, NULL },
	{ NULL, 0, NULL },
};

/* How an option's arguments are checked. */
enum otype {
	O_PARAMS,	/* NAME VALUE pairs from params */
	O_FEATURES,	/* NAME on|off pairs, NAME from features[] (done natively) */
	O_FLAGS,	/* NAME on|off pairs, any NAME (the device's own) */
	O_NONE,		/* no arguments */
	O_ANY,		/* arguments too varied to check here: ethtool checks them */
};

/* The options this program knows: the ones that change a setting. */
static const struct ethtool_opt {
	const char *names[5];
	enum otype type;
	const struct param *params;
} opts[] = {
	{ { "-K", "--features", "--offload" }, O_FEATURES, NULL },
	{ { "-s", "--change" }, O_PARAMS, change },
	{ { "-A", "--pause" }, O_PARAMS, pause_params },
	{ { "-C", "--coalesce" }, O_PARAMS, coalesce },
	{ { "-G", "--set-ring" }, O_PARAMS, ring },
	{ { "-L", "--set-channels" }, O_PARAMS, channels },
	{ { "--set-eee" }, O_PARAMS, eee },
	{ { "--set-tunable" }, O_PARAMS, tunable },
	{ { "--set-priv-flags" }, O_FLAGS, NULL },
	{ { "-r", "--negotiate" }, O_NONE, NULL },
	{ { "-N", "-U", "--config-nfc", "--config-ntuple" }, O_ANY, NULL },
	{ { "-X", "--set-rxfh-indir", "--rxfh" }, O_ANY, NULL },
	{ { "--set-fec" }, O_ANY, NULL },
	{ { "--set-phy-tunable" }, O_ANY, NULL },
	{ { "-W", "--set-dump" }, O_ANY, NULL },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const char *const option_names[] = {
	"-K", "--features", "--offload", "-s", "--change", "-A", "--pause", "-C", "--coalesce",
	"-G", "--set-ring", "-L", "--set-channels", "--set-eee", "--set-tunable",
	"--set-priv-flags", "-r", "--negotiate", "-N", "-U", "--config-nfc",
	"--config-ntuple", "-X", "--set-rxfh-indir", "--rxfh", "--set-fec",
	"--set-phy-tunable", "-W", "--set-dump", NULL,
};

#define OPTIONS_EXPECTED "-K/--features/--offload, -s/--change, -A/--pause, " \
	"-C/--coalesce, -G/--set-ring, -L/--set-channels, --set-eee, --set-tunable, " \
	"--set-priv-flags, -r/--negotiate, -N/-U/--config-nfc/--config-ntuple, " \
	"-X/--set-rxfh-indir/--rxfh, --set-fec, --set-phy-tunable or -W/--set-dump"

static const struct ethtool_opt *opt_find(const char *w)
{
	for (size_t i = 0; i < NOPTS; i++)
		for (int k = 0; opts[i].names[k]; k++)
			if (!strcmp(opts[i].names[k], w))
				return &opts[i];
	return NULL;
}

static bool in(const char *w, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(w, *names))
			return true;
	return false;
}

/* Split SETTING into words (at most MAX-1), in BUF. -E2BIG with err_msg()
 * when it does not fit: a setting cut short would apply only part of it. */
static int split(const char *setting, char *buf, size_t len, char **w, int max)
{
	char *save = NULL, *t;
	int n = 0;

	if ((size_t)snprintf(buf, len, "%s", setting) >= len)
		return err_fail(E2BIG, "too long (at most %zu characters)", len - 1);
	for (t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == max - 1)
			return err_fail(E2BIG, "too many words (at most %d)", max - 1);
		w[n++] = t;
	}
	w[n] = NULL;
	return n;
}

/* The NAME on|off pairs of W[1..N). */
static int check_pairs(char **w, int n, const char *const *names, const char *what)
{
	char h[SPELL_HINT_MAX];

	if (n < 2)
		return err_fail(EINVAL, "'%s' needs NAME on|off pairs, expected at least one", w[0]);
	for (int i = 1; i < n; i += 2) {
		if (names && !in(w[i], names))
			return err_fail(EINVAL, "unknown %s '%s'%s, expected a feature name as "
					"'ethtool -k' shows it (rx, tx, sg, tso, gso, gro, lro, "
					"tx-checksum-ipv4, ...)", what, w[i],
					spell_hint(w[i], names, sizeof(*names), h));
		if (i + 1 == n)
			return err_fail(EINVAL, "'%s' needs on or off after it", w[i]);
		if (strcmp(w[i + 1], "on") && strcmp(w[i + 1], "off"))
			return err_fail(EINVAL, "bad value for '%s': '%s', expected on or off",
					w[i], w[i + 1]);
	}
	return 0;
}

static int check_params(char **w, int n, const struct param *params)
{
	char h[SPELL_HINT_MAX];

	for (int i = 1; i < n; i += 2) {
		const struct param *p;

		for (p = params; p->name && strcmp(p->name, w[i]); p++)
			;
		if (!p->name) {
			char names[512] = "";

			for (const struct param *q = params; q->name; q++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
					 q == params ? "" : ", ", q->name);
			return err_fail(EINVAL, "unknown parameter '%s' of '%s'%s, expected one of %s",
					w[i], w[0], spell_hint(w[i], &params->name, sizeof(*params), h),
					names);
		}
		const char *v = w[i + 1];

		if (!v)
			return err_fail(EINVAL, "'%s' needs a value after it", w[i]);
		if (p->type == P_ONOFF && strcmp(v, "on") && strcmp(v, "off"))
			return err_fail(EINVAL, "bad value for '%s': '%s', expected on or off",
					w[i], v);
		if (p->type == P_NUM && (!*v || strspn(v, "0123456789") != strlen(v) ||
					 strlen(v) > 10 || strtoull(v, NULL, 10) > UINT32_MAX))
			return err_fail(EINVAL, "bad value for '%s': '%s', expected a number "
					"0..4294967295", w[i], v);
		if (p->type == P_WORD && p->values && !in(v, p->values)) {
			char names[256] = "";

			for (const char *const *q = p->values; *q; q++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
					 q == p->values ? "" : ", ", *q);
			return err_fail(EINVAL, "bad value for '%s': '%s', expected one of %s",
					w[i], v, names);
		}
	}
	return 0;
}

/* The one ethtool grammar: split SETTING into W (BUF holds the words) and
 * check it. The option's entry, or NULL with err_msg(). */
static const struct ethtool_opt *parse(const char *setting, char *buf, size_t len,
				       char **w, int max, int *nw)
{
	int n = split(setting, buf, len, w, max);
	const struct ethtool_opt *o;
	char h[SPELL_HINT_MAX];

	if (n < 0)
		return NULL;
	*nw = n;
	if (n == 0) {
		err_fail(EINVAL, "empty, expected an option such as '--offload NAME on|off'");
		return NULL;
	}
	if (!(o = opt_find(w[0]))) {
		err_fail(EINVAL, "unknown option '%s'%s, expected %s", w[0],
			 spell_hint(w[0], option_names, sizeof(*option_names), h), OPTIONS_EXPECTED);
		return NULL;
	}
	int ret = 0;

	switch (o->type) {
	case O_FEATURES: ret = check_pairs(w, n, features, "feature"); break;
	case O_FLAGS: ret = check_pairs(w, n, NULL, "flag"); break;
	case O_PARAMS:
		ret = n < 2 ? err_fail(EINVAL, "'%s' needs NAME VALUE pairs, expected at least "
				       "one", w[0]) : check_params(w, n, o->params);
		break;
	case O_NONE:
		if (n > 1)
			ret = err_fail(EINVAL, "unknown word '%s', expected nothing after '%s'",
				       w[1], w[0]);
		break;
	case O_ANY:
		break;
	}
	return ret < 0 ? NULL : o;
}

int ethtool_check(const char *setting)
{
	char buf[512], *w[64];
	int n;

	return parse(setting, buf, sizeof(buf), w, 64, &n) ? 0 : -EINVAL;
}

/* Feature names are the same table for every device: read them once. */
static char (*fnames)[ETH_GSTRING_LEN];
static unsigned int nfeatures;

static int ethtool_ioctl(int sock, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

static int load_names(int sock, const char *ifname)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} info = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_FEATURES } };
	int ret;

	if (fnames)
		return 0;
	ret = ethtool_ioctl(sock, ifname, &info);
	if (ret < 0)
		return err_fail(-ret, "%s: cannot read ethtool feature names", ifname);
	struct ethtool_gstrings *gs = calloc(1, sizeof(*gs) + info.len * ETH_GSTRING_LEN);

	if (!gs)
		return -ENOMEM;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = info.len;
	ret = ethtool_ioctl(sock, ifname, gs);
	if (ret < 0) {
		free(gs);
		return err_fail(-ret, "%s: cannot read ethtool feature names", ifname);
	}
	fnames = malloc(info.len * ETH_GSTRING_LEN);
	if (!fnames) {
		free(gs);
		return -ENOMEM;
	}
	memcpy(fnames, gs->data, info.len * ETH_GSTRING_LEN);
	nfeatures = info.len;
	free(gs);
	return 0;
}

static int set_features(int sock, const char *ifname, const char *setting, char **w, int n)
{
	unsigned int blocks, i;
	int ret = load_names(sock, ifname);

	if (ret < 0)
		return ret;
	blocks = (nfeatures + 31) / 32;
	struct ethtool_sfeatures *sf = calloc(1, sizeof(*sf) + blocks * sizeof(sf->features[0]));

	if (!sf)
		return -ENOMEM;
	sf->cmd = ETHTOOL_SFEATURES;
	sf->size = blocks;
	for (int k = 1; k + 1 < n; k += 2) {
		const char *pattern = w[k];
		int on = !strcmp(w[k + 1], "on"), hits = 0;

		for (size_t l = 0; l < sizeof(legacy) / sizeof(legacy[0]); l++)
			if (!strcmp(legacy[l].name, w[k]))
				pattern = legacy[l].pattern;
		for (i = 0; i < nfeatures; i++) {
			char name[ETH_GSTRING_LEN + 1];

			memcpy(name, fnames[i], ETH_GSTRING_LEN);
			name[ETH_GSTRING_LEN] = 0;
			if (fnmatch(pattern, name, 0))
				continue;
			hits++;
			sf->features[i / 32].valid |= 1U << (i % 32);
			if (on)
				sf->features[i / 32].requested |= 1U << (i % 32);
			else
				sf->features[i / 32].requested &= ~(1U << (i % 32));
		}
		if (!hits) {
			free(sf);
			return err_fail(EINVAL, "ethtool '%s': unknown feature '%s'", setting, w[k]);
		}
	}
	ret = ethtool_ioctl(sock, ifname, sf);
	free(sf);
	if (ret < 0)
		return err_fail(-ret, "ethtool '%s' on %s: %s", setting, ifname, strerror(-ret));
	return 0;
}

/* In the child: its own process group (killed whole: a wrapper script's
 * children too), the signals the daemon blocks or ignores back to normal,
 * stdout discarded, stderr to ERR, inside NS. Never returns. */
static void __attribute__((noreturn)) child_exec(int ns, int err, char **argv)
{
	int null = open("/dev/null", O_RDWR);
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
	}
	dup2(err, 2);
	if (ns >= 0 && setns(ns, CLONE_NEWNET) < 0) {
		dprintf(2, "cannot enter the network namespace: %s\n", strerror(errno));
		_exit(126);
	}
	close_range(3, ~0U, 0);
	execvp("ethtool", argv);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Any other option: start ethtool OPTION IFNAME ARGS... inside NS, not
 * waited for: pushed on *STARTED. */
static int start_ethtool(int ns, const char *ifname, const char *setting, char **w, int n,
			 struct ethtool_child **started)
{
	size_t len = strlen(setting) + strlen(ifname) + sizeof("ethtool '' on ");
	struct ethtool_child *ch = calloc(1, sizeof(*ch) + len);
	char *argv[68];
	int errp[2], a = 0, e;

	if (!ch)
		return err_fail(ENOMEM, "ethtool: out of memory");
	snprintf(ch->what, len, "ethtool '%s' on %s", setting, ifname);
	argv[a++] = "ethtool";
	argv[a++] = w[0];
	argv[a++] = (char *)ifname;
	for (int i = 1; i < n; i++)
		argv[a++] = w[i];
	argv[a] = NULL;
	if (pipe2(errp, O_CLOEXEC) < 0) {
		e = errno;
		free(ch);
		return err_fail(e, "ethtool: cannot make a pipe");
	}
	ch->pid = fork();
	if (ch->pid == 0)
		child_exec(ns, errp[1], argv);
	e = errno;
	close(errp[1]);
	ch->errfd = errp[0];
	if (ch->pid < 0) {
		close(ch->errfd);
		free(ch);
		return err_fail(e, "cannot fork for ethtool");
	}
	setpgid(ch->pid, ch->pid);	/* as the child does: killable as a group at once */
	fcntl(ch->errfd, F_SETFL, O_NONBLOCK);
	ch->pidfd = syscall(SYS_pidfd_open, ch->pid, 0);
	if (ch->pidfd < 0) {
		e = errno;
		kill(ch->pid, SIGKILL);
		waitpid(ch->pid, NULL, 0);	/* killed: at once */
		close(ch->errfd);
		free(ch);
		return err_fail(e, "ethtool: pidfd_open");
	}
	fcntl(ch->pidfd, F_SETFD, FD_CLOEXEC);
	ch->next = *started;
	*started = ch;
	return 0;
}

int ethtool_child_result(const struct ethtool_child *ch, int status)
{
	char out[256] = "", *nl;
	ssize_t n = ch->errfd >= 0 ? read(ch->errfd, out, sizeof(out) - 1) : -1;

	if (n > 0) {
		out[n] = 0;
		if ((nl = strchr(out, '\n')))
			*nl = 0;
	} else {
		out[0] = 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return err_fail(ENOENT, "%s: the ethtool program is not installed "
				"(only -K/--features/--offload work without it)", ch->what);
	if (WIFSIGNALED(status))
		return err_fail(EIO, "%s: ethtool killed by signal %d%s%s", ch->what,
				WTERMSIG(status), *out ? ": " : "", out);
	return err_fail(EIO, "%s failed (status %d)%s%s", ch->what, WEXITSTATUS(status),
			*out ? ": " : "", out);
}

void ethtool_child_kill(const struct ethtool_child *ch)
{
	if (kill(-ch->pid, SIGKILL) < 0)
		kill(ch->pid, SIGKILL);
}

void ethtool_child_free(struct ethtool_child *ch)
{
	if (!ch)
		return;
	if (ch->pidfd >= 0)
		close(ch->pidfd);
	if (ch->errfd >= 0)
		close(ch->errfd);
	free(ch);
}

int ethtool_apply(int sock, int ns, const char *ifname, const char *setting,
		  struct ethtool_child **started)
{
	char buf[512], *w[64];
	int n;
	const struct ethtool_opt *o = parse(setting, buf, sizeof(buf), w, 64, &n);

	if (!o)
		return err_wrap(-EINVAL, "ethtool '%s'", setting);
	if (o->type == O_FEATURES)
		return set_features(sock, ifname, setting, w, n);
	if (!started)
		return err_fail(EINVAL, "ethtool '%s': nowhere to watch the ethtool program",
				setting);
	return start_ethtool(ns, ifname, setting, w, n, started);
}
