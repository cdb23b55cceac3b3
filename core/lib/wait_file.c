/* wait_file.c - inotify wake-ups for a path that does not exist yet. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "err.h"
#include "wait_file.h"

/* Cut DIR to its parent in place ("a/b" -> "a", "a" -> ".", "/a" -> "/"). */
static void to_parent(char *dir)
{
	size_t n = strlen(dir);
	char *slash;

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = 0;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
}

int file_watch_arm(int inotify_fd, const char *path, int *wd)
{
	/* room for "." when PATH is a bare name */
	char *dir = malloc(strlen(path) + 2);
	struct stat st;
	int ret = 0;

	if (!dir)
		return err_fail(ENOMEM, "out of memory");
	strcpy(dir, path);
	do
		to_parent(dir);
	while ((stat(dir, &st) || !S_ISDIR(st.st_mode)) &&
	       strcmp(dir, "/") && strcmp(dir, "."));

	if (*wd >= 0)
		inotify_rm_watch(inotify_fd, *wd);
	/* IN_ATTRIB: a directory made searchable can make PATH visible. */
	*wd = inotify_add_watch(inotify_fd, dir, IN_CREATE | IN_MOVED_TO |
				IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
				IN_ONLYDIR);
	if (*wd < 0)
		ret = err_fail(errno, "cannot watch '%s': %s", dir, strerror(errno));
	free(dir);
	return ret;
}
