/* Prototypes of libbench.so, shared by the two hand-written addons. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>

typedef struct { float x, y; } Vec2;
typedef struct { uint8_t r, g, b, a; } Color;

uint32_t add_u32(uint32_t a, uint32_t b);
double add_f64(double a, double b);
void noop(void);
/* the batch rows: a call with no result, whose effect stays in C */
void sink(uint32_t a, uint32_t b);
double sum6_f64(double a, double b, double c, double d, double e, double f);
int64_t sum8_i64(int64_t a, int64_t b, int64_t c, int64_t d,
                 int64_t e, int64_t f, int64_t g, int64_t h);
int call_int_cb(int (*cb)(int), int x);
Vec2 vadd(Vec2 a, Vec2 b);
Color cmix(Color a, Color b);
#endif
