/* fsutil.h - file helpers: trees for copy and mdc (toybox lib/dirtree-like),
 * whole files and descriptors read and written.
 * All return 0 or -errno with a message in err_msg() naming the path. */
#ifndef CONLINK_FSUTIL_H
#define CONLINK_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

enum {
	COPY_TEMPLATE = 1 << 0,	/* replace {{NAME}} tokens from the environment */
};

/* Called once per file copied and per token replaced, with a ready line
 * ("'src' -> 'dst'", "  replaced {{X}}" ...); may be NULL. */
typedef void copy_report_fn(void *ctx, const char *line);

/* Overlay the tree SRC onto DST: directories made or merged, regular files
 * copied with their permission bits (plus owner write; setuid/setgid only
 * when the copy's owner and group are the source's, as nothing is chowned),
 * symlinks as symlinks, existing files replaced atomically (temp file +
 * rename). */
int copy_tree(const char *src, const char *dst, unsigned flags,
	      copy_report_fn *report, void *ctx);

/* Remove PATH and everything under it (no error when it does not exist). */
int remove_tree(const char *path);

/* Everything FD gives until EOF, in a malloc'd buffer NUL-terminated for
 * convenience (*LEN excludes the NUL); nothing is allocated on failure. */
int fd_read_all(int fd, char **data, size_t *len);

/* Write LEN bytes to PATH atomically: temp file in the same directory,
 * made 0600 and given MODE (umask not applied) before the data, fsync,
 * rename. A rewrite gets MODE too. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
