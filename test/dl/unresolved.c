/* For test/dlopen.test.js: one function calls a symbol that no library
 * defines, so the library opens only { lazy: true }, and only that
 * function fails, when it is called. */
int dl_nowhere(int x);

int dl_resolved(int x)
{
	return x * 2;
}

int dl_unresolved(int x)
{
	return dl_nowhere(x);
}
