/* fsutil.c - tree overlay copy, tree removal and atomic writes (copy, mdc). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "fsutil.h"
#include "template.h"

struct copy_ctx {
	unsigned flags;
	copy_report_fn *report;
	void *ctx;
	const char *dst;	/* file being templated, for report lines */
};

static char *path_join(const char *dir, const char *name)
{
	char *p;
	size_t n = strlen(dir);

	if (asprintf(&p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name) < 0)
		return NULL;
	return p;
}

/* A unique temporary name next to PATH: "DIR/.BASE.XXXXXX", opened O_EXCL. */
static int open_temp_beside(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	int fd;

	if (asprintf(tmp, "%.*s.%s.XXXXXX", dir_len, path,
		     slash ? slash + 1 : path) < 0) {
		*tmp = NULL;
		return err_fail(ENOMEM, "out of memory");
	}
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		int ret = err_fail(errno, "cannot create temporary file '%s': %s",
				   *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return ret;
	}
	return fd;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int fd_read_all(int fd, char **data, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1), *p;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			p = realloc(buf, cap * 2 + 1);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (!r)
			break;
		n += r;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
}

/* Copy the rest of IN to OUT. */
static int copy_fd(int in, int out)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		int ret = write_all(out, buf, n);

		if (ret)
			return ret;
	}
}

static void __attribute__((format(printf, 2, 3)))
report_line(struct copy_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int n;

	if (!c->report)
		return;
	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	c->report(c->ctx, line);
	free(line);
}

static void report_replacement(void *ctx, const char *name, const char *value,
			       unsigned count)
{
	struct copy_ctx *c = ctx;
	char *line;

	if (!c->report)
		return;
	if (asprintf(&line, "Replacing '{{%s}}' with '%s' in '%s'", name, value,
		     c->dst) < 0)
		return;
	c->report(c->ctx, line);
	free(line);
}

/* Write the contents of SRC (templated when asked) into the open temp TMPFD. */
static int fill_file(struct copy_ctx *c, int srcfd, int tmpfd, const char *src,
		     const char *dst)
{
	char *data = NULL, *out;
	size_t len = 0, out_len;
	long n;
	int ret;

	if (!(c->flags & COPY_TEMPLATE)) {
		ret = copy_fd(srcfd, tmpfd);
		return ret ? err_fail(-ret, "cannot copy '%s' to '%s': %s", src,
				      dst, strerror(-ret)) : 0;
	}
	ret = fd_read_all(srcfd, &data, &len);
	if (ret)
		return err_fail(-ret, "cannot read '%s': %s", src, strerror(-ret));
	c->dst = dst;
	n = template_expand(data, len, &out, &out_len, report_replacement, c);
	free(data);
	if (n < 0)
		return (int)n;
	ret = write_all(tmpfd, out, out_len);
	free(out);
	return ret ? err_fail(-ret, "cannot write '%s': %s", dst, strerror(-ret)) : 0;
}

/* The copy's mode: the source's bits plus owner write; S_ISUID and S_ISGID
 * only when the copy has the source's owner and group both (as cp without
 * -p, install, and chown(2) itself: a setuid file of another user must not
 * become one of whoever runs copy, root included). */
static mode_t copy_mode(struct copy_ctx *c, const char *src, const struct stat *st,
			const struct stat *out)
{
	mode_t mode = (st->st_mode & 07777) | S_IWUSR;

	if ((mode & (S_ISUID | S_ISGID)) &&
	    (out->st_uid != st->st_uid || out->st_gid != st->st_gid)) {
		mode &= ~(mode_t)(S_ISUID | S_ISGID);
		report_line(c, "'%s': setuid/setgid bits dropped: owner %u:%u, "
			    "the copy's %u:%u", src, (unsigned)st->st_uid,
			    (unsigned)st->st_gid, (unsigned)out->st_uid,
			    (unsigned)out->st_gid);
	}
	return mode;
}

static int copy_file(struct copy_ctx *c, const char *src, const char *dst)
{
	struct stat st, out;
	char *tmp;
	int srcfd, tmpfd, ret;

	/* Mode and owner come from the inode that is read, never from an
	 * earlier lstat: a name swapped for a symlink or a fifo meanwhile is
	 * refused, not followed. */
	srcfd = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (srcfd < 0)
		return err_fail(errno, "cannot open '%s': %s", src, strerror(errno));
	if (fstat(srcfd, &st))
		ret = err_fail(errno, "cannot stat '%s': %s", src, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = err_fail(EINVAL, "'%s' is no longer a regular file", src);
	else
		ret = 0;
	if (ret) {
		close(srcfd);
		return ret;
	}
	tmpfd = open_temp_beside(dst, &tmp);
	if (tmpfd < 0) {
		close(srcfd);
		return tmpfd;
	}
	report_line(c, "'%s' -> '%s'", src, dst);
	ret = fill_file(c, srcfd, tmpfd, src, dst);
	close(srcfd);
	if (!ret && fstat(tmpfd, &out))
		ret = err_fail(errno, "cannot stat '%s': %s", tmp, strerror(errno));
	/* fchmod ignores the umask: the copy gets the source's bits exactly
	 * (after the writes: a write by non-root clears setuid). */
	if (!ret && fchmod(tmpfd, copy_mode(c, src, &st, &out)))
		ret = err_fail(errno, "cannot chmod '%s': %s", tmp, strerror(errno));
	if (close(tmpfd) && !ret)
		ret = err_fail(errno, "cannot write '%s': %s", tmp, strerror(errno));
	/* rename swaps the name only: whoever has the old file open (or is
	 * running it) keeps the old inode intact. */
	if (!ret && rename(tmp, dst))
		ret = err_fail(errno, "cannot replace '%s': %s", dst, strerror(errno));
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

static int copy_symlink(struct copy_ctx *c, const char *src, const char *dst,
			const struct stat *st)
{
	size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : 4096;
	char *target = malloc(cap), *tmp = NULL;
	ssize_t n;
	int ret = 0, fd;

	if (!target)
		return err_fail(ENOMEM, "out of memory");
	n = readlink(src, target, cap);
	if (n < 0 || (size_t)n >= cap) {
		ret = err_fail(n < 0 ? errno : ENAMETOOLONG, "cannot read link '%s': %s",
			       src, strerror(n < 0 ? errno : ENAMETOOLONG));
		goto out;
	}
	target[n] = 0;
	report_line(c, "'%s' -> '%s'", src, dst);
	/* Reserve a unique name with mkostemp, then put the link in its place:
	 * symlink() cannot replace, rename() can, atomically. */
	fd = open_temp_beside(dst, &tmp);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	close(fd);
	unlink(tmp);
	if (symlink(target, tmp))
		ret = err_fail(errno, "cannot make symlink '%s': %s", tmp, strerror(errno));
	else if (rename(tmp, dst)) {
		ret = err_fail(errno, "cannot replace '%s': %s", dst, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(target);
	return ret;
}

static int copy_entry(struct copy_ctx *c, const char *src, const char *dst);

/* Merge directory SRC into DST (made when missing; a symlink to a directory
 * counts as one, as /lib -> usr/lib does in merged-/usr images). */
static int copy_dir(struct copy_ctx *c, const char *src, const char *dst,
		    const struct stat *st)
{
	struct stat dst_st;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (stat(dst, &dst_st)) {
		if (errno != ENOENT)
			return err_fail(errno, "cannot stat '%s': %s", dst, strerror(errno));
		/* Owner rwx so the rest of the tree can be written into it. */
		if (mkdir(dst, (st->st_mode & 07777) | S_IRWXU) && errno != EEXIST)
			return err_fail(errno, "cannot make directory '%s': %s", dst,
					strerror(errno));
	} else if (!S_ISDIR(dst_st.st_mode)) {
		return err_fail(ENOTDIR, "cannot copy directory '%s' over '%s': %s",
				src, dst, strerror(ENOTDIR));
	}
	d = opendir(src);
	if (!d)
		return err_fail(errno, "cannot open directory '%s': %s", src, strerror(errno));
	while (!ret && (errno = 0, de = readdir(d))) {
		char *s, *t;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		s = path_join(src, de->d_name);
		t = path_join(dst, de->d_name);
		ret = s && t ? copy_entry(c, s, t) : err_fail(ENOMEM, "out of memory");
		free(s);
		free(t);
	}
	if (!ret && errno)
		ret = err_fail(errno, "cannot read directory '%s': %s", src, strerror(errno));
	closedir(d);
	return ret;
}

static int copy_entry(struct copy_ctx *c, const char *src, const char *dst)
{
	struct stat st;

	if (lstat(src, &st))
		return err_fail(errno, "cannot stat '%s': %s", src, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return copy_dir(c, src, dst, &st);
	if (S_ISREG(st.st_mode))
		return copy_file(c, src, dst);
	if (S_ISLNK(st.st_mode))
		return copy_symlink(c, src, dst, &st);
	/* Devices, fifos and sockets are not configuration: leave them. */
	report_line(c, "'%s': special file skipped", src);
	return 0;
}

int copy_tree(const char *src, const char *dst, unsigned flags,
	      copy_report_fn *report, void *ctx)
{
	struct copy_ctx c = { .flags = flags, .report = report, .ctx = ctx };
	struct stat st;

	if (stat(src, &st))
		return err_fail(errno, "cannot stat '%s': %s", src, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_fail(ENOTDIR, "Not a directory: '%s'", src);
	return copy_dir(&c, src, dst, &st);
}

int remove_tree(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 :
		       err_fail(errno, "cannot stat '%s': %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) && errno != ENOENT)
			return err_fail(errno, "cannot remove '%s': %s", path, strerror(errno));
		return 0;
	}
	d = opendir(path);
	if (!d)
		return err_fail(errno, "cannot open directory '%s': %s", path, strerror(errno));
	while (!ret && (errno = 0, de = readdir(d))) {
		char *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = path_join(path, de->d_name);
		ret = p ? remove_tree(p) : err_fail(ENOMEM, "out of memory");
		free(p);
	}
	if (!ret && errno)
		ret = err_fail(errno, "cannot read directory '%s': %s", path, strerror(errno));
	closedir(d);
	if (!ret && rmdir(path) && errno != ENOENT)
		ret = err_fail(errno, "cannot remove '%s': %s", path, strerror(errno));
	return ret;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp;
	int fd = open_temp_beside(path, &tmp), ret;

	if (fd < 0)
		return fd;
	/* The temporary file is made 0600 and gets MODE before any data: the
	 * content is never more readable than MODE says. */
	if (fchmod(fd, mode & 07777))
		ret = err_fail(errno, "cannot chmod '%s': %s", tmp, strerror(errno));
	else if ((ret = write_all(fd, data, len)))
		ret = err_fail(-ret, "cannot write '%s': %s", tmp, strerror(-ret));
	if (!ret && fsync(fd))
		ret = err_fail(errno, "cannot sync '%s': %s", tmp, strerror(errno));
	if (close(fd) && !ret)
		ret = err_fail(errno, "cannot write '%s': %s", tmp, strerror(errno));
	if (!ret && rename(tmp, path))
		ret = err_fail(errno, "cannot replace '%s': %s", path, strerror(errno));
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
