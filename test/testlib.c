/*
 * libsbffi_test: the C side of the node:test suites (the test/ *.test.js files).
 * Plain C; every export is marked visible (the build uses -fvisibility=hidden).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

/* --- identity functions, one per type (types.test.js) --- */
#define ECHO(name, type) \
	EXPORT type echo_##name(type x) { return x; }

ECHO(i8, int8_t)
ECHO(u8, uint8_t)
ECHO(i16, int16_t)
ECHO(u16, uint16_t)
ECHO(i32, int32_t)
ECHO(u32, uint32_t)
ECHO(i64, int64_t)
ECHO(u64, uint64_t)
ECHO(char, char)
ECHO(schar, signed char)
ECHO(uchar, unsigned char)
ECHO(short, short)
ECHO(ushort, unsigned short)
ECHO(int, int)
ECHO(uint, unsigned int)
ECHO(long, long)
ECHO(ulong, unsigned long)
ECHO(llong, long long)
ECHO(ullong, unsigned long long)
ECHO(bool, bool)
ECHO(size, size_t)
ECHO(ssize, ssize_t)
ECHO(intptr, intptr_t)
ECHO(uintptr, uintptr_t)
ECHO(float, float)
ECHO(double, double)
ECHO(ptr, void *)

/* Narrow arguments as the callee sees them, widened by C conversion rules. */
EXPORT int take_i8(int8_t x) { return x; }
EXPORT unsigned take_u8(uint8_t x) { return x; }
EXPORT int take_i16(int16_t x) { return x; }
EXPORT unsigned take_u16(uint16_t x) { return x; }
EXPORT int64_t widen_i8(int8_t x) { return x; }
EXPORT uint64_t widen_u8(uint8_t x) { return x; }
EXPORT int64_t widen_i16(int16_t x) { return x; }
EXPORT uint64_t widen_u16(uint16_t x) { return x; }
EXPORT int64_t widen_i32(int32_t x) { return x; }
EXPORT uint64_t widen_u32(uint32_t x) { return x; }
EXPORT int take_bool(bool b) { return b ? 1 : 0; }

/*
 * The low 32 bits of the first argument register. The JS side declares it
 * with a narrow parameter type (int8_t, uint16_t, bool...): clang-compiled
 * callees rely on the caller having extended narrow values to 32 bits.
 */
EXPORT uint32_t raw_reg32(uint32_t x) { return x; }
/* The same for the 7th integer argument: the first stack slot. */
EXPORT uint32_t raw_stack32(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			    uint64_t e, uint64_t f, uint32_t x)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)f;
	return x;
}

/* Narrow return values: -1 as int8_t, 65535 as uint16_t etc. */
EXPORT int8_t ret_i8_minus1(void) { return -1; }
EXPORT uint8_t ret_u8_max(void) { return 255; }
EXPORT int16_t ret_i16_minus1(void) { return -1; }
EXPORT uint16_t ret_u16_max(void) { return 65535; }
EXPORT bool ret_true(void) { return true; }
EXPORT void do_nothing(void) { }

/*
 * Stack arguments: 10 integers of mixed widths (four on the stack), then
 * 12 doubles (four on the stack), then both interleaved with floats.
 * Each returns 0 when every argument is the expected one, else the 1-based
 * index of the first wrong one.
 */
EXPORT int check_ints10(int8_t a1, uint8_t a2, int16_t a3, uint16_t a4,
			int32_t a5, uint32_t a6, int64_t a7, uint64_t a8,
			int8_t a9, int16_t a10)
{
	if (a1 != -1) return 1;
	if (a2 != 200) return 2;
	if (a3 != -300) return 3;
	if (a4 != 60000) return 4;
	if (a5 != -100000) return 5;
	if (a6 != 4000000000u) return 6;
	if (a7 != INT64_MIN + 7) return 7;
	if (a8 != UINT64_MAX - 8) return 8;
	if (a9 != -9) return 9;
	if (a10 != -10000) return 10;
	return 0;
}

EXPORT int check_doubles12(double d1, double d2, double d3, double d4,
			   double d5, double d6, double d7, double d8,
			   double d9, double d10, double d11, double d12)
{
	double d[] = { d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12 };
	for (int i = 0; i < 12; i++)
		if (d[i] != i + 1.5)
			return i + 1;
	return 0;
}

/* i_k == k * 11 (some negative), d_k == k + 0.25, f_k == k + 0.5f */
EXPORT int check_mixed(int i1, double d1, int64_t i2, float f1, double d2,
		       int8_t i3, double d3, uint16_t i4, float f2, double d4,
		       int32_t i5, double d5, uint64_t i6, double d6, int i7,
		       float f3, double d7, int16_t i8, double d8, int64_t i9,
		       double d9, float f4, uint32_t i10, double d10)
{
	if (i1 != 11) return 1;
	if (d1 != 1.25) return 2;
	if (i2 != -22) return 3;
	if (f1 != 1.5f) return 4;
	if (d2 != 2.25) return 5;
	if (i3 != -33) return 6;
	if (d3 != 3.25) return 7;
	if (i4 != 44) return 8;
	if (f2 != 2.5f) return 9;
	if (d4 != 4.25) return 10;
	if (i5 != -55) return 11;
	if (d5 != 5.25) return 12;
	if (i6 != 66) return 13;
	if (d6 != 6.25) return 14;
	if (i7 != -77) return 15;
	if (f3 != 3.5f) return 16;
	if (d7 != 7.25) return 17;
	if (i8 != -88) return 18;
	if (d8 != 8.25) return 19;
	if (i9 != -99) return 20;
	if (d9 != 9.25) return 21;
	if (f4 != 4.5f) return 22;
	if (i10 != 110) return 23;
	if (d10 != 10.25) return 24;
	return 0;
}

/* 64 arguments (the most a signature may have): weighted sums. */
#define P8(t, p) t p##0, t p##1, t p##2, t p##3, t p##4, t p##5, t p##6, t p##7
#define S8(p, k) (p##0 * (k + 1) + p##1 * (k + 2) + p##2 * (k + 3) + \
	p##3 * (k + 4) + p##4 * (k + 5) + p##5 * (k + 6) + p##6 * (k + 7) + \
	p##7 * (k + 8))

EXPORT int64_t wsum64_i64(P8(int64_t, a), P8(int64_t, b), P8(int64_t, c),
			  P8(int64_t, d), P8(int64_t, e), P8(int64_t, f),
			  P8(int64_t, g), P8(int64_t, h))
{
	return S8(a, 0) + S8(b, 8) + S8(c, 16) + S8(d, 24) + S8(e, 32) +
	       S8(f, 40) + S8(g, 48) + S8(h, 56);
}

EXPORT double wsum64_f64(P8(double, a), P8(double, b), P8(double, c),
			 P8(double, d), P8(double, e), P8(double, f),
			 P8(double, g), P8(double, h))
{
	return S8(a, 0) + S8(b, 8) + S8(c, 16) + S8(d, 24) + S8(e, 32) +
	       S8(f, 40) + S8(g, 48) + S8(h, 56);
}

EXPORT double scale_mixed(double x, float by, int64_t offset)
{
	return x * by + (double)offset;
}

EXPORT int add(int a, int b) { return a + b; }
EXPORT double dadd(double a, double b) { return a + b; }
EXPORT int deref(const int *p) { return p ? *p : -1; }

/* --- strings (strings.test.js) --- */
EXPORT size_t str_len(const char *s) { return s ? strlen(s) : (size_t)-1; }

/* 32-bit FNV-1a of the bytes, the same as fnv1a() in the tests */
EXPORT uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

/* Copies s (with its NUL, truncated to cap) into out; returns strlen(s). */
EXPORT size_t str_copy(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);
	if (cap) {
		size_t m = n < cap - 1 ? n : cap - 1;
		memcpy(out, s, m);
		out[m] = 0;
	}
	return n;
}

EXPORT size_t six_lens(const char *a, const char *b, const char *c,
		       const char *d, const char *e, const char *f)
{
	return strlen(a) + strlen(b) + strlen(c) + strlen(d) + strlen(e) + strlen(f);
}

/* hash of the six hashes: each string's content checked */
EXPORT uint32_t six_hash(const char *a, const char *b, const char *c,
			 const char *d, const char *e, const char *f)
{
	const char *s[] = { a, b, c, d, e, f };
	uint32_t h = 0;
	for (int i = 0; i < 6; i++)
		h = h * 31u + str_hash(s[i]);
	return h;
}

/* strings between ints and doubles: a stack-passed string too */
EXPORT int64_t str_mixed(int a, const char *s1, double d, const char *s2,
			 int64_t b, int64_t c, int64_t e, const char *s3)
{
	return a + (int64_t)d + (int64_t)strlen(s1) * 1000 +
	       (int64_t)strlen(s2) * 1000000 + b + c + e +
	       (int64_t)strlen(s3) * 1000000000;
}

EXPORT const char *str_echo(const char *s) { return s; }

static const char *const strings[] = { NULL, "", "hello", "h\xc3\xa9llo", "\xe4\xb8\xad\xe6\x96\x87" };

/* 0: NULL, 1: "", 2: "hello", 3: "héllo", 4: "中文" */
EXPORT const char *str_get(int which)
{
	return which >= 0 && which < 5 ? strings[which] : NULL;
}

static char mutable_str[32] = "mutable";

/* a char * (not const): stays a pointer */
EXPORT char *str_mutable(void) { return mutable_str; }

/* uppercases s in place (a char * argument written by C) */
EXPORT void str_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 32;
}

/* --- pointers and memory (pointers.test.js) --- */
EXPORT void fill(uint8_t *p, size_t n, uint8_t v) { memset(p, v, n); }
EXPORT uintptr_t ptr_addr(const void *p) { return (uintptr_t)p; }
EXPORT int is_null(const void *p) { return p == NULL; }
EXPORT void *ptr_offset(void *p, ptrdiff_t by) { return (char *)p + by; }
EXPORT uint8_t read_u8(const uint8_t *p, size_t i) { return p[i]; }

EXPORT int32_t sum_i32(const int32_t *p, size_t n)
{
	int32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s;
}

EXPORT void iota_i32(int32_t *p, size_t n, int32_t start)
{
	for (size_t i = 0; i < n; i++)
		p[i] = start + (int32_t)i;
}

EXPORT void scale_f64(double *p, size_t n, double k)
{
	for (size_t i = 0; i < n; i++)
		p[i] *= k;
}

/* two out-parameters */
EXPORT void divmod(int a, int b, int *q, int *r)
{
	*q = a / b;
	*r = a % b;
}

/* frexp without libm: x = m * 2^e, 0.5 <= |m| < 1 (finite, normal x) */
EXPORT double split_double(double x, int *e)
{
	int n = 0;
	if (x != 0) {
		while (x >= 1 || x <= -1) { x /= 2; n++; }
		while (x < 0.5 && x > -0.5) { x *= 2; n--; }
	}
	*e = n;
	return x;
}

static uint8_t static_buf[64];

EXPORT uint8_t *static_buffer(void) { return static_buf; }
EXPORT size_t static_buffer_size(void) { return sizeof static_buf; }
EXPORT uint8_t static_get(size_t i) { return static_buf[i]; }
EXPORT void static_set(size_t i, uint8_t v) { static_buf[i] = v; }

EXPORT uint32_t static_sum(void)
{
	uint32_t s = 0;
	for (size_t i = 0; i < sizeof static_buf; i++)
		s += static_buf[i];
	return s;
}

/* --- threads (workers.test.js) --- */
EXPORT int64_t mix(int64_t a, int32_t b, double c) { return a * 3 + b - (int64_t)c; }

/* sleeps, then returns its argument: a frame shared between threads would mix them up */
EXPORT int64_t slow_echo(int64_t x, unsigned usec)
{
	usleep(usec);
	return x;
}

EXPORT size_t slow_strlen(const char *s, unsigned usec)
{
	size_t n = strlen(s);
	usleep(usec);
	return strlen(s) == n ? n : (size_t)-1; /* s read again after the sleep */
}

/* --- callbacks (callback.test.js) --- */
#ifdef _WIN32
#include <windows.h>
typedef HANDLE cb_thread;
#define THREAD_FN DWORD WINAPI
typedef LPTHREAD_START_ROUTINE cb_thread_fn;
static int thread_start(cb_thread *t, cb_thread_fn fn, void *arg)
{
	*t = CreateThread(NULL, 0, fn, arg, 0, NULL);
	return *t ? 0 : -1;
}
static void thread_join(cb_thread t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}
#else
#include <pthread.h>
typedef pthread_t cb_thread;
#define THREAD_FN void *
typedef void *(*cb_thread_fn)(void *);
static int thread_start(cb_thread *t, cb_thread_fn fn, void *arg)
{
	return pthread_create(t, NULL, fn, arg);
}
static void thread_join(cb_thread t)
{
	pthread_join(t, NULL);
}
#endif

EXPORT int cb_call_ii(int (*f)(int, int), int a, int b) { return f(a, b); }
EXPORT double cb_call_dd(double (*f)(double, float), double a, float b) { return f(a, b); }
EXPORT void cb_call_v(void (*f)(int), int a) { f(a); }

/* C -> JS -> C -> JS: f gets depth and a string it may pass down to the
 * next level; the string must be intact when f returns. */
EXPORT int cb_recurse(int (*f)(int, const char *), int depth, const char *s)
{
	char copy[64];
	int r;

	strncpy(copy, s, sizeof copy - 1);
	copy[sizeof copy - 1] = 0;
	r = f(depth, s);
	return strcmp(copy, s) == 0 ? r : -1000000;
}

/* 12 integers and 10 doubles, interleaved: more than any ABI's registers */
typedef int64_t (*many_fn)(int, double, int64_t, double, int, double, int, double,
			   int64_t, double, int, double, int, double, int, double,
			   int, double, int, double, int64_t, int);
EXPORT int64_t cb_many(many_fn f)
{
	return f(1, 0.5, -2, 1.5, 3, 2.5, -4, 3.5, 5000000000LL, 4.5, 6, 5.5, -7,
		 6.5, 8, 7.5, -9, 8.5, 10, 9.5, -11000000000LL, 12);
}

/* A thread calling f count times with mixed arguments, checking each
 * return: f(i, i / 4.0, i / 8.0f, i * 1000000007) must be
 * 2 * i + i / 4.0 - i / 8.0 + (i * 1000000007) % 1000. */
typedef double (*mixed_fn)(int, double, float, int64_t);
static struct {
	cb_thread t;
	mixed_fn f;
	int count;
	int bad;
	int done;
} mixed;

static THREAD_FN mixed_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < mixed.count; i++) {
		int64_t big = (int64_t)i * 1000000007;
		double want = 2.0 * i + i / 4.0 - (double)(i / 8.0f) + (double)(big % 1000);
		double got = mixed.f(i, i / 4.0, i / 8.0f, big);

		if (got != want)
			mixed.bad++;
	}
	__atomic_store_n(&mixed.done, 1, __ATOMIC_RELEASE);
	return 0;
}

EXPORT int cbt_mixed_start(mixed_fn f, int count)
{
	mixed.f = f;
	mixed.count = count;
	mixed.bad = 0;
	mixed.done = 0;
	return thread_start(&mixed.t, mixed_thread, NULL);
}

EXPORT int cbt_mixed_done(void) { return __atomic_load_n(&mixed.done, __ATOMIC_ACQUIRE); }

/* mismatched returns */
EXPORT int cbt_mixed_join(void)
{
	thread_join(mixed.t);
	return mixed.bad;
}

/* A thread calling f(i) until told to stop: counts calls, and zero returns. */
static struct {
	cb_thread t;
	int (*f)(int);
	int stop;
	int64_t calls, zeros;
} loop;

static THREAD_FN loop_thread(void *arg)
{
	(void)arg;
	for (int i = 1; !__atomic_load_n(&loop.stop, __ATOMIC_ACQUIRE); i++) {
		int r = loop.f(i);

		__atomic_add_fetch(&loop.calls, 1, __ATOMIC_RELAXED);
		if (r == 0)
			__atomic_add_fetch(&loop.zeros, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

EXPORT int cbt_loop_start(int (*f)(int))
{
	loop.f = f;
	loop.stop = 0;
	loop.calls = loop.zeros = 0;
	return thread_start(&loop.t, loop_thread, NULL);
}

EXPORT int64_t cbt_loop_calls(void) { return __atomic_load_n(&loop.calls, __ATOMIC_RELAXED); }
EXPORT int64_t cbt_loop_zeros(void) { return __atomic_load_n(&loop.zeros, __ATOMIC_RELAXED); }

EXPORT void cbt_loop_stop(void)
{
	__atomic_store_n(&loop.stop, 1, __ATOMIC_RELEASE);
	thread_join(loop.t);
}

/* A thread calling a void f(i, d) count times, not waiting (fire-and-forget). */
static struct {
	cb_thread t;
	void (*f)(int, double);
	int count;
} faf;

static THREAD_FN faf_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < faf.count; i++)
		faf.f(i, i * 0.5);
	return 0;
}

EXPORT int cbt_faf_start(void (*f)(int, double), int count)
{
	faf.f = f;
	faf.count = count;
	return thread_start(&faf.t, faf_thread, NULL);
}

EXPORT void cbt_faf_join(void) { thread_join(faf.t); }

/* --- structs, unions and arrays by value and by pointer (structs.test.js);
 * int64_t, not long: the same layout under LP64 and LLP64 --- */
typedef struct { float x, y; } Vec2;
typedef struct { Vec2 min, max; } Rect;
typedef struct { uint8_t r, g, b, a; } Color;
typedef struct { uint8_t tag; int32_t v[3]; double d; char name[16]; } Pkt;
typedef union { int64_t i; double d; } Num;
typedef union { float f; int32_t i; } FloatInt;
#pragma pack(push, 1)
typedef struct { char a; int32_t b; } Wire;
#pragma pack(pop)
typedef struct { double a, b, c; } Big;
typedef struct { int64_t i; double d; } IntDouble;
typedef struct { double d; int32_t i; } DoubleInt;
typedef struct { int64_t x, y; } Pair;
typedef struct { char c; } One;
typedef struct { char s[3]; } Three;
typedef struct { int64_t lo, hi; } __attribute__((aligned(16))) A16;
typedef struct { float m[2][2]; } Mat2;
typedef struct { float x, y, z; } Vec3;

EXPORT Vec2 vadd(Vec2 a, Vec2 b) { Vec2 r = { a.x + b.x, a.y + b.y }; return r; }
EXPORT Color cmix(Color a, Color b)
{
	Color r = { (uint8_t)((a.r + b.r) / 2), (uint8_t)((a.g + b.g) / 2),
		    (uint8_t)((a.b + b.b) / 2), (uint8_t)((a.a + b.a) / 2) };
	return r;
}
EXPORT void get_bounds(Rect *out)
{
	out->min.x = 1; out->min.y = 2; out->max.x = 4; out->max.y = 8;
}
EXPORT float area(const Rect *r) { return (r->max.x - r->min.x) * (r->max.y - r->min.y); }
EXPORT float rect_area(Rect r) { return area(&r); }
EXPORT Rect rect_of(Vec2 a, Vec2 b) { Rect r = { a, b }; return r; }
EXPORT Pkt pkt_make(uint8_t tag, int32_t v0, double d, const char *name)
{
	Pkt p;

	memset(&p, 0, sizeof p);
	p.tag = tag;
	p.v[0] = v0; p.v[1] = v0 + 1; p.v[2] = v0 + 2;
	p.d = d;
	strncpy(p.name, name, sizeof p.name - 1);
	return p;
}
/* every field, so a wrong one shows */
EXPORT double pkt_sum(Pkt p)
{
	return p.tag + p.v[0] * 10.0 + p.v[1] * 100.0 + p.v[2] * 1000.0 + p.d +
	       (p.name[15] == 0 ? (double)strlen(p.name) * 1e6 : -1);
}
EXPORT size_t pkt_name_len(const Pkt *p) { return strlen(p->name); }
EXPORT double num_as_double(Num n) { return n.d; }
EXPORT int64_t num_as_int(Num n) { return n.i; }
EXPORT Num num_from_double(double d) { Num n; n.d = d; return n; }
EXPORT int32_t floatint_bits(FloatInt u) { return u.i; }
EXPORT FloatInt floatint_of(float f) { FloatInt u; u.f = f; return u; }
EXPORT int32_t wire_b(Wire w) { return w.a * 1000 + w.b; }
EXPORT Wire wire_make(char a, int32_t b) { Wire w = { a, b }; return w; }
EXPORT double big_sum(Big b, int32_t k) { return b.a + b.b * 10 + b.c * 100 + k; }
EXPORT Big big_make(double a) { Big b = { a, a * 2, a * 3 }; return b; }
EXPORT double intdouble_sum(IntDouble s) { return (double)s.i + s.d; }
EXPORT IntDouble intdouble_make(int64_t i, double d) { IntDouble s = { i, d }; return s; }
EXPORT double doubleint_sum(DoubleInt s) { return s.d + s.i; }
EXPORT DoubleInt doubleint_make(double d, int32_t i) { DoubleInt s = { d, i }; return s; }
EXPORT int32_t one_value(One o) { return o.c; }
EXPORT One one_make(char c) { One o = { c }; return o; }
EXPORT int32_t three_sum(Three t) { return t.s[0] + t.s[1] * 10 + t.s[2] * 100; }
EXPORT Three three_make(char a, char b, char c) { Three t = { { a, b, c } }; return t; }
EXPORT int64_t a16_sum(int32_t pad, A16 s) { return pad + s.lo * 10 + s.hi * 100; }
/* a member aligned to 16: AAPCS64's natural alignment 16, an even x pair */
typedef struct { A16 in; } Outer16;
EXPORT int64_t outer16_sum(int32_t pad, Outer16 s) { return pad + s.in.lo * 10 + s.in.hi * 100; }
EXPORT float mat2_det(Mat2 m) { return m.m[0][0] * m.m[1][1] - m.m[0][1] * m.m[1][0]; }
EXPORT Vec3 vec3_scale(Vec3 v, float k) { Vec3 r = { v.x * k, v.y * k, v.z * k }; return r; }
/* five integers, then a struct that needs two of the one register left:
 * it goes wholly to the stack, and f still takes the last register */
EXPORT int64_t split_pair(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
			  Pair s, int64_t f)
{
	return a + b * 2 + c * 3 + d * 4 + e * 5 + s.x * 6 + s.y * 7 + f * 8;
}
/* more Vec2 than vector registers */
EXPORT double many_vec2(Vec2 a, Vec2 b, Vec2 c, Vec2 d, Vec2 e, Vec2 f, Vec2 g,
			Vec2 h, Vec2 i, Vec2 j)
{
	Vec2 v[10] = { a, b, c, d, e, f, g, h, i, j };
	double s = 0;

	for (int k = 0; k < 10; k++)
		s += (k + 1) * v[k].x + (k + 1) * 100 * v[k].y;
	return s;
}

/* callbacks taking and returning structs by value, and a struct pointer */
EXPORT Vec2 call_vec2_cb(Vec2 (*f)(Vec2, Rect), Vec2 v, Rect r) { return f(v, r); }
EXPORT double call_big_cb(Big (*f)(Big, int32_t), double a)
{
	Big b = { a, a * 2, a * 3 };
	Big r = f(b, 7);

	return r.a + r.b * 10 + r.c * 100;
}
EXPORT uint32_t call_color_cb(Color (*f)(Color, Color), Color a, Color b)
{
	Color c = f(a, b);

	return (uint32_t)c.r | (uint32_t)c.g << 8 | (uint32_t)c.b << 16 | (uint32_t)c.a << 24;
}
EXPORT float call_rectp_cb(void (*f)(Rect *))
{
	Rect r = { { 0, 0 }, { 0, 0 } };

	f(&r);
	return area(&r);
}
EXPORT double call_pkt_cb(Pkt (*f)(Pkt), uint8_t tag)
{
	Pkt p = pkt_make(tag, 5, 0.5, "cb");

	return pkt_sum(f(p));
}
EXPORT int64_t call_split_cb(int64_t (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, Pair, int64_t))
{
	Pair s = { 6, 7 };

	return f(1, 2, 3, 4, 5, s, 8);
}

/* --- sbffi 1.x callback lifetimes (compat.test.js): a thread that calls
 * f(v), f(v + 1) ... count times after sleeping usec, when the call that
 * started it has long returned; what each call returned is kept --- */
static struct {
	cb_thread t;
	int (*f)(int);
	int v, count;
	unsigned usec;
	int results[4];
	int done;
} later;

static THREAD_FN later_thread(void *arg)
{
	(void)arg;
	usleep(later.usec);
	for (int i = 0; i < later.count; i++)
		later.results[i] = later.f(later.v + i);
	__atomic_store_n(&later.done, 1, __ATOMIC_RELEASE);
	return 0;
}

EXPORT int cbt_later_start(int (*f)(int), int v, int count, unsigned usec)
{
	if (count < 0 || count > 4)
		return -1;
	later.f = f;
	later.v = v;
	later.count = count;
	later.usec = usec;
	later.done = 0;
	return thread_start(&later.t, later_thread, NULL);
}

EXPORT int cbt_later_done(void) { return __atomic_load_n(&later.done, __ATOMIC_ACQUIRE); }
EXPORT int cbt_later_result(int i) { return later.results[i]; }
EXPORT void cbt_later_join(void) { thread_join(later.t); }

/* f called twice during the call, as 1.x's test_add_async_twice did */
EXPORT int cbt_twice(int (*f)(int), int v) { return f(v) + f(v + 1); }

/* --- variadic calls, errno, async calls (variadic.test.js, errno.test.js,
 * async.test.js) --- */
#include <errno.h>
#include <stdarg.h>

/* Walks its anonymous arguments with va_arg, one per letter of types,
 * each read as the type the default argument promotions make of it, and
 * records integer-like ones in ints[k], floating ones in reals[k]:
 *   b bool  c signed char  C unsigned char  h short  H unsigned short
 *   (all read as int), i int, I unsigned, l long, L unsigned long,
 *   q long long, Q unsigned long long, z size_t, p void *, d double,
 *   f float (read as double), s const char * (ints: strlen * 256 + its
 *   first byte), V Vec2 (reals: x * 1000 + y), B Big (reals: a + b * 10 +
 *   c * 100), P Pair (ints: x * 1000 + y). Returns the letters walked. */
EXPORT int va_record(int64_t *ints, double *reals, const char *types, ...)
{
	va_list ap;
	int k;

	va_start(ap, types);
	for (k = 0; types[k]; k++) {
		switch (types[k]) {
		case 'b': case 'c': case 'C': case 'h': case 'H': case 'i':
			ints[k] = va_arg(ap, int); break;
		case 'I': ints[k] = va_arg(ap, unsigned); break;
		case 'l': ints[k] = va_arg(ap, long); break;
		case 'L': ints[k] = (int64_t)va_arg(ap, unsigned long); break;
		case 'q': ints[k] = va_arg(ap, long long); break;
		case 'Q': ints[k] = (int64_t)va_arg(ap, unsigned long long); break;
		case 'z': ints[k] = (int64_t)va_arg(ap, size_t); break;
		case 'p': ints[k] = (int64_t)(intptr_t)va_arg(ap, void *); break;
		case 'd': case 'f': reals[k] = va_arg(ap, double); break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			ints[k] = (int64_t)strlen(s) * 256 + (unsigned char)s[0];
			break;
		}
		case 'V': {
			Vec2 v = va_arg(ap, Vec2);

			reals[k] = v.x * 1000.0 + v.y;
			break;
		}
		case 'B': {
			Big b = va_arg(ap, Big);

			reals[k] = b.a + b.b * 10 + b.c * 100;
			break;
		}
		case 'P': {
			Pair p = va_arg(ap, Pair);

			ints[k] = p.x * 1000 + p.y;
			break;
		}
		default:
			va_end(ap);
			return -1;
		}
	}
	va_end(ap);
	return k;
}

/* fails as C library functions do: -1, and errno set */
EXPORT int fail_with_errno(int e)
{
	errno = e;
	return -1;
}

EXPORT int read_errno(void) { return errno; }

/* Counts its caller in and waits (polling, up to timeout_ms) until n
 * callers are in: 1 when they all were at once, 0 after the timeout. */
EXPORT int rendezvous(int32_t *count, int n, unsigned timeout_ms)
{
	__atomic_add_fetch(count, 1, __ATOMIC_SEQ_CST);
	for (unsigned waited = 0; waited < timeout_ms; waited++) {
		if (__atomic_load_n(count, __ATOMIC_SEQ_CST) >= n)
			return 1;
		usleep(1000);
	}
	return __atomic_load_n(count, __ATOMIC_SEQ_CST) >= n;
}

/* Calls f(x) on a thread of its own and waits for it: from a synchronous
 * call this deadlocks (JS cannot run f while it waits here); from
 * .async it returns f's result. */
static struct { int (*f)(int); int x, r; } waited;
static THREAD_FN waited_thread(void *arg)
{
	(void)arg;
	waited.r = waited.f(waited.x);
	return 0;
}

EXPORT int call_on_thread_and_wait(int (*f)(int), int x)
{
	cb_thread t;

	waited.f = f;
	waited.x = x;
	if (thread_start(&t, waited_thread, NULL))
		return -1;
	thread_join(t);
	return waited.r;
}

/* --- soak (test/soak/): groups of C threads calling back, each group
 * on the heap so that several (one per worker) run at once ---
 * Thread t of a group calls f(t, i) for i = 0, 1, ... and checks each
 * return against soak_want(t, i), never zero, counting returns that are
 * right, zero (a closed callback, an environment gone) and neither.
 * calls > 0: each thread stops after that many calls; calls == 0: they
 * run until soak_stop(). soak_new makes a group without starting it, so
 * that another JS thread can own it and join it whenever the one that
 * starts it (a worker) is gone; its threads are numbered from first, so
 * that a callback can tell whose calls it gets (t < 2147). */
#include <stdlib.h>

#define SOAK_MAX_THREADS 64
#define soak_want(t, i) ((t) * 1000000 + (int)((i) % 999999) + 1)

struct soak;
struct soak_thread {
	struct soak *g;
	int id;
	cb_thread t;
};

struct soak {
	int (*f)(int, int);
	int first, threads, calls;
	int started;		/* threads running, to join */
	int stop;
	int finished;		/* threads that have returned */
	int64_t ok, zeros, bad;
	struct soak_thread th[SOAK_MAX_THREADS];
};

static THREAD_FN soak_thread(void *arg)
{
	struct soak_thread *st = arg;
	struct soak *g = st->g;
	int64_t ok = 0, zeros = 0, bad = 0;

	for (int64_t i = 0; g->calls == 0 || i < g->calls; i++) {
		int r;

		if (__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE))
			break;
		r = g->f(st->id, (int)(i % 999999));
		if (r == soak_want(st->id, i))
			ok++;
		else if (r == 0) {
			zeros++;
			usleep(10);	/* a closed callback answers at once: spin less */
		} else {
			bad++;
		}
		if ((i & 255) == 255) {	/* visible while running */
			__atomic_add_fetch(&g->ok, ok, __ATOMIC_RELAXED);
			__atomic_add_fetch(&g->zeros, zeros, __ATOMIC_RELAXED);
			__atomic_add_fetch(&g->bad, bad, __ATOMIC_RELAXED);
			ok = zeros = bad = 0;
		}
	}
	__atomic_add_fetch(&g->ok, ok, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->zeros, zeros, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->bad, bad, __ATOMIC_RELAXED);
	__atomic_add_fetch(&g->finished, 1, __ATOMIC_RELEASE);
	return 0;
}

EXPORT struct soak *soak_new(int first, int threads, int calls)
{
	struct soak *g;

	if (first < 0 || threads < 1 || threads > SOAK_MAX_THREADS ||
	    first + threads > 2147 || calls < 0)
		return NULL;
	if (!(g = calloc(1, sizeof *g)))
		return NULL;
	g->first = first;
	g->threads = threads;
	g->calls = calls;
	return g;
}

/* starts the group's threads calling f: 0, or -1 (started twice, or a
 * thread could not be made: those made run) */
EXPORT int soak_run(struct soak *g, int (*f)(int, int))
{
	if (g->f)
		return -1;
	g->f = f;
	for (int t = 0; t < g->threads; t++) {
		g->th[t].g = g;
		g->th[t].id = g->first + t;
		if (thread_start(&g->th[t].t, soak_thread, &g->th[t]))
			return -1;
		g->started++;
	}
	return 0;
}

EXPORT struct soak *soak_start(int threads, int calls, int (*f)(int, int))
{
	struct soak *g = soak_new(0, threads, calls);

	if (g && soak_run(g, f)) {
		__atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE);
		for (int t = 0; t < g->started; t++)
			thread_join(g->th[t].t);
		free(g);
		return NULL;
	}
	return g;
}

/* which: 0 right returns, 1 zeros, 2 wrong ones, 3 threads finished,
 * 4 threads started */
EXPORT int64_t soak_count(struct soak *g, int which)
{
	switch (which) {
	case 0: return __atomic_load_n(&g->ok, __ATOMIC_RELAXED);
	case 1: return __atomic_load_n(&g->zeros, __ATOMIC_RELAXED);
	case 2: return __atomic_load_n(&g->bad, __ATOMIC_RELAXED);
	case 3: return __atomic_load_n(&g->finished, __ATOMIC_ACQUIRE);
	case 4: return g->started;
	}
	return -1;
}

/* the threads stop after the call each is in */
EXPORT void soak_stop(struct soak *g) { __atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE); }

/* waits for the threads (a blocking call: from a thread whose callbacks
 * they are not waiting on); returns the returns that were not right */
EXPORT int64_t soak_join(struct soak *g)
{
	for (int t = 0; t < g->started; t++)
		thread_join(g->th[t].t);
	g->started = 0;
	return soak_count(g, 1) + soak_count(g, 2);
}

EXPORT void soak_free(struct soak *g)
{
	soak_stop(g);
	soak_join(g);
	free(g);
}

/* ffi.batch's tests (test/batch.test.js): each call appends what it was
 * given to one log, so a test reads back which calls ran, in what order,
 * with which arguments. */
static int64_t call_log[16384];
static int call_log_n;

static void log_put(int64_t tag, int64_t v)
{
	if (call_log_n + 2 <= (int)(sizeof call_log / sizeof call_log[0])) {
		call_log[call_log_n++] = tag;
		call_log[call_log_n++] = v;
	}
}

EXPORT void log_clear(void) { call_log_n = 0; }
EXPORT int log_length(void) { return call_log_n; }
EXPORT int64_t log_at(int i) { return i >= 0 && i < call_log_n ? call_log[i] : -1; }
EXPORT void log_i(int32_t tag, int32_t v) { log_put(tag, v); }
EXPORT void log_d(int32_t tag, double d) { log_put(tag, (int64_t)(d * 1000)); }
EXPORT void log_s(int32_t tag, const char *s) { log_put(tag, (int64_t)str_hash(s)); }
/* eight 64-bit values after the tag: some on the stack under every ABI */
EXPORT void log_stack(int32_t tag, int64_t a, int64_t b, int64_t c, int64_t d,
		      int64_t e, int64_t f, int64_t g, int64_t h)
{
	log_put(tag, a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h);
}
EXPORT void log_vec2(int32_t tag, Vec2 v) { log_put(tag, (int64_t)(v.x * 1000 + v.y)); }
EXPORT void log_cb(int32_t tag, int (*f)(int), int x) { log_put(tag, f(x)); }
EXPORT void log_rect(int32_t tag, Rect *r)
{
	log_put(tag, (int64_t)r->min.x);
	r->max.x = r->min.x + 1;
	r->max.y = (float)tag;
}
