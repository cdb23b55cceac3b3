/* engine.c - Docker Engine API client, blocking part: connect, inspect,
 * find a compose service's replica; a container's description from an
 * inspect or from a libpod listing entry (see engine.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine.h"
#include "engine_identity.h"
#include "http.h"
#include "err.h"

struct engine_conn {
	char *socket_path;
};

/* Blocking calls are short lookups: a stuck engine must not hang an applet. */
#define ENGINE_TIMEOUT_MS 30000

int engine_connect(const char *socket_path, struct engine_conn **out)
{
	struct engine_http_reply r;
	struct engine_conn *e;
	int ret;

	*out = NULL;
	if ((ret = engine_global_init()))
		return ret;
	ret = engine_http(socket_path, "GET", "/_ping", NULL, ENGINE_TIMEOUT_MS, &r);
	if (ret)
		return ret;
	if (r.status != 200) {
		ret = err_fail(EPROTO, "engine socket '%s': _ping: %s", socket_path,
			       engine_http_error(&r));
		engine_http_reply_free(&r);
		return ret;
	}
	engine_http_reply_free(&r);
	e = calloc(1, sizeof(*e));
	if (!e || !(e->socket_path = strdup(socket_path))) {
		free(e);
		return err_fail(ENOMEM, "engine_connect");
	}
	*out = e;
	return 0;
}

void engine_disconnect(struct engine_conn *e)
{
	if (!e)
		return;
	free(e->socket_path);
	free(e);
}

int engine_get_json(struct engine_conn *e, const char *path, json_t **out)
{
	struct engine_http_reply r;
	json_error_t jerr;
	int ret;

	*out = NULL;
	ret = engine_http(e->socket_path, "GET", path, NULL, ENGINE_TIMEOUT_MS, &r);
	if (ret)
		return ret;
	if (r.status == 404)
		ret = err_fail(ENOENT, "%s", engine_http_error(&r));
	else if (r.status != 200)
		ret = err_fail(EIO, "engine socket '%s': GET %s: %s", e->socket_path,
			       path, engine_http_error(&r));
	else if (!(*out = json_loadb(r.body ? r.body : "", r.len, 0, &jerr)))
		ret = err_fail(EPROTO, "engine socket '%s': GET %s: bad JSON: %s",
			       e->socket_path, path, jerr.text);
	engine_http_reply_free(&r);
	return ret;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The JSON types an inspect must have where it has the field: a proxy's
 * error object or another API's answer is refused, not half read. */
static const char *inspect_type_error(const json_t *j)
{
	const json_t *config = json_object_get(j, "Config");
	const json_t *labels = json_object_get(config, "Labels");
	const json_t *state = json_object_get(j, "State");
	const json_t *v;

	if (!json_is_object(j))
		return "not a JSON object";
	if (!json_is_string(json_object_get(j, "Id")))
		return "Id is not a string";
	if (!json_is_string(json_object_get(j, "Name")))
		return "Name is not a string";
	if (config && !json_is_object(config) && !json_is_null(config))
		return "Config is not an object";
	if (labels && !json_is_object(labels) && !json_is_null(labels))
		return "Config.Labels is not an object";
	if (!json_is_object(state))
		return "State is not an object";
	if ((v = json_object_get(state, "Running")) && !json_is_boolean(v))
		return "State.Running is not a boolean";
	if ((v = json_object_get(state, "Pid")) && !json_is_integer(v))
		return "State.Pid is not a number";
	if ((v = json_object_get(state, "StartedAt")) && !json_is_string(v))
		return "State.StartedAt is not a string";
	return NULL;
}

/* INFO from the fields an inspect and a listing entry share; NAME without
 * its leading '/', LABELS an object or NULL. */
static int info_fill(struct engine_info *info, const char *id, const char *name,
		     const json_t *labels, bool running, pid_t pid, double started)
{
	const char *num;

	if (*name == '/')
		name++;
	info->id = strdup(id);
	info->name = strdup(name);
	info->service = dup_or_null(json_string_value(
		json_object_get(labels, "com.docker.compose.service")));
	info->project = dup_or_null(json_string_value(
		json_object_get(labels, "com.docker.compose.project")));
	info->working_dir = dup_or_null(json_string_value(
		json_object_get(labels, "com.docker.compose.project.working_dir")));
	num = json_string_value(json_object_get(labels, "com.docker.compose.container-number"));
	info->index = num ? atoi(num) : 1;
	if (info->index < 1)
		info->index = 1;
	info->running = running;
	info->pid = running ? pid : 0;
	info->started = started;
	if (!info->id || !info->name) {
		engine_info_free(info);
		return err_fail(ENOMEM, "engine_info");
	}
	return 0;
}

int engine_info_from_json(const json_t *j, struct engine_info *info)
{
	const json_t *labels = json_object_get(json_object_get(j, "Config"), "Labels");
	const json_t *state = json_object_get(j, "State");
	const char *why = inspect_type_error(j);

	memset(info, 0, sizeof(*info));
	if (why)
		return err_fail(EPROTO, "container inspect answer: %s", why);
	return info_fill(info, json_string_value(json_object_get(j, "Id")),
			 json_string_value(json_object_get(j, "Name")), labels,
			 json_is_true(json_object_get(state, "Running")),
			 (pid_t)json_integer_value(json_object_get(state, "Pid")),
			 engine_parse_time(json_string_value(json_object_get(state, "StartedAt"))));
}

/* Why a libpod listing entry cannot stand for an inspect (NULL: it can).
 * Each field the daemon takes from an inspect must be there with its type:
 * a running container's process is what gets linked, so anything less is
 * asked again (an inspect), never guessed. */
static const char *libpod_entry_error(const json_t *e)
{
	const json_t *names = json_object_get(e, "Names");
	const json_t *labels = json_object_get(e, "Labels");
	const json_t *pid = json_object_get(e, "Pid");
	const json_t *started = json_object_get(e, "StartedAt");
	const char *name = json_string_value(json_array_get(names, 0));

	if (!json_is_object(e))
		return "not a JSON object";
	if (!json_is_string(json_object_get(e, "Id")) ||
	    !*json_string_value(json_object_get(e, "Id")))
		return "no Id string";
	if (!name || !*name || (*name == '/' && !name[1]))
		return "no Names[0] string";
	if (!labels || (!json_is_object(labels) && !json_is_null(labels)))
		return "no Labels object";
	if (!json_is_string(json_object_get(e, "State")) ||
	    strcmp(json_string_value(json_object_get(e, "State")), "running"))
		return "State is not \"running\"";
	/* pid_t and time_t ranges: a larger number is not a process */
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0 ||
	    json_integer_value(pid) > INT_MAX)
		return "no Pid number";
	/* an inspect's StartedAt before 1971 is no time (engine_parse_time) */
	if (!json_is_integer(started) || json_integer_value(started) < 365 * 86400 ||
	    json_integer_value(started) > (json_int_t)1 << 40)
		return "no StartedAt time";
	return NULL;
}

int engine_info_from_libpod_entry(const json_t *e, struct engine_info *info)
{
	const char *why = libpod_entry_error(e);
	const json_t *labels = json_object_get(e, "Labels");

	memset(info, 0, sizeof(*info));
	if (why)
		return err_fail(EPROTO, "libpod listing entry: %s", why);
	/* StartedAt in whole seconds, the inspect's to the nanosecond: the
	 * earlier bound only makes the PID's start check stricter */
	return info_fill(info, json_string_value(json_object_get(e, "Id")),
			 json_string_value(json_array_get(json_object_get(e, "Names"), 0)),
			 json_is_object(labels) ? labels : NULL, 1,
			 (pid_t)json_integer_value(json_object_get(e, "Pid")),
			 (double)json_integer_value(json_object_get(e, "StartedAt")));
}

int engine_inspect(struct engine_conn *e, const char *name_or_id,
		   struct engine_info *info)
{
	char *esc = engine_url_escape(name_or_id), *path = NULL;
	json_t *j = NULL;
	int ret;

	memset(info, 0, sizeof(*info));
	if (!esc || asprintf(&path, "/containers/%s/json", esc) < 0) {
		free(esc);
		return err_fail(ENOMEM, "engine_inspect");
	}
	ret = engine_get_json(e, path, &j);
	if (ret == -ENOENT)
		ret = err_fail(ENOENT, "no container '%s'", name_or_id);
	else if (!ret)
		ret = engine_info_from_json(j, info);
	json_decref(j);
	free(path);
	free(esc);
	return ret;
}

char *engine_list_path(const char *project, const char *service, int all)
{
	json_t *f = json_object(), *labels = json_array();
	char *enc = NULL, *path = NULL, *fs, *lbl;

	if (!f || !labels)
		goto out;
	json_object_set_new(f, "label", labels);
	if (project && asprintf(&lbl, "com.docker.compose.project=%s", project) >= 0)
		json_array_append_new(labels, json_string(lbl)), free(lbl);
	if (service && asprintf(&lbl, "com.docker.compose.service=%s", service) >= 0)
		json_array_append_new(labels, json_string(lbl)), free(lbl);
	labels = NULL;
	fs = json_dumps(f, JSON_COMPACT);
	if (fs) {
		enc = engine_url_escape(fs);
		free(fs);
	}
	if (enc && asprintf(&path, "/containers/json?all=%d&filters=%s", all ? 1 : 0, enc) < 0)
		path = NULL;
out:
	json_decref(labels);
	json_decref(f);
	free(enc);
	return path;
}

int engine_find_service(struct engine_conn *e, const char *project,
			const char *service, int index, struct engine_info *info)
{
	char *path = engine_list_path(project, service, 0);
	json_t *list = NULL, *c;
	size_t i;
	int ret;

	memset(info, 0, sizeof(*info));
	if (!path)
		return err_fail(ENOMEM, "engine_find_service");
	ret = engine_get_json(e, path, &list);
	free(path);
	if (ret)
		return ret;
	if (!json_is_array(list)) {
		json_decref(list);
		return err_fail(EPROTO, "engine socket '%s': container list is not a JSON array",
				e->socket_path);
	}
	ret = -ENOENT;
	json_array_foreach(list, i, c) {
		const json_t *labels = json_object_get(c, "Labels");
		const char *num = json_string_value(json_object_get(labels,
					"com.docker.compose.container-number"));
		const char *id = json_string_value(json_object_get(c, "Id"));

		if (!id || (num ? atoi(num) : 1) != index)
			continue;
		ret = engine_inspect(e, id, info);
		/* gone between list and inspect: look on */
		if (ret != -ENOENT)
			break;
	}
	json_decref(list);
	if (ret == -ENOENT)
		ret = err_fail(ENOENT, "no running replica %d of service '%s'%s%s",
			       index, service, project ? " in project " : "",
			       project ? project : "");
	return ret;
}

void engine_info_free(struct engine_info *info)
{
	free(info->id);
	free(info->name);
	free(info->service);
	free(info->project);
	free(info->working_dir);
	memset(info, 0, sizeof(*info));
}
