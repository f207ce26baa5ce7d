/* The library the demo and the README call: plain C, built as libadder.so. */
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT uint32_t add(uint32_t a, uint32_t b)
{
	return a + b;
}

EXPORT double scale(double x, float by, int64_t offset)
{
	return x * by + (double)offset;
}
