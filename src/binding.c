/* Module init, the per-thread frame, and the call entry. */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "frame.h"
#include "oserror.h"

void sb_throw_last(napi_env env, const char *what)
{
	const napi_extended_error_info *info = NULL;
	bool pending = false;

	napi_is_exception_pending(env, &pending);
	if (pending)
		return;
	napi_get_last_error_info(env, &info);
	napi_throw_error(env, NULL,
			 info && info->error_message ? info->error_message : what);
}

napi_value sb_throw(napi_env env, const char *code, const char *msg)
{
	napi_throw_error(env, code, msg);
	return NULL;
}

int sb_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv)
{
	size_t argc = want;

	return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok ? 0 : -1;
}

int sb_get_pointer(napi_env env, napi_value v, void **out)
{
	uint64_t u;
	bool lossless;

	if (napi_get_value_bigint_uint64(env, v, &u, &lossless) != napi_ok)
		return -1;
	*out = (void *)(uintptr_t)u;
	return 0;
}

napi_value sb_make_pointer(napi_env env, const void *p)
{
	napi_value v;

	if (napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)p, &v) != napi_ok)
		return NULL;
	return v;
}

int sb_get_string(napi_env env, napi_value v, char *buf, size_t len)
{
	size_t got;

	if (napi_get_value_string_utf8(env, v, buf, len, &got) != napi_ok)
		return -1;
	return got + 1 < len ? 0 : -1;
}

napi_status sb_define(napi_env env, napi_value obj, const struct sb_export *e,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		napi_value fn;
		napi_status s = napi_create_function(env, e[i].name,
						     NAPI_AUTO_LENGTH, e[i].fn,
						     NULL, &fn);
		if (s == napi_ok)
			s = napi_set_named_property(env, obj, e[i].name, fn);
		if (s != napi_ok)
			return s;
	}
	return napi_ok;
}

/* Node runs each environment (the main one, each worker) on a thread of
 * its own, so the first environment on a thread claims the thread's slot
 * and its call entry finds the frame in one load, where asking Node-API
 * for the instance data costs a call. A second environment on the same
 * thread, which embedders can make, asks Node-API. Initial-exec TLS: 16
 * bytes of the static TLS surplus, no __tls_get_addr on the hot path.
 * (SB_TLS: binding.h.) */
static SB_TLS struct sb_env *thread_env;
static SB_TLS void *thread_frame;

static void *shared_frame(napi_env env)
{
	struct sb_env *e;

	napi_get_instance_data(env, (void **)&e);
	return e->frame;
}

void sb_call_errno(void *frame)
{
	sb_error_load(frame);
	sb_call(frame);
	sb_error_store(frame);
}

/* The hot path: no arguments cross, the plan's caller has filled the
 * frame. Per dispatcher an entry for the thread's first environment, one
 * load away from its frame, and one for any other (SB_ENTRIES). Functions
 * declared { errno: true } have entries of their own, so the others do
 * nothing but the call. */
#define SB_ENTRIES(name, dispatch)                                          \
	static napi_value name##_own_thread(napi_env env, napi_callback_info info) \
	{                                                                   \
		(void)env;                                                  \
		(void)info;                                                 \
		dispatch(thread_frame);                                     \
		return NULL;                                                \
	}                                                                   \
	static napi_value name##_shared_thread(napi_env env, napi_callback_info info) \
	{                                                                   \
		(void)info;                                                 \
		dispatch(shared_frame(env));                                \
		return NULL;                                                \
	}

SB_ENTRIES(call, sb_call)
SB_ENTRIES(call_gpr, sb_call_gpr)
SB_ENTRIES(call_errno, sb_call_errno)
SB_ENTRIES(run_batch, sb_run_batch)

/* init(frame: ArrayBuffer) -> BigInt address. JavaScript allocates the
 * frame (embedders may forbid external buffers); the reference pins it so
 * its address stays valid for the life of the environment. */
static napi_value init(napi_env env, napi_callback_info info)
{
	struct sb_env *e;
	napi_value argv[1];
	size_t len = 0;
	void *data;
	bool is_ab = false;

	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	if (sb_args(env, info, 1, argv) || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab)
		return sb_throw(env, NULL, "sbffi: init needs an ArrayBuffer");
	SB_TRY(env, napi_get_arraybuffer_info(env, argv[0], &data, &len));
	if (len < SB_OFF_QUEUE + SB_QUEUE_SIZE)
		return sb_throw(env, NULL, "sbffi: frame buffer too small");
	if (e->frame_ref)
		napi_delete_reference(env, e->frame_ref);
	SB_TRY(env, napi_create_reference(env, argv[0], 1, &e->frame_ref));
	e->frame = data;
	if (thread_env == e)
		thread_frame = data;
	return sb_make_pointer(env, data);
}

static void free_env(napi_env env, void *data, void *hint)
{
	struct sb_env *e = data;

	(void)hint;
	if (thread_env == e) {
		thread_env = NULL;
		thread_frame = NULL;
	}
	if (e->frame_ref)
		napi_delete_reference(env, e->frame_ref);
	e->frame = NULL;
	sb_registry_free(&e->reg);
	e->gone = true;
	sb_env_release(e);
}

void sb_env_release(struct sb_env *e)
{
	if (e->gone && e->jobs == 0)
		free(e);
}

static napi_status init_call(napi_env env, napi_value exports, struct sb_env *e)
{
	const struct sb_export fns[] = {
		{ "init", init },
		{ "call", thread_env == e ? call_own_thread : call_shared_thread },
		{ "callGpr", thread_env == e ? call_gpr_own_thread : call_gpr_shared_thread },
		{ "callErrno", thread_env == e ? call_errno_own_thread : call_errno_shared_thread },
		{ "runBatch", thread_env == e ? run_batch_own_thread : run_batch_shared_thread },
	};
	return sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);
}

NAPI_MODULE_INIT()
{
	struct sb_env *e = calloc(1, sizeof *e);

	if (!e) {
		napi_throw_error(env, NULL, "sbffi: out of memory");
		return NULL;
	}
	if (napi_set_instance_data(env, e, free_env, NULL) != napi_ok) {
		free(e);
		sb_throw_last(env, "napi_set_instance_data");
		return NULL;
	}
	if (!thread_env)
		thread_env = e;
	if (init_call(env, exports, e) != napi_ok ||
	    sb_init_plan(env, exports) != napi_ok ||
	    sb_init_dl(env, exports) != napi_ok ||
	    sb_init_mem(env, exports) != napi_ok ||
	    sb_init_callback(env, exports) != napi_ok ||
	    sb_init_async(env, exports) != napi_ok) {
		sb_throw_last(env, "sbffi: module init");
		return NULL;
	}
	return exports;
}
