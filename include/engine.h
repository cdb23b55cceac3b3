/* engine.h - Docker Engine API client over a unix socket (libcurl + jansson).
 * Docker and Podman (its Docker-compatible service) both speak it.
 *
 * The blocking calls here serve short-lived applets (ns-exec); the daemon's
 * non-blocking side (events, exec on the loop) is declared further down.
 */
#ifndef CONLINK_ENGINE_H
#define CONLINK_ENGINE_H

#include <stdbool.h>
#include <sys/types.h>

struct engine_conn;

/* What an inspect tells about one container. Strings are owned. */
struct engine_info {
	char *id;		/* full id */
	char *name;		/* without the leading '/' */
	char *service;		/* label com.docker.compose.service, or NULL */
	char *project;		/* label com.docker.compose.project, or NULL */
	char *working_dir;	/* label com.docker.compose.project.working_dir */
	int index;		/* com.docker.compose.container-number, else 1 */
	pid_t pid;		/* State.Pid, 0 when not running */
	bool running;
	double started;		/* State.StartedAt, seconds since the epoch; 0 unknown */
};

/* Connect to the engine at SOCKET_PATH and check that it answers (_ping).
 * 0, or -errno with err_msg() naming the socket. */
int engine_connect(const char *socket_path, struct engine_conn **out);
void engine_disconnect(struct engine_conn *e);

/* Inspect a container by name or by (a prefix of) its id.
 * 0, -ENOENT when there is no such container, or -errno. */
int engine_inspect(struct engine_conn *e, const char *name_or_id,
		   struct engine_info *info);

/* Find the running replica INDEX of compose SERVICE in PROJECT.
 * 0, -ENOENT when there is none, or -errno. */
int engine_find_service(struct engine_conn *e, const char *project,
			const char *service, int index, struct engine_info *info);

void engine_info_free(struct engine_info *info);

/* ---- shared by the blocking and the non-blocking side ---- */

#include <jansson.h>

/* libcurl loaded (dlopen, core/engine/curl_load.c) and curl_global_init,
 * once per process; every engine request calls it first. 0, or -ENOENT
 * naming libcurl when it cannot be loaded, or -errno. */
int engine_global_init(void);
/* GET PATH and parse the JSON answer into *OUT (owned by the caller).
 * 0, -ENOENT on 404, or -errno. */
int engine_get_json(struct engine_conn *e, const char *path, json_t **out);
/* Fill INFO from a container inspect object. A field of the wrong JSON
 * type (an answer not an object, Id not a string, State.Pid not a number,
 * Labels not an object) is refused: -EPROTO naming it. 0 or -errno. */
int engine_info_from_json(const json_t *inspect, struct engine_info *info);
/* Fill INFO from an entry of Podman's libpod listing
 * (/libpod/containers/json), as its inspect would: Id, Names[0], Labels
 * (object or null), State "running", Pid and StartedAt (Unix seconds)
 * numbers above 0. Anything missing or of another type is refused:
 * -EPROTO naming it (that container is then inspected). 0 or -errno. */
int engine_info_from_libpod_entry(const json_t *entry, struct engine_info *info);
/* The /containers/json path listing containers (ALL: also stopped ones)
 * labelled with compose PROJECT and SERVICE (either may be NULL).
 * Allocated; NULL when out of memory. */
char *engine_list_path(const char *project, const char *service, int all);

#endif
