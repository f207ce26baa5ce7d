/* The Check suites of libsbffi_core, gathered by check_main.c, and the
 * frame helpers the dispatch and conformance suites share. */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>
#include <stdint.h>

#include "sbffi.h"

Suite *registry_suite(void);
Suite *dispatch_suite(void);
Suite *conformance_suite(void);

/* Write one argument into the frame the way the JS layer does: narrow
 * integers (bool included) as 32-bit values extended by their kind's
 * signedness, float as its 4 bytes; the rest of the slot keeps whatever
 * it held. `bits` is the value as a 64-bit pattern. */
void ck_put(struct sb_frame *f, const struct sb_place *p, uint64_t bits);

/* The return value's bits from the frame, only the kind's width. */
uint64_t ck_get(const struct sb_frame *f, const struct sb_place *p);

#endif
