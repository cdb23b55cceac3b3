/* curl_load.h - libcurl, loaded at run time (dlopen) the first time an
 * engine is used, and the names of its functions as calls through the
 * pointers resolved then. Internal to core/engine: include this, never
 * <curl/curl.h>, so every curl call in core/engine goes through it.
 *
 * Why: Debian's libcurl links 31 other libraries (TLS, SSH, LDAP, Kerberos,
 * IDN, HTTP/2, ...), none of them used on a unix socket: ~60 ms of loading
 * and ~5 MB of memory in every process that maps it. Loaded here only when
 * an engine socket answers, a --no-engine or --netns-dir daemon, the CNI
 * plugin and the applets that never talk to an engine do not pay for it.
 * libcurl stays the engine client; only when it is loaded changes.
 * Measured and not kept (docs/performance.md, start with an engine):
 * loading it in a thread from before the config load (the main thread's
 * set-up slowed by as much as the overlap saved: first link 24.7 vs
 * 24.9 ms), RTLD_LAZY (Debian's libraries are bound at load: same time),
 * libcurl3-gnutls (31 libraries too: no faster). */
#ifndef CONLINK_CURL_LOAD_H
#define CONLINK_CURL_LOAD_H

/* curl's type-checking macros (typecheck-gcc.h) call the functions by
 * their own names, which here are pointers: off. The three-argument
 * macros below keep the argument count checked. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

/* The ABI of the -dev package's headers (Debian: libcurl4). */
#define CURL_SONAME "libcurl.so.4"

/* libcurl's functions core/engine calls, resolved by curl_load(). */
struct curl_fns {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_multi_init) *multi_init;
	__typeof__(curl_multi_setopt) *multi_setopt;
	__typeof__(curl_multi_add_handle) *multi_add_handle;
	__typeof__(curl_multi_remove_handle) *multi_remove_handle;
	__typeof__(curl_multi_socket_action) *multi_socket_action;
	__typeof__(curl_multi_assign) *multi_assign;
	__typeof__(curl_multi_info_read) *multi_info_read;
	__typeof__(curl_multi_cleanup) *multi_cleanup;
};
extern struct curl_fns curl_fn;

#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init curl_fn.global_init
#define curl_easy_init curl_fn.easy_init
#define curl_easy_setopt(h, opt, arg) curl_fn.easy_setopt(h, opt, arg)
#define curl_easy_perform curl_fn.easy_perform
#define curl_easy_getinfo(h, info, arg) curl_fn.easy_getinfo(h, info, arg)
#define curl_easy_cleanup curl_fn.easy_cleanup
#define curl_easy_strerror curl_fn.easy_strerror
#define curl_slist_append curl_fn.slist_append
#define curl_slist_free_all curl_fn.slist_free_all
#define curl_multi_init curl_fn.multi_init
#define curl_multi_setopt(m, opt, arg) curl_fn.multi_setopt(m, opt, arg)
#define curl_multi_add_handle curl_fn.multi_add_handle
#define curl_multi_remove_handle curl_fn.multi_remove_handle
#define curl_multi_socket_action curl_fn.multi_socket_action
#define curl_multi_assign curl_fn.multi_assign
#define curl_multi_info_read curl_fn.multi_info_read
#define curl_multi_cleanup curl_fn.multi_cleanup

#endif
