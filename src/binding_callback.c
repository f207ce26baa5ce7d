/* Callbacks: JS functions behind the trampolines of src/callback.c.
 *
 * One process-global table of SB_TRAMPOLINE_COUNT slots, static and never
 * freed, so a call on a closed slot, however late, reads only the table.
 * A slot belongs to one environment (its JS thread). The trampoline's
 * handler, on whatever thread C calls it:
 *  - on the slot's JS thread (C called from an sbffi call, so JavaScript
 *    is on the stack below): copies the trampoline frame's argument
 *    registers and stack words into that thread's JS frame (the outer
 *    call's arguments there were consumed already), calls the JS invoker,
 *    which reads the arguments with the callback's plan and writes the
 *    return slots, and copies those back;
 *  - on any other thread: queues a request on the environment's
 *    thread-safe function and sleeps until the JS thread has run it (or,
 *    fire-and-forget, copies the frame to the heap and returns at once).
 * Closed, free or shut-down slots return zero. The global lock guards the
 * slot states and the environments' thread-safe functions; JavaScript
 * never runs under it.
 *
 * The thread-safe function does not hold the event loop open, so a
 * program whose only work left is a callback that C threads will call
 * would exit first: a slot ref()'d from JS (as a timer is) holds it, by
 * ref'ing the thread-safe function while any slot of its environment is. */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "frame.h"
#include "sync.h"

enum { SLOT_FREE, SLOT_OPEN, SLOT_CLOSING };

/* Per environment: its JS thread and thread-safe function. Freed when
 * both the environment's cleanup hook and the thread-safe function's
 * finalizer (if one was made) have let go of it. */
struct cb_env {
	napi_env env;
	struct sb_env *e;	/* its frame; alive while JS runs on its thread */
	const void *thread;	/* &thread_mark on the JS thread */
	napi_threadsafe_function tsfn;	/* NULL: none yet, or finalized */
	int dead;		/* the environment is shutting down */
	int refs;
	unsigned kept;		/* its slots holding the event loop open */
};

struct slot {
	int state;
	unsigned inflight;	/* calls between the handler's check and return */
	uint32_t nstack;	/* stack argument words the plan has */
	int fire_and_forget;
	int kept;		/* holds its environment's event loop open */
	struct cb_env *owner;
	napi_ref fn;		/* the invoker; touched on the JS thread only */
};

/* A call from another thread: the request lives on the calling thread's
 * stack while it waits; a fire-and-forget one on the heap with a copy of
 * the frame. */
struct request {
	uint32_t index;
	int async;
	struct sb_frame *frame;
	sb_mutex m;
	sb_cond c;
	int done;
};

struct async_request {
	struct request r;
	struct sb_frame frame;
};

static struct slot slots[SB_TRAMPOLINE_COUNT];
static sb_mutex lock = SB_MUTEX_INIT;
static SB_TLS char thread_mark;

static void zero_returns(struct sb_frame *f)
{
	memset(f->ret_gpr, 0, sizeof f->ret_gpr);
	memset(f->ret_vec, 0, sizeof f->ret_vec);
}

static void unref_env(struct cb_env *ce)	/* under the lock */
{
	if (--ce->refs == 0)
		free(ce);
}

/* One call done: a closing slot with no call left is free again. */
static void leave(struct slot *s)		/* under the lock */
{
	if (--s->inflight == 0 && s->state == SLOT_CLOSING)
		s->state = SLOT_FREE;
}

/* Whether an open slot holds the event loop open; the thread-safe
 * function is ref'd while one of its environment's slots is (on the JS
 * thread, as Node-API asks of napi_ref_threadsafe_function). */
static void keep_loop(napi_env env, struct slot *s, int on)	/* under the lock */
{
	struct cb_env *ce = s->owner;

	if (s->kept == on)
		return;
	s->kept = on;
	if (on && ce->kept++ == 0 && ce->tsfn)
		napi_ref_threadsafe_function(env, ce->tsfn);
	else if (!on && --ce->kept == 0 && ce->tsfn)
		napi_unref_threadsafe_function(env, ce->tsfn);
}

/* On the slot's JS thread: the frame's arguments into the JS frame, the
 * invoker (ref), its return slots back. outermost: no sbffi call is on
 * the stack to rethrow an exception from, so it is reported as uncaught. */
static void run_js(napi_env env, struct sb_env *e, napi_ref ref, uint32_t nstack,
		   struct sb_frame *f, int outermost)
{
	napi_handle_scope scope;
	napi_value fn, recv, argv[1], result;
	unsigned char *jf;

	zero_returns(f);
	if (!ref || !e->frame)
		return;
	jf = e->frame;
	memcpy(jf + SB_OFF_RET_GPR, f->ret_gpr, SB_OFF_GPR - SB_OFF_RET_GPR);
	memcpy(jf + SB_OFF_GPR, f->gpr, SB_OFF_STACK - SB_OFF_GPR);
	if (nstack)
		memcpy(jf + SB_OFF_STACK, f->argp, nstack * SB_WORD);
	if (napi_open_handle_scope(env, &scope) != napi_ok)
		return;
	if (napi_get_reference_value(env, ref, &fn) == napi_ok && fn &&
	    napi_get_undefined(env, &recv) == napi_ok &&
	    (!outermost || napi_get_boolean(env, true, &argv[0]) == napi_ok)) {
		napi_status st = napi_call_function(env, recv, fn, outermost ? 1 : 0,
						    argv, &result);

		if (st == napi_ok) {
			memcpy(f->ret_gpr, jf + SB_OFF_RET_GPR, SB_OFF_GPR - SB_OFF_RET_GPR);
		} else if (outermost) {
			napi_value err;

			if (napi_get_and_clear_last_exception(env, &err) == napi_ok)
				napi_fatal_exception(env, err);
		}
	}
	napi_close_handle_scope(env, scope);
}

/* The thread-safe function's side, on the JS thread; env is NULL when the
 * environment is going away with requests still queued. */
static void call_js(napi_env env, napi_value js_cb, void *context, void *data)
{
	struct request *r = data;
	struct slot *s = &slots[r->index];
	struct cb_env *ce = context;
	napi_ref ref = NULL;
	uint32_t nstack = 0;

	(void)js_cb;
	sb_lock(&lock);
	if (env && s->state == SLOT_OPEN && s->owner == ce) {
		ref = s->fn;
		nstack = s->nstack;
	}
	sb_unlock(&lock);
	/* ref is deleted on this thread only (close, cleanup): it stays valid */
	if (ref)
		run_js(env, ce->e, ref, nstack, r->frame, 1);
	else
		zero_returns(r->frame);
	sb_lock(&lock);
	leave(s);
	sb_unlock(&lock);
	if (r->async) {
		free(r);
		return;
	}
	sb_lock(&r->m);
	r->done = 1;
	sb_signal(&r->c);
	sb_unlock(&r->m);
}

static void tsfn_finalize(napi_env env, void *data, void *hint)
{
	struct cb_env *ce = data;

	(void)env;
	(void)hint;
	sb_lock(&lock);
	ce->tsfn = NULL;
	ce->dead = 1;
	unref_env(ce);
	sb_unlock(&lock);
}

/* The trampolines' handler (sb_callback_set_handler), on any thread. */
static void handler(uint32_t index, struct sb_frame *f)
{
	struct slot *s = &slots[index];
	struct cb_env *ce;
	struct request r;
	napi_status st;

	sb_lock(&lock);
	ce = s->owner;
	if (s->state != SLOT_OPEN || ce->dead) {
		sb_unlock(&lock);
		zero_returns(f);
		return;
	}
	if (ce->thread == &thread_mark) {
		/* the JS thread: nothing can close the slot or end the
		 * environment before run_js has the reference in hand, and a
		 * close from the JS function itself only drops the reference */
		napi_env env = ce->env;
		napi_ref ref = s->fn;
		uint32_t nstack = s->nstack;

		sb_unlock(&lock);
		run_js(env, ce->e, ref, nstack, f, 0);
		return;
	}
	s->inflight++;
	if (!ce->tsfn) {
		leave(s);
		sb_unlock(&lock);
		zero_returns(f);
		return;
	}
	if (s->fire_and_forget) {
		struct async_request *a = malloc(sizeof *a);

		zero_returns(f);
		if (!a) {
			leave(s);
			sb_unlock(&lock);
			return;
		}
		a->r.index = index;
		a->r.async = 1;
		a->r.frame = &a->frame;
		a->frame = *f;
		memcpy(a->frame.stack, f->argp, s->nstack * SB_WORD);
		a->frame.argp = a->frame.stack;
		/* queued under the lock: the thread-safe function cannot be
		 * finalized meanwhile (tsfn_finalize takes the lock) */
		st = napi_call_threadsafe_function(ce->tsfn, &a->r, napi_tsfn_nonblocking);
		if (st != napi_ok) {
			leave(s);
			free(a);
		}
		sb_unlock(&lock);
		return;
	}
	r.index = index;
	r.async = 0;
	r.frame = f;
	r.m = (sb_mutex)SB_MUTEX_INIT;
	r.c = (sb_cond)SB_COND_INIT;
	r.done = 0;
	st = napi_call_threadsafe_function(ce->tsfn, &r, napi_tsfn_nonblocking);
	if (st != napi_ok) {
		leave(s);
		sb_unlock(&lock);
		zero_returns(f);
		return;
	}
	sb_unlock(&lock);
	sb_lock(&r.m);
	while (!r.done)
		sb_wait(&r.c, &r.m);
	sb_unlock(&r.m);
}

/* The environment is going away: close its slots; waiting threads are
 * woken with zeros as Node empties the thread-safe function's queue. */
static void env_cleanup(void *data)
{
	struct cb_env *ce = data;

	sb_lock(&lock);
	ce->dead = 1;
	for (size_t i = 0; i < SB_TRAMPOLINE_COUNT; i++) {
		struct slot *s = &slots[i];

		if (s->owner != ce || s->state == SLOT_FREE)
			continue;
		/* Node lets go of the function at teardown but frees the
		 * reference itself only on napi_delete_reference (a closing
		 * slot's is deleted already) */
		if (s->fn)
			napi_delete_reference(ce->env, s->fn);
		s->fn = NULL;
		s->kept = 0;	/* Node deletes the thread-safe function */
		s->state = s->inflight ? SLOT_CLOSING : SLOT_FREE;
	}
	ce->kept = 0;
	unref_env(ce);
	sb_unlock(&lock);
}

static struct cb_env *get_cb_env(napi_env env)
{
	struct sb_env *e;
	struct cb_env *ce;
	napi_value name;

	if (napi_get_instance_data(env, (void **)&e) != napi_ok || !e)
		return NULL;
	if (e->cb)
		return e->cb;
	if (!(ce = calloc(1, sizeof *ce)))
		return NULL;
	ce->env = env;
	ce->e = e;
	ce->thread = &thread_mark;
	ce->refs = 1;
	if (napi_add_env_cleanup_hook(env, env_cleanup, ce) != napi_ok) {
		free(ce);
		return NULL;
	}
	e->cb = ce;
	/* one thread-safe function per environment, not holding the event
	 * loop open: callbacks from other threads need a loop that runs */
	ce->refs++;
	if (napi_create_string_utf8(env, "sbffi callback", NAPI_AUTO_LENGTH, &name) != napi_ok ||
	    napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, ce,
					    tsfn_finalize, ce, call_js,
					    &ce->tsfn) != napi_ok) {
		ce->refs--;
		ce->tsfn = NULL;
		return ce;
	}
	napi_unref_threadsafe_function(env, ce->tsfn);
	return ce;
}

/* open(invoke: function, nstack, fireAndForget) -> trampoline index, or
 * -1 when every trampoline is taken */
static napi_value cb_open(napi_env env, napi_callback_info info)
{
	napi_value argv[3], out;
	struct cb_env *ce;
	uint32_t nstack;
	bool faf = false;
	napi_ref ref;
	int index = -1;

	if (sb_args(env, info, 3, argv) ||
	    napi_get_value_uint32(env, argv[1], &nstack) != napi_ok ||
	    napi_get_value_bool(env, argv[2], &faf) != napi_ok || nstack > SB_STACK_MAX)
		return sb_throw(env, NULL, "sbffi: callbackOpen(invoke, nstack, fireAndForget)");
	if (!(ce = get_cb_env(env)))
		return sb_throw(env, NULL, "sbffi: cannot set up callbacks in this environment");
	SB_TRY(env, napi_create_reference(env, argv[0], 1, &ref));
	sb_lock(&lock);
	for (int i = 0; i < SB_TRAMPOLINE_COUNT; i++) {
		struct slot *s = &slots[i];

		if (s->state != SLOT_FREE)
			continue;
		s->state = SLOT_OPEN;
		s->inflight = 0;
		s->nstack = nstack;
		s->fire_and_forget = faf;
		s->owner = ce;
		s->fn = ref;
		index = i;
		break;
	}
	sb_unlock(&lock);
	if (index < 0)
		napi_delete_reference(env, ref);
	SB_TRY(env, napi_create_int32(env, index, &out));
	return out;
}

/* close(index): new calls get zero; the slot is reused once the calls in
 * flight have returned */
static napi_value cb_close(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	struct cb_env *ce;
	uint32_t index;
	napi_ref ref = NULL;
	struct sb_env *e;

	if (sb_args(env, info, 1, argv) ||
	    napi_get_value_uint32(env, argv[0], &index) != napi_ok ||
	    index >= SB_TRAMPOLINE_COUNT)
		return sb_throw(env, NULL, "sbffi: callbackClose(index)");
	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	ce = e ? e->cb : NULL;
	sb_lock(&lock);
	if (ce && slots[index].owner == ce && slots[index].state == SLOT_OPEN) {
		struct slot *s = &slots[index];

		ref = s->fn;
		s->fn = NULL;
		keep_loop(env, s, 0);
		s->state = s->inflight ? SLOT_CLOSING : SLOT_FREE;
	}
	sb_unlock(&lock);
	if (ref)
		napi_delete_reference(env, ref);
	return NULL;
}

/* ref(index, on): whether the open slot index holds the event loop open */
static napi_value cb_ref(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	uint32_t index;
	bool on;
	struct sb_env *e;

	if (sb_args(env, info, 2, argv) ||
	    napi_get_value_uint32(env, argv[0], &index) != napi_ok ||
	    napi_get_value_bool(env, argv[1], &on) != napi_ok ||
	    index >= SB_TRAMPOLINE_COUNT)
		return sb_throw(env, NULL, "sbffi: callbackRef(index, on)");
	SB_TRY(env, napi_get_instance_data(env, (void **)&e));
	sb_lock(&lock);
	if (e && e->cb && slots[index].owner == e->cb && slots[index].state == SLOT_OPEN)
		keep_loop(env, &slots[index], on);
	sb_unlock(&lock);
	return NULL;
}

/* trampolineAddress(index) -> BigInt */
static napi_value tramp_address(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	uint32_t index;
	void *p;

	if (sb_args(env, info, 1, argv) ||
	    napi_get_value_uint32(env, argv[0], &index) != napi_ok ||
	    !(p = sb_trampoline_address(index)))
		return sb_throw(env, NULL, "sbffi: no such trampoline");
	return sb_make_pointer(env, p);
}

/* trampolineIndex(BigInt) -> index, or -1 */
static napi_value tramp_index(napi_env env, napi_callback_info info)
{
	napi_value argv[1], out;
	void *p;

	if (sb_args(env, info, 1, argv) || sb_get_pointer(env, argv[0], &p))
		return sb_throw(env, NULL, "sbffi: trampolineIndex takes a BigInt");
	SB_TRY(env, napi_create_int64(env, sb_trampoline_index(p), &out));
	return out;
}

napi_status sb_init_callback(napi_env env, napi_value exports)
{
	static const struct sb_export fns[] = {
		{ "callbackOpen", cb_open },
		{ "callbackClose", cb_close },
		{ "callbackRef", cb_ref },
		{ "trampolineAddress", tramp_address },
		{ "trampolineIndex", tramp_index },
	};
	napi_value v;
	napi_status s;

	sb_callback_set_handler(handler);
	s = sb_define(env, exports, fns, sizeof fns / sizeof fns[0]);
	if (s == napi_ok)
		s = napi_create_int32(env, SB_TRAMPOLINE_COUNT, &v);
	if (s == napi_ok)
		s = napi_set_named_property(env, exports, "trampolineCount", v);
	return s;
}
