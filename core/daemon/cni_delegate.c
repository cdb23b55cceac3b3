/* cni_delegate.c - run a delegated plugin (the IPAM plugin a config's
 * ipam.type names) the spec's way: found in CNI_PATH, exec'd by argv
 * (never a shell) with this process's environment, CNI_COMMAND set to
 * the verb, and the same network config on stdin; its stdout is its
 * result or its error. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cni_config.h"
#include "cni_priv.h"
#include "err.h"
#include "fsutil.h"

extern char **environ;

int cni_delegate_find(const char *type, const char *cni_path, char *out, size_t size)
{
	const char *p = cni_path ? cni_path : "";

	while (*p) {
		size_t n = strcspn(p, ":");

		if (n && (size_t)snprintf(out, size, "%.*s/%s", (int)n, p, type) < size &&
		    access(out, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return err_fail(ENOENT, "no plugin '%s' in CNI_PATH (%s)", type,
			cni_path && *cni_path ? cni_path : "empty");
}

/* The environment with CNI_COMMAND=VERB in place of ours. */
static char **env_with(const char *verb)
{
	size_t n = 0, j = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "CNI_COMMAND=", 12))
			env[j++] = environ[i];
	env[j++] = (char *)verb;	/* "CNI_COMMAND=..." */
	env[j] = NULL;
	return env;
}

static int run_once(const char *type, const char *verb, const char *cni_path,
		    const char *conf, size_t conf_len, json_t **result)
{
	char path[4096], cmd[32], *argv[2] = {path, NULL}, *text = NULL, **env;
	int in = -1, pipefd[2] = {-1, -1}, status, ret, code;
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	pid_t pid;

	*result = NULL;
	if ((ret = cni_delegate_find(type, cni_path, path, sizeof(path))) < 0)
		return CNI_ERR_CONFIG;
	snprintf(cmd, sizeof(cmd), "CNI_COMMAND=%s", verb);
	/* stdin from a memfd: a config of any size, no writer to deadlock */
	in = memfd_create("cni-config", MFD_CLOEXEC);
	if (in < 0 || write(in, conf, conf_len) != (ssize_t)conf_len ||
	    lseek(in, 0, SEEK_SET) < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		ret = err_fail(errno, "cannot run %s: %s", type, strerror(errno));
		goto io_fail;
	}
	env = env_with(cmd);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	ret = env ? posix_spawn(&pid, path, &fa, NULL, argv, env) : ENOMEM;
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (ret) {
		ret = err_fail(ret, "cannot run %s: %s", path, strerror(ret));
		goto io_fail;
	}
	ret = fd_read_all(pipefd[0], &text, &len);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(pipefd[0]);
	close(in);
	if (ret < 0) {
		free(text);
		err_fail(-ret, "%s %s: cannot read its output", type, verb);
		return CNI_ERR_IO;
	}
	json_t *j = len ? json_loadb(text, len, 0, NULL) : NULL;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		free(text);
		if (len && !json_is_object(j)) {
			json_decref(j);
			err_fail(EINVAL, "%s %s: its output is not a JSON object", type, verb);
			return CNI_ERR_DECODE;
		}
		*result = j;
		return 0;
	}
	/* its error, passed on: its code, and its msg named */
	code = json_integer_value(json_object_get(j, "code"));
	const char *msg = json_string_value(json_object_get(j, "msg"));
	const char *details = json_string_value(json_object_get(j, "details"));

	if (msg)
		err_fail(EIO, "%s %s: %s%s%s", type, verb, msg, details ? ": " : "",
			 details ? details : "");
	else if (WIFEXITED(status))
		err_fail(EIO, "%s %s failed (exit status %d)%s%.200s", type, verb,
			 WEXITSTATUS(status), len ? ": " : "", text);
	else
		err_fail(EIO, "%s %s killed by signal %d", type, verb, WTERMSIG(status));
	json_decref(j);
	free(text);
	return code > 0 ? code : CNI_ERR_IO;
io_fail:
	if (in >= 0)
		close(in);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return CNI_ERR_IO;
}

/* The newest version both TYPE and we speak, not newer than WANT. */
static const char *common_version(const char *type, const char *cni_path, const char *want)
{
	static const char probe[] = "{\"cniVersion\":\"0.3.0\"}";
	static char best[16];
	json_t *r = NULL, *v;
	size_t i;

	best[0] = 0;
	if (run_once(type, "VERSION", cni_path, probe, sizeof(probe) - 1, &r))
		return NULL;
	json_array_foreach(json_object_get(r, "supportedVersions"), i, v) {
		const char *s = json_string_value(v);

		if (s && cni_version_supported(s) && cni_version_cmp(s, want) <= 0 &&
		    (!best[0] || cni_version_cmp(s, best) > 0))
			snprintf(best, sizeof(best), "%s", s);
	}
	json_decref(r);
	return best[0] ? best : NULL;
}

int cni_delegate(const char *type, const char *verb, const char *cni_path,
		 const char *conf, size_t conf_len, json_t **result)
{
	int code = run_once(type, verb, cni_path, conf, conf_len, result);
	json_t *doc;
	const char *want, *ver;
	char *again;

	if (code != CNI_ERR_VERSION || !strcmp(verb, "VERSION"))
		return code;
	/* an IPAM plugin older than the config (Debian's host-local speaks up
	 * to 1.0.0): asked again in the newest version both speak; its
	 * answer is read in any version (cni_result_read) */
	doc = json_loadb(conf, conf_len, 0, NULL);
	want = json_string_value(json_object_get(doc, "cniVersion"));
	ver = want ? common_version(type, cni_path, want) : NULL;
	if (!ver || !strcmp(ver, want)) {
		json_decref(doc);
		return code;
	}
	json_object_set_new(doc, "cniVersion", json_string(ver));
	again = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!again)
		return code;
	code = run_once(type, verb, cni_path, again, strlen(again), result);
	free(again);
	return code;
}

bool cni_delegate_speaks(const char *type, const char *cni_path, const char *version)
{
	static const char probe[] = "{\"cniVersion\":\"1.1.0\"}";
	json_t *r = NULL, *v;
	size_t i;
	bool yes = false;

	if (cni_delegate(type, "VERSION", cni_path, probe, sizeof(probe) - 1, &r))
		return false;
	json_array_foreach(json_object_get(r, "supportedVersions"), i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), version))
			yes = true;
	json_decref(r);
	return yes;
}
