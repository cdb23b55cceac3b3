/* wait_file.h - inotify wake-ups for a path that does not exist yet. */
#ifndef CONLINK_WAIT_FILE_H
#define CONLINK_WAIT_FILE_H

/* (Re)arm a watch on the deepest existing directory on the way to PATH, so
 * the inotify instance INOTIFY_FD wakes when the next component appears (or
 * that directory goes away). *WD is the previous watch (-1 for none) and is
 * replaced. Call it before checking for PATH: then no creation is missed.
 * Returns 0 or -errno (e.g. no read permission on the directory). */
int file_watch_arm(int inotify_fd, const char *path, int *wd);

#endif
