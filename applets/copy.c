/* copy.c - copy applet: overlay a directory tree, optionally templated.
 *
 * Compatible with upstream conlink's scripts/copy.sh; no standard.
 */
const char copy_usage[] =
"Usage: copy [-T|--template] SRC_DIR DST_DIR [-- COMMAND [ARGS...]]\n"
"\n"
"Overlay the tree SRC_DIR onto DST_DIR, then exec COMMAND if given.\n"
"Directories are made or merged; regular files are copied with their\n"
"permission bits (plus owner write); symlinks are copied as symlinks;\n"
"existing files are replaced atomically (temporary file + rename).\n"
"Nothing is chowned: copies belong to whoever runs copy. A setuid or\n"
"setgid bit is kept only when the copy's owner and group are the source's\n"
"(root copying another user's setuid file makes a plain executable).\n"
"\n"
"  -T, --template   replace every {{NAME}} token whose environment variable\n"
"                   NAME is set with its value (unset tokens stay as they are)\n"
"\n"
"Prints one line per file copied, per token replaced and per file whose\n"
"setuid/setgid bits were dropped.\n"
"Exit: 2 when SRC_DIR or DST_DIR is not a directory, 1 on other failures,\n"
"127 when COMMAND is not found, 126 when it cannot be run.\n";

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "applet.h"
#include "err.h"
#include "fsutil.h"
#include "xwrap.h"

static void print_line(void *ctx, const char *line)
{
	puts(line);
}

static void require_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		error_msg("Not a directory: '%s'", path);
		exit(EXIT_USAGE);
	}
}

static const struct option long_opts[] = {
	{ "template", no_argument, NULL, 'T' },
	{ 0 }
};

int copy_main(int argc, char **argv)
{
	unsigned flags = 0;
	int i;

	while (xgetopt(argc, argv, "T", long_opts) == 'T')
		flags |= COPY_TEMPLATE;
	i = optind;
	if (argc - i < 2)
		usage_exit("needs SRC_DIR and DST_DIR");
	const char *src = argv[i++], *dst = argv[i++];

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	require_dir(src);
	require_dir(dst);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (copy_tree(src, dst, flags, print_line, NULL))
		error_exit("%s", err_msg());
	if (i >= argc)
		return 0;
	xexec(argv + i);
}
