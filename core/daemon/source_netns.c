/* source_netns.c - named network namespaces in a directory as containers
 * (see source_netns.h).
 *
 * `ip netns add` creates the file and then bind-mounts the namespace on
 * it, so at IN_CREATE the file may still be an empty regular file: such a
 * name is retried on a short timer until it is a network namespace.
 *
 * A container's commands end with it: a name deleted (or replaced by
 * another namespace) stops the commands started in it, so a name deleted
 * and added again runs them once, not once more each time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "command.h"
#include "container.h"
#include "err.h"
#include "log.h"
#include "loop.h"
#include "source_netns.h"

#define RETRY_FIRST_MS 10
#define RETRY_MAX_MS 200
#define RETRY_GIVE_UP_MS 5000

/* A name seen in DIR: reported up, or waiting to become a namespace. */
struct entry {
	struct entry *next;
	struct loop_timer *retry;	/* set while waiting */
	int64_t since;
	long delay;
	int up;
	ino_t ino;		/* the namespace reported up (nsfs inode) */
	char name[];
};

static char *watch_dir;
static int inotify_fd = -1;
static struct entry *entries;

static int netns_run_command(const struct source *src, const struct container *c,
			     const json_t *cmd, command_done_fn *done, void *arg)
{
	return command_start(c->netns_path, c->name, cmd, done, arg);
}

static const struct source netns_source = {
	.name = "netns",
	.run_command = netns_run_command,
};

static struct entry *entry_find(const char *name)
{
	for (struct entry *e = entries; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static void entry_free(struct entry *e)
{
	for (struct entry **pp = &entries; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	loop_timer_cancel(e->retry);
	free(e);
}

/* 1 when PATH is a network namespace, 0 when not (yet), -errno when gone. */
static int is_netns(const char *path)
{
	struct statfs sfs;
	int fd, type;

	if (statfs(path, &sfs))
		return -errno;
	if ((unsigned long)sfs.f_type != NSFS_MAGIC)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	type = ioctl(fd, NS_GET_NSTYPE);
	close(fd);
	return type == CLONE_NEWNET;
}

/* "S_N" with N a number >= 1: SERVICE gets S, the return is N; else 0. */
static int replica_of(const char *name, char *service, size_t size)
{
	const char *us = strrchr(name, '_');
	char *end;
	long n;

	if (!us || us == name || !us[1] || (size_t)(us - name) >= size)
		return 0;
	n = strtol(us + 1, &end, 10);
	if (*end || n < 1 || n > INT_MAX || us[1] < '0' || us[1] > '9')
		return 0;
	memcpy(service, name, us - name);
	service[us - name] = 0;
	return (int)n;
}

/* The nsfs inode of DIR/NAME, 0 when it is not there. */
static ino_t netns_ino(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", watch_dir, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* E's container is gone: unlink it, its commands end with it. */
static void report_down(struct entry *e)
{
	command_stop(e->name);
	state_container_down(&netns_source, e->name);
	e->up = 0;
}

static void report_up(struct entry *e)
{
	char path[PATH_MAX], service[NAME_MAX + 1];
	int index = replica_of(e->name, service, sizeof(service));
	struct container c = {
		.id = e->name,
		.name = e->name,
		.service = index ? service : NULL,
		.index = index ? index : 1,
		.netns_path = path,
		.src = &netns_source,
	};

	snprintf(path, sizeof(path), "%s/%s", watch_dir, e->name);
	e->up = 1;
	e->ino = netns_ino(e->name);
	state_container_up(&c);
}

static void retry_appear(void *arg);

/* Look at DIR/E->name: report it, retry later, or forget it. */
static void check_entry(struct entry *e)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s", watch_dir, e->name);
	r = is_netns(path);
	if (r > 0) {
		report_up(e);
		return;
	}
	if (r < 0 || loop_now_ms() - e->since > RETRY_GIVE_UP_MS) {
		if (r == 0)
			log_verbose("netns: '%s' is not a network namespace, ignoring",
				    path);
		entry_free(e);
		return;
	}
	e->retry = loop_timer_add(e->delay, retry_appear, e);
	e->delay = e->delay * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : e->delay * 2;
}

static void retry_appear(void *arg)
{
	struct entry *e = arg;

	e->retry = NULL;	/* the loop frees a fired timer */
	check_entry(e);
}

static void appear(const char *name)
{
	struct entry *e = entry_find(name);

	if (e && e->retry)
		return;		/* already waiting for it */
	/* the event of a namespace the start scan already reported: the same
	 * appearance, linked and its commands run once */
	if (e && e->up && e->ino && netns_ino(name) == e->ino)
		return;
	if (e && e->up)	/* renamed over: what it was is gone */
		report_down(e);
	if (e)
		entry_free(e);
	e = calloc(1, sizeof(*e) + strlen(name) + 1);
	if (!e) {
		log_error("netns: out of memory for '%s'", name);
		return;
	}
	strcpy(e->name, name);
	e->since = loop_now_ms();
	e->delay = RETRY_FIRST_MS;
	e->next = entries;
	entries = e;
	check_entry(e);
}

static void go(const char *name)
{
	struct entry *e = entry_find(name);

	if (!e)
		return;
	if (e->up)
		report_down(e);
	entry_free(e);
}

static int select_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void scan_dir(void)
{
	struct dirent **names;
	int n = scandir(watch_dir, &names, select_visible, alphasort);

	for (int i = 0; i < n; i++) {
		if (!entry_find(names[i]->d_name))
			appear(names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void on_inotify(int fd, uint32_t events, void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				log_warn("netns: inotify events lost, rescanning %s",
					 watch_dir);
				scan_dir();
			} else if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
				log_error("netns: %s went away; no more containers from it",
					  watch_dir);
			} else if (!ev->len || ev->name[0] == '.') {
				continue;
			} else if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
				appear(ev->name);
			} else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
				go(ev->name);
			}
		}
	}
}

int source_netns_start(const char *dir)
{
	int ret;

	watch_dir = strdup(dir);
	if (!watch_dir)
		return err_fail(ENOMEM, "netns source");
	inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (inotify_fd < 0)
		return err_fail(errno, "inotify_init1");
	if (inotify_add_watch(inotify_fd, dir, IN_CREATE | IN_MOVED_TO | IN_DELETE |
			      IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF |
			      IN_ONLYDIR) < 0)
		return err_fail(errno, "--netns-dir: cannot watch '%s'", dir);
	ret = loop_add_fd(inotify_fd, EPOLLIN, on_inotify, NULL);
	if (ret < 0)
		return ret;
	log_info("Watching network namespaces in %s", dir);
	scan_dir();
	return 0;
}

void source_netns_stop(void)
{
	while (entries)
		entry_free(entries);
	if (inotify_fd >= 0) {
		loop_del_fd(inotify_fd);
		close(inotify_fd);
		inotify_fd = -1;
	}
	free(watch_dir);
	watch_dir = NULL;
}
