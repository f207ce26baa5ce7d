/* For test/dlopen.test.js: linked without libbase, so dl_base_value is for
 * the loader to find among the libraries whose symbols every library sees
 * (the program's, and those opened { global: true }). */
int dl_base_value(void);

int dl_needs_base(void)
{
	return dl_base_value() + 1;
}
