/* curl_load.c - libcurl loaded (dlopen) and initialised the first time an
 * engine is used (see curl_load.h, engine.h: engine_global_init). */
#include <errno.h>

#include "curl_load.h"
#include "dlsyms.h"
#include "engine.h"
#include "err.h"

struct curl_fns curl_fn;

#define WANT(f, name) { name, (void **)&curl_fn.f }
static const struct dlsym_want curl_want[] = {
	WANT(global_init, "curl_global_init"),
	WANT(easy_init, "curl_easy_init"),
	WANT(easy_setopt, "curl_easy_setopt"),
	WANT(easy_perform, "curl_easy_perform"),
	WANT(easy_getinfo, "curl_easy_getinfo"),
	WANT(easy_cleanup, "curl_easy_cleanup"),
	WANT(easy_strerror, "curl_easy_strerror"),
	WANT(slist_append, "curl_slist_append"),
	WANT(slist_free_all, "curl_slist_free_all"),
	WANT(multi_init, "curl_multi_init"),
	WANT(multi_setopt, "curl_multi_setopt"),
	WANT(multi_add_handle, "curl_multi_add_handle"),
	WANT(multi_remove_handle, "curl_multi_remove_handle"),
	WANT(multi_socket_action, "curl_multi_socket_action"),
	WANT(multi_assign, "curl_multi_assign"),
	WANT(multi_info_read, "curl_multi_info_read"),
	WANT(multi_cleanup, "curl_multi_cleanup"),
};
#undef WANT

int engine_global_init(void)
{
	static int done;
	int ret;

	if (done)
		return 0;
	ret = dlsyms_load(CURL_SONAME, curl_want, sizeof(curl_want) / sizeof(curl_want[0]));
	if (ret)
		return err_wrap(ret, "the engine client needs %s (Debian: libcurl4)",
				CURL_SONAME);
	if (curl_global_init(CURL_GLOBAL_NOTHING))
		return err_fail(EIO, "curl_global_init failed");
	done = 1;
	return 0;
}
