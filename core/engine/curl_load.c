/* curl_load.c - libcurl loaded (dlopen) and initialised the first time an
 * engine is used, or ahead of that in a thread of its own (see curl_load.h,
 * engine.h: engine_global_init, engine_client_preload). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

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

static int done;

/* The load, on whichever thread: 0, or -errno with err_msg() (that
 * thread's own: err.c keeps it per thread). */
static int curl_load(void)
{
	int ret = dlsyms_load(CURL_SONAME, curl_want, sizeof(curl_want) / sizeof(curl_want[0]));

	if (ret)
		return err_wrap(ret, "the engine client needs %s (Debian: libcurl4)",
				CURL_SONAME);
	if (curl_global_init(CURL_GLOBAL_NOTHING))
		return err_fail(EIO, "curl_global_init failed");
	return 0;
}

/* The preload: its thread runs curl_load and ends; engine_global_init
 * joins it. Nothing else touches these until then. */
static pthread_t preload_thread;
static int preloading;		/* started, not joined yet */
static int preload_ret;
static char preload_why[512];	/* its err_msg(), for the joining thread */

static void *preload_run(void *arg)
{
	if ((preload_ret = curl_load()))
		snprintf(preload_why, sizeof(preload_why), "%s", err_msg());
	return NULL;
}

void engine_client_preload(void)
{
	pthread_attr_t attr;
	sigset_t all, old;

	if (done || preloading || pthread_attr_init(&attr))
		return;
	/* dlopen runs library constructors: 256 KiB is plenty, 8 MiB is not
	 * needed. Every signal stays with the main thread (its signalfd). */
	pthread_attr_setstacksize(&attr, 256 << 10);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	preloading = !pthread_create(&preload_thread, &attr, preload_run, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

int engine_global_init(void)
{
	int ret;

	if (done)
		return 0;
	if (preloading) {
		pthread_join(preload_thread, NULL);
		preloading = 0;
		ret = preload_ret ? err_fail(-preload_ret, "%s", preload_why) : 0;
	} else {
		ret = curl_load();
	}
	if (ret)
		return ret;
	done = 1;
	return 0;
}
