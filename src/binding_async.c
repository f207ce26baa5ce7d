/* Calls on a thread of the libuv pool (fn.async). The generated caller
 * fills the JS thread's frame as for a synchronous call, but with every
 * string and copy in memory of its own, which it keeps until the call
 * settles (the scratch area after the frame is the next call's).
 * callAsync copies that frame, so the pool thread has a frame of its own;
 * when the target has returned, the copy's return slots and error codes
 * go back into the JS thread's frame and finish() reads them as a
 * synchronous call would: its value resolves the promise, its exception
 * rejects it. Callbacks the target makes from the pool thread, or any
 * other, take the cross-thread path of binding_callback.c while the JS
 * thread is free to run them. */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "frame.h"

struct job {
	napi_async_work work;
	napi_deferred deferred;
	napi_ref finish;
	struct sb_env *e;
	bool errno_call;
	struct sb_frame frame;
};

static void execute(napi_env env, void *data)
{
	struct job *j = data;

	(void)env;
	if (j->errno_call)
		sb_call_errno(&j->frame);
	else
		sb_call(&j->frame);
}

/* On the JS thread. status is napi_cancelled when the environment goes
 * away first: finish(false) says so, and nothing is copied. The
 * environment's own data may be finalized before the last of its calls
 * completes: it is freed after them (sb_env_release). */
static void complete(napi_env env, napi_status status, void *data)
{
	struct job *j = data;
	unsigned char *jf = j->e->frame;
	napi_value finish, recv, ok, result;

	if (status == napi_ok && jf) {
		memcpy(jf + SB_OFF_RET_GPR, j->frame.ret_gpr, SB_OFF_GPR - SB_OFF_RET_GPR);
		if (j->errno_call)
			memcpy(jf + SB_OFF_ERRNO, &j->frame.err, SB_OFF_LAST_ERROR + 4 - SB_OFF_ERRNO);
	}
	if (napi_get_reference_value(env, j->finish, &finish) == napi_ok &&
	    napi_get_undefined(env, &recv) == napi_ok &&
	    napi_get_boolean(env, status == napi_ok, &ok) == napi_ok) {
		if (napi_call_function(env, recv, finish, 1, &ok, &result) == napi_ok) {
			napi_resolve_deferred(env, j->deferred, result);
		} else if (napi_get_and_clear_last_exception(env, &result) == napi_ok) {
			napi_reject_deferred(env, j->deferred, result);
		}
	}
	napi_delete_reference(env, j->finish);
	napi_delete_async_work(env, j->work);
	j->e->jobs--;
	sb_env_release(j->e);
	free(j);
}

/* callAsync(finish, errno) -> Promise, the frame as the caller left it */
static napi_value call_async(napi_env env, napi_callback_info info)
{
	napi_value argv[2], name, promise;
	struct sb_env *e;
	struct job *j;
	bool errno_call = false;
	napi_valuetype t;

	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	if (sb_args(env, info, 2, argv) || napi_typeof(env, argv[0], &t) != napi_ok ||
	    t != napi_function || napi_get_value_bool(env, argv[1], &errno_call) != napi_ok)
		return sb_throw(env, NULL, "sbffi: callAsync(finish, errno)");
	if (!e->frame)
		return sb_throw(env, NULL, "sbffi: no frame on this thread");
	if (!(j = calloc(1, sizeof *j)))
		return sb_throw(env, NULL, "sbffi: out of memory");
	memcpy(&j->frame, e->frame, SB_FRAME_SIZE);
	j->e = e;
	j->errno_call = errno_call;
	if (napi_create_reference(env, argv[0], 1, &j->finish) != napi_ok) {
		free(j);
		sb_throw_last(env, "napi_create_reference");
		return NULL;
	}
	if (napi_create_string_utf8(env, "sbffi async call", NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_create_async_work(env, NULL, name, execute, complete, j, &j->work) != napi_ok) {
		napi_delete_reference(env, j->finish);
		free(j);
		sb_throw_last(env, "napi_create_async_work");
		return NULL;
	}
	if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
	    napi_queue_async_work(env, j->work) != napi_ok) {
		napi_delete_async_work(env, j->work);
		napi_delete_reference(env, j->finish);
		free(j);
		sb_throw_last(env, "napi_queue_async_work");
		return NULL;
	}
	e->jobs++;
	return promise;
}

napi_status sb_init_async(napi_env env, napi_value exports)
{
	static const struct sb_export fns[] = {
		{ "callAsync", call_async },
	};

	return sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);
}
