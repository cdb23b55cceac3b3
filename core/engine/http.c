/* http.c - blocking HTTP to an engine's unix socket (libcurl easy, loaded
 * by curl_load.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curl_load.h"
#include "engine.h"
#include "http.h"
#include "err.h"

int engine_buf_append(char **buf, size_t *len, size_t *cap, const char *bytes,
		      size_t n)
{
	if (!*buf || *len + n + 1 > *cap) {
		size_t want = *cap ? *cap : 256;
		char *p;

		while (want < *len + n + 1)
			want *= 2;
		if (!(p = realloc(*buf, want)))
			return -ENOMEM;
		*buf = p;
		*cap = want;
	}
	memcpy(*buf + *len, bytes, n);
	*len += n;
	(*buf)[*len] = 0;
	return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct engine_http_reply *r = arg;

	if (r->len + size * nmemb > ENGINE_BODY_MAX) {
		r->status = -1;	/* over the cap: told apart from out of memory */
		return 0;
	}
	if (engine_buf_append(&r->body, &r->len, &r->cap, data, size * nmemb))
		return 0;	/* curl fails the transfer with CURLE_WRITE_ERROR */
	return size * nmemb;
}

char *engine_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *p = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			*p++ = c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = 0;
	return out;
}

int engine_http(const char *socket_path, const char *method, const char *path,
		const json_t *body, long timeout_ms, struct engine_http_reply *r)
{
	struct curl_slist *hdrs = NULL;
	char *url = NULL, *payload = NULL;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	CURL *c;
	int ret;

	memset(r, 0, sizeof(*r));
	if ((ret = engine_global_init()))	/* libcurl loaded */
		return ret;
	c = curl_easy_init();
	if (!c)
		return err_fail(ENOMEM, "curl_easy_init");
	/* the host part is ignored on a unix socket, but must be a valid name */
	if (asprintf(&url, "http://localhost%s", path) < 0) {
		url = NULL;
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body || !strcmp(method, "POST")) {
		payload = body ? json_dumps(body, JSON_COMPACT) : strdup("");
		if (!payload)
			goto out;
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
out:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(payload);
	free(url);
	if (rc != CURLE_OK && r->status == -1) {
		engine_http_reply_free(r);
		return err_fail(EFBIG, "engine socket '%s': %s %s: answer over %ld MiB: not read",
				socket_path, method, path, ENGINE_BODY_MAX >> 20);
	}
	if (rc != CURLE_OK) {
		engine_http_reply_free(r);
		return err_fail(rc == CURLE_OUT_OF_MEMORY ? ENOMEM :
				rc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : ECONNREFUSED,
				"engine socket '%s': %s %s: %s", socket_path, method,
				path, curl_easy_strerror(rc));
	}
	return 0;
}

void engine_http_reply_free(struct engine_http_reply *r)
{
	free(r->body);
	r->body = NULL;
	r->len = r->cap = 0;
}

const char *engine_http_error(const struct engine_http_reply *r)
{
	static char buf[256];
	json_t *j;

	if (r->body && (j = json_loads(r->body, 0, NULL))) {
		const char *m = json_string_value(json_object_get(j, "message"));

		if (m)
			snprintf(buf, sizeof(buf), "%s", m);
		json_decref(j);
		if (m)
			return buf;
	}
	if (r->body && r->len) {
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(r->body, "\n"), r->body);
		return buf;
	}
	snprintf(buf, sizeof(buf), "HTTP %ld", r->status);
	return buf;
}
