/* identity.c - a PID checked against the container instance an engine
 * described (see engine_identity.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine_identity.h"
#include "err.h"

int engine_pid_start_time(pid_t pid, unsigned long long *ticks)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = 0;
	/* the command name (field 2) may hold spaces and parentheses: the
	 * fields after it start after its last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u"
			 " %*d %*d %*d %*d %*d %*d %llu", ticks) != 1)
		return -EPROTO;
	return 0;
}

/* The wall time the system booted, in seconds (/proc/stat btime). */
static double boot_time(void)
{
	FILE *f = fopen("/proc/stat", "re");
	char line[256];
	double bt = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lf", &bt) == 1)
			break;
	fclose(f);
	return bt;
}

unsigned long long engine_boot_ticks(void)
{
	struct timespec ts;
	long hz = sysconf(_SC_CLK_TCK);

	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		return 0;
	return (unsigned long long)ts.tv_sec * hz + ts.tv_nsec / (1000000000L / hz);
}

int engine_pid_check(pid_t pid, unsigned long long asked, double started,
		     unsigned long long *ticks, unsigned long *netns_ino)
{
	struct pollfd pfd = { .events = POLLIN };
	char path[64];
	struct stat st;
	int ret, nsfd;

	/* held from here on: the process it names cannot be replaced by
	 * another of the same PID while it still runs */
	pfd.fd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd < 0 && errno == ESRCH)
		return err_fail(ESRCH, "pid %d: no such process (gone, or conlink does not"
				" see the host's PIDs: it needs pid: host)", (int)pid);
	if (pfd.fd < 0)
		return err_fail(errno, "pid %d: pidfd_open: %s", (int)pid, strerror(errno));
	if ((ret = engine_pid_start_time(pid, ticks))) {
		close(pfd.fd);
		return err_fail(-ret, "pid %d: gone", (int)pid);
	}
	if (asked && *ticks > asked) {
		close(pfd.fd);
		return err_fail(ESTALE, "pid %d started after its inspect was asked:"
				" not the process the answer meant", (int)pid);
	}
	if (started > 0) {
		double bt = boot_time(), at = bt + (double)*ticks / sysconf(_SC_CLK_TCK);

		if (bt > 0 && at > started + ENGINE_START_SLACK_S) {
			close(pfd.fd);
			return err_fail(ESTALE, "pid %d started %.0f s after the container:"
					" the PID was reused", (int)pid, at - started);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || fstat(nsfd, &st)) {
		ret = err_fail(errno, "pid %d: cannot open '%s'", (int)pid, path);
		if (nsfd >= 0)
			close(nsfd);
		close(pfd.fd);
		return ret;
	}
	close(nsfd);
	*netns_ino = st.st_ino;
	/* still the same process: the namespace opened was its own */
	ret = poll(&pfd, 1, 0);
	close(pfd.fd);
	if (ret != 0)
		return err_fail(ESRCH, "pid %d: gone", (int)pid);
	return 0;
}

double engine_parse_time(const char *s)
{
	struct tm tm = { 0 };
	double frac = 0;
	int off = 0, n = 0, hh, mm;
	time_t t;

	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || tm.tm_year < 1971)
		return 0;
	s += n;
	if (*s == '.') {
		double scale = 0.1;

		while (*++s >= '0' && *s <= '9') {
			frac += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if ((*s == '+' || *s == '-') && sscanf(s + 1, "%d:%d", &hh, &mm) == 2)
		off = (*s == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	else if (*s != 'Z')
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	return t == (time_t)-1 ? 0 : (double)t - off + frac;
}
