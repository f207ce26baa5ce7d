/* What the libFuzzer targets of test/fuzz share: a reader over the
 * fuzzer's bytes, and aggregates defined from them whose layouts are
 * checked under every ABI. A broken invariant is a trap, which libFuzzer
 * records as a crash with the input that caused it. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "sbffi.h"

#define MUST(c) do { if (!(c)) __builtin_trap(); } while (0)

struct bytes {
	const uint8_t *p;
	size_t n;
};

/* The next byte; 0 once the input is used up, so any input is whole. */
uint8_t take8(struct bytes *in);
/* A type id from one byte, as a signed char: the scalars, the first
 * aggregates, and ids that name nothing (negative ones too). */
int take_type(struct bytes *in);
/* Mostly one of the n values of table (a byte below 0xf0 picks one),
 * sometimes any value (0xf0 and up: the next four bytes, little-endian),
 * so the fuzzer spends its time on inputs the API takes, and still
 * tries every bound. */
uint32_t pick(struct bytes *in, const uint32_t *table, size_t n);

/* One aggregate from the input, defined in reg:
 *   flags (bit 0: a union), pick(pack), pick(align), pick(member count),
 *   then per member take_type and pick(element count).
 * A refusal must say why; a definition must keep the description and
 * lay out consistently under every ABI (check_layout). Returns the new
 * type id, or -1. */
int define_from(struct sb_registry *reg, struct bytes *in);

/* The layout invariants of aggregate type under every ABI: alignment a
 * power of two and at least each member's (capped by the pack) and the
 * aligned(n); every member at a multiple of its alignment, inside the
 * size, in order without overlap (a union's at 0); no more tail padding
 * than the alignment needs. */
void check_layout(const struct sb_registry *reg, int type);

#endif
