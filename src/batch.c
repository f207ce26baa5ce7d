/* A batch's records run in order (lib/batch.js writes them): each is a
 * frame as far as its plan reads one, so the dispatchers take it as they
 * take a thread's frame; nothing is copied but errno around a call
 * declared { errno: true }, which carries on from the thread's frame as a
 * call made singly does. */
#include <string.h>

#include "frame.h"
#include "oserror.h"
#include "sbffi.h"

static uint32_t word(const unsigned char *at)
{
	uint32_t w;

	memcpy(&w, at, sizeof w);
	return w;
}

static void run_errno(struct sb_frame *record, struct sb_frame *thread)
{
	record->err = thread->err;
	record->last_error = thread->last_error;
	sb_error_load(record);
	sb_call(record);
	sb_error_store(record);
	thread->err = record->err;
	thread->last_error = record->last_error;
}

void sb_run_batch(void *frame)
{
	unsigned char *f = frame;
	unsigned char *queue = f + SB_OFF_QUEUE;
	uint32_t at = word(f + SB_OFF_BATCH_FROM);
	uint32_t ran = 0;

	/* TO is read before each record: a callback that threw has cut it;
	 * a record is inside the queue, whatever TO says */
	while (at < word(f + SB_OFF_BATCH_TO)) {
		unsigned char *record = queue + at;
		uint32_t head = word(record + SB_OFF_RECORD);
		uint32_t len = head & ~(uint32_t)SB_RECORD_KIND_MASK;

		if (len < SB_OFF_VEC || len > SB_QUEUE_SIZE - at)
			break;
		switch (head & SB_RECORD_KIND_MASK) {
		case SB_RECORD_GPR:
			sb_call_gpr(record);
			break;
		case SB_RECORD_ERRNO:
			if (len < SB_FRAME_SIZE)
				goto done;
			run_errno((struct sb_frame *)record, frame);
			break;
		default:
			if (len < SB_OFF_STACK || ((struct sb_frame *)record)->nstack > (len - SB_OFF_STACK) / SB_WORD)
				goto done;
			sb_call(record);
		}
		at += len;
		ran++;
	}
done:
	memcpy(f + SB_OFF_BATCH_FROM, &ran, sizeof ran);
}
