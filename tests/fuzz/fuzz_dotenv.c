/* fuzz_dotenv.c - libFuzzer target: the compose project's .env
 * (COMPOSE_PROJECT_NAME=..., read by compose_project_names when neither -p
 * nor the environment names the project). The input is the .env file of a
 * scratch project directory. A name comes back: non-empty, [-_a-z0-9]. */
#include <unistd.h>

#include "compose_project.h"
#include "fuzz.h"

static char dir[] = "/tmp/conlink-fuzz-dotenv-XXXXXX";
static char env_path[64];

static void cleanup(void)
{
	unlink(env_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char file[80];

	if (!mkdtemp(dir))
		abort();
	snprintf(env_path, sizeof(env_path), "%s/.env", dir);
	snprintf(file, sizeof(file), "%s/compose.yaml", dir);
	setenv("COMPOSE_FILE", file, 1);
	unsetenv("COMPOSE_PATH_SEPARATOR");
	unsetenv("COMPOSE_PROJECT_NAME");
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(env_path, "w");
	char *names[2] = { NULL, NULL };
	int n;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	n = compose_project_names(NULL, names);
	FUZZ_ASSERT(n == 1 || n == 2, "%d", n);
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(names[i] && *names[i], "name %d empty", i);
		FUZZ_ASSERT(strspn(names[i], "-_abcdefghijklmnopqrstuvwxyz0123456789") ==
			    strlen(names[i]), "'%s'", names[i]);
	}
	free(names[0]);
	free(names[1]);
	return 0;
}
