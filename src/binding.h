/* Node-API glue shared by the binding's files. */
#ifndef SB_BINDING_H
#define SB_BINDING_H

#include <node_api.h>

#include "sbffi.h"

/* Per environment (the main thread and each worker_thread). */
struct sb_env {
	void *frame;		/* the pinned frame's data */
	napi_ref frame_ref;
	struct sb_registry reg;
	struct cb_env *cb;	/* callbacks (binding_callback.c); NULL: none yet */
	unsigned jobs;		/* .async calls not completed (binding_async.c) */
	bool gone;		/* the environment ended before they did */
};

/* free e, or leave it to the last .async call's completion */
void sb_env_release(struct sb_env *e);

/* Throw and return NULL from the calling function when a Node-API call
 * fails; the message says which call. */
#define SB_TRY(env, call)                                                  \
	do {                                                               \
		if ((call) != napi_ok) {                                   \
			sb_throw_last(env, #call);                         \
			return NULL;                                       \
		}                                                          \
	} while (0)

void sb_throw_last(napi_env env, const char *what);
napi_value sb_throw(napi_env env, const char *code, const char *msg);
/* fetch exactly `want` arguments of a call (missing ones are undefined) */
int sb_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
int sb_get_pointer(napi_env env, napi_value v, void **out);
napi_value sb_make_pointer(napi_env env, const void *p);
int sb_get_string(napi_env env, napi_value v, char *buf, size_t len);

struct sb_export {
	const char *name;
	napi_callback fn;
};
napi_status sb_define(napi_env env, napi_value obj, const struct sb_export *e,
		      size_t n);

napi_status sb_init_plan(napi_env env, napi_value exports);
napi_status sb_init_dl(napi_env env, napi_value exports);
napi_status sb_init_mem(napi_env env, napi_value exports);
napi_status sb_init_callback(napi_env env, napi_value exports);
napi_status sb_init_async(napi_env env, napi_value exports);

/* sb_call with errno (and GetLastError) set from the frame before the
 * target and saved into it after (src/oserror.h) */
void sb_call_errno(void *frame);

/* Thread-local storage for the binding's per-thread words. Initial-exec:
 * a few bytes of the static TLS surplus, no __tls_get_addr on the hot
 * path. A platform file may define SB_TLS otherwise (mingw-w64: emulated
 * TLS). */
#ifndef SB_TLS
#define SB_TLS __thread __attribute__((tls_model("initial-exec")))
#endif

#endif
