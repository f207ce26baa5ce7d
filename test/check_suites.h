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
Suite *struct_conformance_suite(void);
Suite *win64_suite(void);
Suite *aapcs64_suite(void);
Suite *struct_suite(void);
Suite *callback_suite(void);

/* The convention of the C targets the dispatch suite calls: the host's,
 * or Win64 when the Makefile builds the core with the Win64 classifier
 * and dispatcher on Linux x86-64 (-DSB_TEST_ABI_WIN64), where the targets
 * are declared ms_abi. */
#ifdef SB_TEST_ABI_WIN64
#define SB_TEST_CALL __attribute__((ms_abi))
#define SB_TEST_WIN64 1
#else
#define SB_TEST_CALL
#define SB_TEST_WIN64 0
#endif

/* Write one argument into the frame the way the JS layer does: narrow
 * integers (bool included) as 32-bit values extended by their kind's
 * signedness, float as its 4 bytes; the rest of the slot keeps whatever
 * it held. `bits` is the value as a 64-bit pattern. */
void ck_put(struct sb_frame *f, const struct sb_place *p, uint64_t bits);

/* The return value's bits from the frame, only the kind's width. */
uint64_t ck_get(const struct sb_frame *f, const struct sb_place *p);

#endif
