/* exec.c - commands in containers through the exec API, on the
 * loop (see engine_exec.h): create, start and stream, read the exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_async.h"
#include "engine_exec.h"
#include "http.h"
#include "err.h"
#include "log.h"

struct exec {
	char *sock, *name, *exec_id;
	engine_exec_done_fn *done;
	void *arg;
	struct engine_req *req;
	struct engine_frames frames;
	char *line[3];		/* partial output line per stream */
	size_t line_len[3], line_cap[3];
	struct exec *next;
};

static struct exec *execs;

static void exec_free(struct exec *x)
{
	struct exec **pp;

	for (pp = &execs; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	engine_frames_end(&x->frames, NULL, NULL);
	for (int i = 0; i < 3; i++)
		free(x->line[i]);
	free(x->sock);
	free(x->name);
	free(x->exec_id);
	free(x);
}

static void finish(struct exec *x, int status)
{
	engine_exec_done_fn *done = x->done;
	void *arg = x->arg;

	exec_free(x);
	done(arg, status);
}

/* A command's output line longer than this is logged in pieces of it. */
#define EXEC_LINE_MAX 16384

static void log_line(struct exec *x, const char *bytes, size_t n)
{
	log_info("%s: %.*s", x->name, (int)n, bytes);
}

/* Output bytes to log lines: only new bytes are searched for a newline,
 * and a partial line is kept up to EXEC_LINE_MAX (linear in the output). */
static void on_output(void *arg, int stream, const char *bytes, size_t n)
{
	struct exec *x = arg;
	const char *end = bytes + n, *nl;

	while (bytes < end) {
		size_t k;

		nl = memchr(bytes, '\n', end - bytes);
		k = (nl ? nl : end) - bytes;
		if (x->line_len[stream] + k > EXEC_LINE_MAX) {
			k = EXEC_LINE_MAX - x->line_len[stream];
			nl = NULL;
		}
		if (!nl && x->line_len[stream] + k < EXEC_LINE_MAX) {
			engine_buf_append(&x->line[stream], &x->line_len[stream],
					  &x->line_cap[stream], bytes, k);
			return;
		}
		if (x->line_len[stream]) {
			if (engine_buf_append(&x->line[stream], &x->line_len[stream],
					      &x->line_cap[stream], bytes, k))
				return;
			log_line(x, x->line[stream], x->line_len[stream]);
			x->line_len[stream] = 0;
		} else {
			log_line(x, bytes, k);
		}
		bytes += k + (nl != NULL);
	}
}

static void on_stream(void *arg, const char *bytes, size_t n)
{
	struct exec *x = arg;

	engine_frames_feed(&x->frames, bytes, n, on_output, x);
}

static void on_inspected(void *arg, int err, long status, const char *body, size_t len)
{
	struct exec *x = arg;
	json_t *j = err ? NULL : json_loadb(body ? body : "", len, 0, NULL);
	json_t *code = json_object_get(j, "ExitCode");

	x->req = NULL;
	if (!json_is_integer(code)) {
		log_warn("%s: exit code of the command unknown: %s", x->name,
			 err ? err_msg() : "no ExitCode");
		json_decref(j);
		finish(x, -EPROTO);
		return;
	}
	status = json_integer_value(code);
	json_decref(j);
	finish(x, (int)(status & 0xff) << 8);
}

static void on_ended(void *arg, int err, long status, const char *body, size_t len)
{
	struct exec *x = arg;
	char path[256];

	x->req = NULL;
	if (x->frames.mode == 1 && (x->frames.left || x->frames.len))
		log_warn("%s: command output cut mid-frame (%zu bytes of it missing)", x->name,
			 x->frames.left ? x->frames.left : 8 - x->frames.len);
	engine_frames_end(&x->frames, on_output, x);
	for (int i = 1; i < 3; i++)
		if (x->line_len[i])
			on_output(x, i, "\n", 1);
	if (err) {
		log_warn("%s: command: %s", x->name, err_msg());
		finish(x, err);
		return;
	}
	snprintf(path, sizeof(path), "/exec/%s/json", x->exec_id);
	x->req = engine_async(x->sock, "GET", path, NULL, 30000, NULL, on_inspected, x);
	if (!x->req)
		finish(x, -ENOMEM);
}

static void on_created(void *arg, int err, long status, const char *body, size_t len)
{
	struct exec *x = arg;
	json_t *j = err ? NULL : json_loadb(body ? body : "", len, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "Id"));
	json_t *start;
	char path[256];

	x->req = NULL;
	if (!id || !(x->exec_id = strdup(id))) {
		log_warn("%s: command not started: %s", x->name, err ? err_msg() : "no exec Id");
		json_decref(j);
		finish(x, err ? err : -EPROTO);
		return;
	}
	json_decref(j);
	snprintf(path, sizeof(path), "/exec/%s/start", x->exec_id);
	start = json_pack("{s:b,s:b}", "Detach", 0, "Tty", 0);
	x->req = engine_async(x->sock, "POST", path, start, 0, on_stream, on_ended, x);
	json_decref(start);
	if (!x->req)
		finish(x, -ENOMEM);
}

int engine_exec(const char *socket_path, const char *id, const char *name,
		const json_t *cmd, engine_exec_done_fn *done, void *arg)
{
	struct exec *x = calloc(1, sizeof(*x));
	char path[256];
	json_t *argv, *body;

	if (json_is_string(cmd))
		argv = json_pack("[s,s,O]", "sh", "-c", cmd);
	else if (json_is_array(cmd))
		argv = json_deep_copy(cmd);
	else
		argv = NULL;
	if (!argv) {
		free(x);
		return err_fail(EINVAL, "command for %s: expected a string or a list", name);
	}
	body = json_pack("{s:b,s:b,s:b,s:o}", "AttachStdout", 1, "AttachStderr", 1,
			 "Tty", 0, "Cmd", argv);
	if (!x || !body || !(x->sock = strdup(socket_path)) || !(x->name = strdup(name))) {
		json_decref(body);
		if (x)
			exec_free(x);
		return err_fail(ENOMEM, "engine_exec");
	}
	x->done = done;
	x->arg = arg;
	x->next = execs;
	execs = x;
	snprintf(path, sizeof(path), "/containers/%s/exec", id);
	x->req = engine_async(socket_path, "POST", path, body, 30000, NULL, on_created, x);
	json_decref(body);
	if (!x->req) {
		int ret = err_wrap(-ENOMEM, "command for %s", name);

		exec_free(x);
		return ret;
	}
	return 0;
}

void engine_exec_stop_all(void)
{
	while (execs) {
		engine_async_cancel(execs->req);
		exec_free(execs);
	}
}
