/* ethtool.c - ethtool settings: features natively (SIOCETHTOOL), the rest
 * through the ethtool program run inside the namespace. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "err.h"
#include "ethtool.h"

/* ethtool's legacy offload names and the kernel features they stand for. */
static const struct { const char *name, *pattern; } legacy[] = {
	{ "rx", "rx-checksum" }, { "tx", "tx-checksum-*" },
	{ "sg", "tx-scatter-gather*" }, { "tso", "tx-tcp*-segmentation" },
	{ "ufo", "tx-udp-fragmentation" }, { "gso", "tx-generic-segmentation" },
	{ "gro", "rx-gro" }, { "lro", "rx-lro" }, { "rxvlan", "rx-vlan-hw-parse" },
	{ "txvlan", "tx-vlan-hw-insert" }, { "ntuple", "rx-ntuple-filter" },
	{ "rxhash", "rx-hashing" },
};

static int is_feature_flag(const char *w)
{
	return !strcmp(w, "-K") || !strcmp(w, "--features") || !strcmp(w, "--offload");
}

/* Split SETTING into words (at most MAX-1), in BUF. -E2BIG with err_msg()
 * when it does not fit: a setting cut short would apply only part of it. */
static int split(const char *setting, char *buf, size_t len, char **w, int max)
{
	char *save = NULL, *t;
	int n = 0;

	if ((size_t)snprintf(buf, len, "%s", setting) >= len)
		return err_fail(E2BIG, "ethtool '%.40s...': too long (at most %zu characters)",
				setting, len - 1);
	for (t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == max - 1)
			return err_fail(E2BIG, "ethtool '%.40s...': too many words (at most %d)",
					setting, max - 1);
		w[n++] = t;
	}
	w[n] = NULL;
	return n;
}

int ethtool_check(const char *setting)
{
	char buf[512], *w[64];
	int n = split(setting, buf, sizeof(buf), w, 64);

	if (n < 0)
		return n;
	if (n == 0 || w[0][0] != '-')
		return err_fail(EINVAL, "ethtool '%s': expected an option such as "
				"'--offload NAME on|off'", setting);
	if (!is_feature_flag(w[0]))
		return 0;
	if (n < 3 || (n - 1) % 2)
		return err_fail(EINVAL, "ethtool '%s': expected NAME on|off pairs", setting);
	for (int i = 2; i < n; i += 2)
		if (strcmp(w[i], "on") && strcmp(w[i], "off"))
			return err_fail(EINVAL, "ethtool '%s': '%s' must be on or off", setting, w[i]);
	return 0;
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

/* Any other option: ethtool OPTION IFNAME ARGS... inside NS. */
static int run_ethtool(int ns, const char *ifname, const char *setting, char **w, int n)
{
	char *argv[68];
	int status, a = 0;
	pid_t pid;

	argv[a++] = "ethtool";
	argv[a++] = w[0];
	argv[a++] = (char *)ifname;
	for (int i = 1; i < n; i++)
		argv[a++] = w[i];
	argv[a] = NULL;
	pid = fork();
	if (pid < 0)
		return err_fail(errno, "cannot fork for ethtool");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0)
			dup2(null, 1);
		if (ns >= 0 && setns(ns, CLONE_NEWNET) < 0)
			_exit(126);
		close_range(3, ~0U, 0);
		execvp("ethtool", argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_fail(errno, "waiting for ethtool");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return err_fail(ENOENT, "ethtool '%s': the ethtool program is not installed "
				"(only -K/--features/--offload work without it)", setting);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_fail(EIO, "ethtool '%s' on %s failed (status %d)", setting, ifname,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int ethtool_apply(int sock, int ns, const char *ifname, const char *setting)
{
	char buf[512], *w[64];
	int n = split(setting, buf, sizeof(buf), w, 64);

	if (n < 0)
		return n;
	if (n == 0)
		return err_fail(EINVAL, "empty ethtool setting");
	if (is_feature_flag(w[0]))
		return set_features(sock, ifname, setting, w, n);
	return run_ethtool(ns, ifname, setting, w, n);
}
