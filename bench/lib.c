/* libbench: the C functions every implementation in run.js calls.
 * strlen is libc's. Built as build/libbench.so. */
#include <stdint.h>
#include "bench.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT uint32_t add_u32(uint32_t a, uint32_t b) { return a + b; }

EXPORT double add_f64(double a, double b) { return a + b; }

EXPORT void noop(void) {}

/* the batch rows: no result, so a batch's call costs what it records */
static uint32_t sunk;
EXPORT void sink(uint32_t a, uint32_t b) { sunk += a ^ b; }

/* one C -> JS callback round trip: the callback row */
EXPORT int call_int_cb(int (*cb)(int), int x) { return cb(x); }

/* six doubles: all in XMM registers on SysV x86-64 */
EXPORT double sum6_f64(double a, double b, double c, double d, double e,
                       double f)
{
	return a + b + c + d + e + f;
}

/* eight int64s: the last two go on the stack on SysV x86-64 */
EXPORT int64_t sum8_i64(int64_t a, int64_t b, int64_t c, int64_t d,
                        int64_t e, int64_t f, int64_t g, int64_t h)
{
	return a + b + c + d + e + f + g + h;
}

/* structs by value: two floats (one SSE register on SysV x86-64, each way) */
EXPORT Vec2 vadd(Vec2 a, Vec2 b)
{
	Vec2 r = { a.x + b.x, a.y + b.y };
	return r;
}

/* a 4-byte struct (one integer register): each channel averaged */
EXPORT Color cmix(Color a, Color b)
{
	Color r = { (uint8_t)((a.r + b.r) / 2), (uint8_t)((a.g + b.g) / 2),
		    (uint8_t)((a.b + b.b) / 2), (uint8_t)((a.a + b.a) / 2) };
	return r;
}
