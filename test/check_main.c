/* The Check runner of libsbffi_core: every suite in one SRunner. Fork mode
 * comes from the CK_FORK environment variable (CK_FORK=no under valgrind
 * and qemu-user). */
#include <stdlib.h>

#include "check_suites.h"

int main(void)
{
	SRunner *sr = srunner_create(registry_suite());
	int failed;

	srunner_add_suite(sr, dispatch_suite());
	srunner_add_suite(sr, conformance_suite());
	srunner_add_suite(sr, struct_conformance_suite());
	srunner_add_suite(sr, win64_suite());
	srunner_add_suite(sr, aapcs64_suite());
	srunner_add_suite(sr, struct_suite());
	srunner_add_suite(sr, callback_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
