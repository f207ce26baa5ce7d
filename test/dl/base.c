/* For test/dlopen.test.js: a function libneeds_base calls without being
 * linked to this library, found only once this one is open { global: true }. */
int dl_base_value(void)
{
	return 1234;
}
