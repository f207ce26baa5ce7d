/* Aggregates by value (structs, unions, fixed arrays, #pragma pack,
 * aligned(n)) on every classifier, table-driven: each row is a C
 * declaration, the members of the aggregates it declares, and where the
 * ABI puts every piece of every value. The rows cite the System V psABI
 * (version 1.0, 3.2.3 "Parameter Passing": "Classification" rules 1-5,
 * "Passing" steps 1-3, "Returning of Values" steps 1-4), Microsoft's "x64
 * calling convention" ("Parameter passing", "Return values"), AAPCS64
 * (release 2025Q4, §6.8.2 stages B and C, §6.9 "Result return") and, for
 * Apple's arm64 variant, "Writing ARM64 code for Apple platforms" and
 * what clang's Darwin PCS does where that page is silent. Classifiers are
 * pure data, so this suite runs in every build, whatever the host.
 *
 * A row's declaration is C that compiles (each row's expectations were
 * checked against GCC for System V, Win64 and AAPCS64, and clang for
 * Apple): the aggregates in the order of their type ids A0, A1, ...,
 * then the prototype, named f. "T xN" stands for N parameters of type T;
 * a variadic row names its anonymous arguments' types in parentheses
 * after the prototype. */
#include "check_suites.h"
#include "check_table.h"

#define ROW_AGGS 4
#define AGG_MEMBERS 8
#define SROW_ARGS 20

/* The aggregates of a row get the type ids A0, A1, ... in order, in a
 * registry of their own. */
enum { A0 = SB_TYPE_COUNT, A1, A2, A3 };

/* One aggregate: its members end at the first with count 0. */
struct agg_def {
	uint8_t used;
	uint8_t is_union;
	uint8_t pack;
	uint16_t align;
	struct sb_member m[AGG_MEMBERS];
};

#define M(t) { (t), 1 }
#define MA(t, n) { (t), (n) }	/* a fixed array: t[n] */
#define AGG(u, pack, align, ...) { 1, (u), (pack), (align), { __VA_ARGS__ } }
#define ST(...) AGG(0, 0, 0, __VA_ARGS__)
#define UN(...) AGG(1, 0, 0, __VA_ARGS__)
#define PK(n, ...) AGG(0, (n), 0, __VA_ARGS__)	/* #pragma pack(n) */
#define AL(n, ...) AGG(0, 0, (n), __VA_ARGS__)	/* __attribute__((aligned(n))) */
#define EMPTY_ST AGG(0, 0, 0, { 0, 0 })

/* Expected placement of one piece: `size` bytes from byte `from` of the
 * C layout, its class, and its register or stack slot. */
struct xpart {
	uint32_t from;
	uint8_t size;
	uint8_t cls;
	struct at at;
};

/* Expected placement of one value: the pass mode, and its place (for
 * PARTS the place is the first part's, which the runner checks). The
 * parts end at the first of size 0. */
struct xplace {
	uint8_t pass;
	struct at at;
	struct xpart part[SB_MAX_PARTS];
};

#define NOVAL { SB_PASS_SCALAR, NONE, { { 0 } } }	/* void */
#define SCA(a) { SB_PASS_SCALAR, a, { { 0 } } }
#define STK(b) { SB_PASS_STACK, S(b), { { 0 } } }
#define REF(a) { SB_PASS_REF, a, { { 0 } } }
#define EMP { SB_PASS_EMPTY, NONE, { { 0 } } }
#define PARTS(...) { SB_PASS_PARTS, NONE, { __VA_ARGS__ } }
#define PINT(from, size, a) { (from), (size), SB_CLS_INTEGER, a }
#define PSSE(from, size, a) { (from), (size), SB_CLS_SSE, a }
#define PHFA(from, size, a) { (from), (size), SB_CLS_HFA, a }
#define PGPR(from, size, a) { (from), (size), SB_CLS_GPR, a }
/* return register n: rax, rdx / x0, x1; xmm0, xmm1 / v0-v3 */
#define RGn(n) { SB_IN_GPR, (n), SB_OFF_RET_GPR + (n) * SB_WORD, 0 }
#define RXn(n) { SB_IN_VEC, (n), SB_OFF_RET_VEC + (n) * SB_WORD, 0 }
/* the hidden result pointer's frame offset: none; rdi or rcx; x8 */
#define NOPTR (-1)
#define PTR_ARG0 SB_OFF_GPR
#define PTR_X8 (SB_OFF_GPR + 8 * SB_WORD)

struct srow {
	const char *abi;
	const char *decl;
	struct agg_def agg[ROW_AGGS];
	int ret;
	int nargs;
	int nfixed;		/* 0: not variadic; else the named arguments */
	int args[SROW_ARGS];
	struct xplace ret_at;
	struct xplace at[SROW_ARGS];
	int ret_ptr;
	unsigned nstack, nvec;
};

/* runs of arguments */
#define I4 I, I, I, I
#define L4 L, L, L, L
#define L5 L4, L
#define L6 L5, L
#define L7 L6, L
#define L8 L7, L
#define D4 D, D, D, D
#define D6 D4, D, D
#define D7 D6, D
#define D8 D7, D
#define F6 F, F, F, F, F, F
#define F8 F6, F, F
#define SG(n) SCA(G(n))
#define SX(n) SCA(X(n))
#define SG4 SG(0), SG(1), SG(2), SG(3)
#define SG5 SG4, SG(4)
#define SG6 SG5, SG(5)
#define SG7 SG6, SG(6)
#define SG8 SG7, SG(7)
#define SX4 SX(0), SX(1), SX(2), SX(3)
#define SX6 SX4, SX(4), SX(5)
#define SX7 SX6, SX(6)
#define SX8 SX7, SX(7)

/* ---- System V AMD64 ---- */
static const struct srow sysv_rows[] = {
	/* Classification 4a: two ints share one INTEGER eightbyte; Passing
	 * 2: rdi; Returning 3: rax */
	{ "sysv-x64", "struct ii { int a, b; }; struct ii f(struct ii)",
	  { ST(M(I), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0))), { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* Classification 3: two eightbytes classified apart, both SSE;
	 * Passing 3: xmm0, xmm1; Returning 4: xmm0, xmm1 */
	{ "sysv-x64", "struct dd { double a, b; }; struct dd f(struct dd)",
	  { ST(M(D), M(D)) }, A0, 1, 0, { A0 },
	  PARTS(PSSE(0, 8, RXn(0)), PSSE(8, 8, RXn(1))),
	  { PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))) }, NOPTR, 0, 2 },
	/* Classification 4a: two floats in one SSE eightbyte, one xmm */
	{ "sysv-x64", "struct ff { float a, b; }; struct ff f(struct ff, float)",
	  { ST(M(F), M(F)) }, A0, 2, 0, { A0, F },
	  PARTS(PSSE(0, 8, RXn(0))), { PARTS(PSSE(0, 8, X(0))), SX(1) }, NOPTR, 0, 2 },
	/* Classification 3: 12 bytes of floats, SSE and SSE: xmm0 holds
	 * bytes 0-7, xmm1 bytes 8-11 */
	{ "sysv-x64", "struct fff { float a, b, c; }; struct fff f(struct fff)",
	  { ST(M(F), M(F), M(F)) }, A0, 1, 0, { A0 },
	  PARTS(PSSE(0, 8, RXn(0)), PSSE(8, 4, RXn(1))),
	  { PARTS(PSSE(0, 8, X(0)), PSSE(8, 4, X(1))) }, NOPTR, 0, 2 },
	/* Classification 3: INTEGER then SSE; Passing 2, 3: the next GPR
	 * (rsi, after the int) and xmm0; Returning 3, 4: rax and xmm0 */
	{ "sysv-x64", "struct ld { long a; double b; }; struct ld f(int, struct ld)",
	  { ST(M(L), M(D)) }, A0, 2, 0, { I, A0 },
	  PARTS(PINT(0, 8, RGn(0)), PSSE(8, 8, RXn(0))),
	  { SG(0), PARTS(PINT(0, 8, G(1)), PSSE(8, 8, X(0))) }, NOPTR, 0, 1 },
	/* Classification 3: SSE then INTEGER: xmm0 and rdi; Returning 3, 4:
	 * xmm0 and rax */
	{ "sysv-x64", "struct dl { double a; long b; }; struct dl f(struct dl, double)",
	  { ST(M(D), M(L)) }, A0, 2, 0, { A0, D },
	  PARTS(PSSE(0, 8, RXn(0)), PINT(8, 8, RGn(0))),
	  { PARTS(PSSE(0, 8, X(0)), PINT(8, 8, G(0))), SX(1) }, NOPTR, 0, 2 },
	/* Classification 4d: an int and a float share eightbyte 0, which is
	 * INTEGER; the double's is SSE */
	{ "sysv-x64", "struct ifd { int a; float b; double c; }; double f(struct ifd)",
	  { ST(M(I), M(F), M(D)) }, D, 1, 0, { A0 },
	  SCA(RX), { PARTS(PINT(0, 8, G(0)), PSSE(8, 8, X(0))) }, NOPTR, 0, 1 },
	/* Classification 4d, 4a: 12 bytes, INTEGER (float + int) and SSE
	 * (4 bytes) */
	{ "sysv-x64", "struct fif { float a; int b; float c; }; struct fif f(struct fif)",
	  { ST(M(F), M(I), M(F)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0)), PSSE(8, 4, RXn(0))),
	  { PARTS(PINT(0, 8, G(0)), PSSE(8, 4, X(0))) }, NOPTR, 0, 1 },
	/* Classification 4d: a float and a char share eightbyte 0: INTEGER */
	{ "sysv-x64", "struct fc { float f; char c; }; void f(struct fc, float)",
	  { ST(M(F), M(C)) }, V, 2, 0, { A0, F },
	  NOVAL, { PARTS(PINT(0, 8, G(0))), SX(0) }, NOPTR, 0, 1 },
	/* Classification 3: a char[12] array, INTEGER and INTEGER; Returning
	 * 3: rax then rdx */
	{ "sysv-x64", "struct c12 { char c[12]; }; struct c12 f(struct c12)",
	  { ST(MA(C, 12)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0)), PINT(8, 4, RGn(1))),
	  { PARTS(PINT(0, 8, G(0)), PINT(8, 4, G(1))) }, NOPTR, 0, 0 },
	/* Returning 3: two INTEGER eightbytes in rax:rdx */
	{ "sysv-x64", "struct ll { long a, b; }; struct ll f(void)",
	  { ST(M(L), M(L)) }, A0, 0, 0, { 0 },
	  PARTS(PINT(0, 8, RGn(0)), PINT(8, 8, RGn(1))), { NOVAL }, NOPTR, 0, 0 },
	/* Passing: "If there are no registers available for any eightbyte of
	 * an argument, the whole argument is passed on the stack": two
	 * INTEGER eightbytes with only r9 left go to the stack whole, and the
	 * int after them still takes r9 */
	{ "sysv-x64", "struct ll { long a, b; }; void f(long x5, struct ll, int)",
	  { ST(M(L), M(L)) }, V, 7, 0, { L5, A0, I },
	  NOVAL, { SG5, STK(0), SG(5) }, NOPTR, 2, 0 },
	/* the same for SSE: xmm7 alone cannot take two SSE eightbytes; the
	 * double after the struct takes it */
	{ "sysv-x64", "struct dd { double a, b; }; void f(double x7, struct dd, double)",
	  { ST(M(D), M(D)) }, V, 9, 0, { D7, A0, D },
	  NOVAL, { SX7, STK(0), SX(7) }, NOPTR, 2, 8 },
	/* the same across classes: INTEGER + SSE with no GPR left goes to the
	 * stack whole though xmm0 is free, which the next double takes */
	{ "sysv-x64", "struct ld { long a; double b; }; void f(long x6, struct ld, double)",
	  { ST(M(L), M(D)) }, V, 8, 0, { L6, A0, D },
	  NOVAL, { SG6, STK(0), SX(0) }, NOPTR, 2, 1 },
	/* Passing 2: the last two GPRs fit two INTEGER eightbytes exactly */
	{ "sysv-x64", "struct ll { long a, b; }; void f(int x4, struct ll)",
	  { ST(M(L), M(L)) }, V, 5, 0, { I4, A0 },
	  NOVAL, { SG4, PARTS(PINT(0, 8, G(4)), PINT(8, 8, G(5))) }, NOPTR, 0, 0 },
	/* six {long, double} fill the six GPRs and xmm0-5; the seventh has
	 * no GPR and goes to the stack whole (Passing) */
	{ "sysv-x64", "struct ld { long a; double b; }; void f(struct ld x7)",
	  { ST(M(L), M(D)) }, V, 7, 0, { A0, A0, A0, A0, A0, A0, A0 },
	  NOVAL, { PARTS(PINT(0, 8, G(0)), PSSE(8, 8, X(0))),
		   PARTS(PINT(0, 8, G(1)), PSSE(8, 8, X(1))),
		   PARTS(PINT(0, 8, G(2)), PSSE(8, 8, X(2))),
		   PARTS(PINT(0, 8, G(3)), PSSE(8, 8, X(3))),
		   PARTS(PINT(0, 8, G(4)), PSSE(8, 8, X(4))),
		   PARTS(PINT(0, 8, G(5)), PSSE(8, 8, X(5))), STK(0) }, NOPTR, 2, 6 },
	/* Classification 5c: a struct with a double[3] is 24 bytes, MEMORY;
	 * Passing 1: a stack copy; Returning 2: the caller's storage, its
	 * address in rdi as a hidden first argument, so the int takes rsi;
	 * rax holds the address on return */
	{ "sysv-x64", "struct d3 { double d[3]; }; struct d3 f(int, struct d3)",
	  { ST(MA(D, 3)) }, A0, 2, 0, { I, A0 },
	  REF(RG), { SG(1), STK(0) }, PTR_ARG0, 3, 0 },
	/* Returning 2: a MEMORY result takes rdi from the arguments: five
	 * longs in rsi..r9, the sixth on the stack */
	{ "sysv-x64", "struct lll { long a, b, c; }; struct lll f(long x6)",
	  { ST(M(L), M(L), M(L)) }, A0, 6, 0, { L6 },
	  REF(RG), { SG(1), SG(2), SG(3), SG(4), SG(5), SCA(S(0)) }, PTR_ARG0, 1, 0 },
	/* Classification 5c: a char[20] is over two eightbytes, MEMORY; its
	 * copy rounded to 24 bytes */
	{ "sysv-x64", "struct c20 { char c[20]; }; void f(struct c20, int)",
	  { ST(MA(C, 20)) }, V, 2, 0, { A0, I },
	  NOVAL, { STK(0), SG(0) }, NOPTR, 3, 0 },
	/* Passing 1: a MEMORY argument after a stack int takes the next
	 * 8-aligned slot, and the int after it the next one */
	{ "sysv-x64", "struct d3 { double d[3]; }; void f(long x6, int, struct d3, int)",
	  { ST(MA(D, 3)) }, V, 9, 0, { L6, I, A0, I },
	  NOVAL, { SG6, SCA(S(0)), STK(8), SCA(S(32)) }, NOPTR, 5, 0 },
	/* GCC's C: an empty struct has size 0 and no eightbyte: it is not
	 * passed or returned at all, and the int takes rdi */
	{ "sysv-x64", "struct e { }; struct e f(struct e, int)",
	  { EMPTY_ST }, A0, 2, 0, { A0, I },
	  EMP, { EMP, SG(0) }, NOPTR, 0, 0 },
	/* Classification: char is INTEGER, so a one-byte
	 * struct in rdi, back in rax */
	{ "sysv-x64", "struct c1 { char c; }; struct c1 f(struct c1, char)",
	  { ST(M(C)) }, A0, 2, 0, { A0, C },
	  PARTS(PINT(0, 1, RGn(0))), { PARTS(PINT(0, 1, G(0))), SG(1) }, NOPTR, 0, 0 },
	/* Classification 4a: three chars, one 3-byte INTEGER eightbyte */
	{ "sysv-x64", "struct c3 { char a, b, c; }; void f(struct c3)",
	  { ST(M(C), M(C), M(C)) }, V, 1, 0, { A0 },
	  NOVAL, { PARTS(PINT(0, 3, G(0))) }, NOPTR, 0, 0 },
	/* Classification 1: packed {char; int} has an unaligned int: MEMORY,
	 * on the stack (5 bytes in an 8-byte slot); returned through rdi */
	{ "sysv-x64", "#pragma pack(1)\nstruct pci { char c; int i; };\n#pragma pack()\n"
	  "struct pci f(struct pci, int)",
	  { PK(1, M(C), M(I)) }, A0, 2, 0, { A0, I },
	  REF(RG), { STK(0), SG(1) }, PTR_ARG0, 1, 0 },
	/* Classification 1: packed {int; char} has every field aligned: an
	 * ordinary INTEGER eightbyte of 5 bytes */
	{ "sysv-x64", "#pragma pack(1)\nstruct pic { int i; char c; };\n#pragma pack()\n"
	  "struct pic f(struct pic, int)",
	  { PK(1, M(I), M(C)) }, A0, 2, 0, { A0, I },
	  PARTS(PINT(0, 5, RGn(0))), { PARTS(PINT(0, 5, G(0))), SG(1) }, NOPTR, 0, 0 },
	/* Classification 1: pack(2) puts the int at 2, unaligned: MEMORY */
	{ "sysv-x64", "#pragma pack(2)\nstruct p2 { char c; int i; };\n#pragma pack()\n"
	  "void f(struct p2, int)",
	  { PK(2, M(C), M(I)) }, V, 2, 0, { A0, I },
	  NOVAL, { STK(0), SG(0) }, NOPTR, 1, 0 },
	/* Classification 1: pack(4) puts the double at 4: MEMORY, 12 bytes
	 * in a 16-byte copy */
	{ "sysv-x64", "#pragma pack(4)\nstruct p4 { int i; double d; };\n#pragma pack()\n"
	  "void f(struct p4, long)",
	  { PK(4, M(I), M(D)) }, V, 2, 0, { A0, L },
	  NOVAL, { STK(0), SG(0) }, NOPTR, 2, 0 },
	/* Classification 1: pack(1) with every field aligned changes nothing */
	{ "sysv-x64", "#pragma pack(1)\nstruct pif { int i; float f; };\n#pragma pack()\n"
	  "void f(struct pif, float)",
	  { PK(1, M(I), M(F)) }, V, 2, 0, { A0, F },
	  NOVAL, { PARTS(PINT(0, 8, G(0))), SX(0) }, NOPTR, 0, 1 },
	/* Classification 1: a natural struct holding a packed one with an
	 * unaligned field is MEMORY too */
	{ "sysv-x64", "#pragma pack(1)\nstruct pci { char c; int i; };\n#pragma pack()\n"
	  "struct npc { int a; struct pci p; }; void f(struct npc)",
	  { PK(1, M(C), M(I)), ST(M(I), M(A0)) }, V, 1, 0, { A1 },
	  NOVAL, { STK(0) }, NOPTR, 2, 0 },
	/* Classification 4d: a union of float and int is INTEGER */
	{ "sysv-x64", "union uif { float f; int i; }; union uif f(union uif)",
	  { UN(M(F), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 4, RGn(0))), { PARTS(PINT(0, 4, G(0))) }, NOPTR, 0, 0 },
	/* Classification 4a: a union of float and float[2] is one SSE
	 * eightbyte */
	{ "sysv-x64", "union uf2 { float f; float a[2]; }; union uf2 f(union uf2)",
	  { UN(M(F), MA(F, 2)) }, A0, 1, 0, { A0 },
	  PARTS(PSSE(0, 8, RXn(0))), { PARTS(PSSE(0, 8, X(0))) }, NOPTR, 0, 1 },
	/* Classification 4d: double and long overlap: INTEGER */
	{ "sysv-x64", "union udl { double d; long l; }; void f(union udl, double)",
	  { UN(M(D), M(L)) }, V, 2, 0, { A0, D },
	  NOVAL, { PARTS(PINT(0, 8, G(0))), SX(0) }, NOPTR, 0, 1 },
	/* Classification 4: a union of char[12] and float: both INTEGER */
	{ "sysv-x64", "union ucf { char c[12]; float f; }; union ucf f(union ucf)",
	  { UN(MA(C, 12), M(F)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0)), PINT(8, 4, RGn(1))),
	  { PARTS(PINT(0, 8, G(0)), PINT(8, 4, G(1))) }, NOPTR, 0, 0 },
	/* Classification 4a: a union of a two-float struct and a double */
	{ "sysv-x64", "struct ff { float a, b; }; union usd { struct ff s; double d; };\n"
	  "void f(union usd)",
	  { ST(M(F), M(F)), UN(M(A0), M(D)) }, V, 1, 0, { A1 },
	  NOVAL, { PARTS(PSSE(0, 8, X(0))) }, NOPTR, 0, 1 },
	/* Classification 3, 4a: float[4] is SSE, SSE */
	{ "sysv-x64", "struct f4 { float v[4]; }; struct f4 f(struct f4)",
	  { ST(MA(F, 4)) }, A0, 1, 0, { A0 },
	  PARTS(PSSE(0, 8, RXn(0)), PSSE(8, 8, RXn(1))),
	  { PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))) }, NOPTR, 0, 2 },
	/* Classification 4 ("classified recursively"): a nested {float,
	 * float} and a double, SSE and SSE */
	{ "sysv-x64", "struct pt { float x, y; }; struct seg { struct pt a; double w; };\n"
	  "struct seg f(struct seg)",
	  { ST(M(F), M(F)), ST(M(A0), M(D)) }, A1, 1, 0, { A1 },
	  PARTS(PSSE(0, 8, RXn(0)), PSSE(8, 8, RXn(1))),
	  { PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))) }, NOPTR, 0, 2 },
	/* Classification 4d, recursively: a nested char makes the
	 * eightbyte it shares with a float INTEGER */
	{ "sysv-x64", "struct in { char c; }; struct nf { struct in a; float f; };\n"
	  "void f(struct nf)",
	  { ST(M(C)), ST(M(A0), M(F)) }, V, 1, 0, { A1 },
	  NOVAL, { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* Classification 4: an array of two-float structs, SSE and SSE */
	{ "sysv-x64", "struct pt { float x, y; }; struct pts { struct pt p[2]; };\n"
	  "void f(struct pts, int)",
	  { ST(M(F), M(F)), ST(MA(A0, 2)) }, V, 2, 0, { A1, I },
	  NOVAL, { PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))), SG(0) }, NOPTR, 0, 2 },
	/* Classification 4b: an empty member holds no field, so the int and
	 * float after it make one INTEGER eightbyte */
	{ "sysv-x64", "struct e { }; struct ei { struct e x; int a; float b; }; void f(struct ei)",
	  { EMPTY_ST, ST(M(A0), M(I), M(F)) }, V, 1, 0, { A1 },
	  NOVAL, { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* Classification: _Bool is INTEGER, like char (4a) */
	{ "sysv-x64", "struct bc { _Bool a; char b; }; struct bc f(struct bc)",
	  { ST(M(B), M(C)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 2, RGn(0))), { PARTS(PINT(0, 2, G(0))) }, NOPTR, 0, 0 },
	/* Classification 3: a pointer and an int, INTEGER and INTEGER */
	{ "sysv-x64", "struct pn { void *p; int n; }; void f(struct pn)",
	  { ST(M(P), M(I)) }, V, 1, 0, { A0 },
	  NOVAL, { PARTS(PINT(0, 8, G(0)), PINT(8, 8, G(1))) }, NOPTR, 0, 0 },
	/* Classification 3: aligned(16) {int} is 16 bytes whose second
	 * eightbyte is padding only (NO_CLASS): it takes no register, so the
	 * long after it takes rsi */
	{ "sysv-x64", "struct __attribute__((aligned(16))) a16 { int a; };\n"
	  "struct a16 f(struct a16, long)",
	  { AL(16, M(I)) }, A0, 2, 0, { A0, L },
	  PARTS(PINT(0, 8, RGn(0))), { PARTS(PINT(0, 8, G(0))), SG(1) }, NOPTR, 0, 0 },
	/* Passing 1 ("at an address respecting the arguments alignment"): a
	 * 16-aligned struct with no register left goes to a 16-aligned slot
	 * after a stack int */
	{ "sysv-x64", "struct __attribute__((aligned(16))) l16 { long a, b; };\n"
	  "void f(long x6, int, struct l16, int)",
	  { AL(16, M(L), M(L)) }, V, 9, 0, { L6, I, A0, I },
	  NOVAL, { SG6, SCA(S(0)), STK(16), SCA(S(32)) }, NOPTR, 5, 0 },
	/* Classification 5c, Passing 1: a 32-aligned struct is 32 bytes,
	 * MEMORY, at a 32-aligned slot */
	{ "sysv-x64", "struct __attribute__((aligned(32))) l32 { long a; };\n"
	  "void f(long x6, int, struct l32)",
	  { AL(32, M(L)) }, V, 8, 0, { L6, I, A0 },
	  NOVAL, { SG6, SCA(S(0)), STK(32) }, NOPTR, 8, 0 },
	/* nvec counts every SSE eightbyte: two for {double, double}, one
	 * for {float, float}, one for the double (al = 4 if variadic) */
	{ "sysv-x64", "struct dd { double a, b; }; struct ff { float a, b; };\n"
	  "void f(struct dd, struct ff, double)",
	  { ST(M(D), M(D)), ST(M(F), M(F)) }, V, 3, 0, { A0, A1, D },
	  NOVAL, { PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))), PARTS(PSSE(0, 8, X(2))),
		   SX(3) }, NOPTR, 0, 4 },
	/* anonymous aggregates are classified like named ones (the psABI's
	 * va_arg reads them from the register save area) */
	{ "sysv-x64", "struct dd { double a, b; }; struct ll { long a, b; };\n"
	  "void f(int, ...) (struct dd, struct ll)",
	  { ST(M(D), M(D)), ST(M(L), M(L)) }, V, 3, 1, { I, A0, A1 },
	  NOVAL, { SG(0), PARTS(PSSE(0, 8, X(0)), PSSE(8, 8, X(1))),
		   PARTS(PINT(0, 8, G(1)), PINT(8, 8, G(2))) }, NOPTR, 0, 2 },
};

/* ---- Win64 ---- */
static const struct srow win64_rows[] = {
	/* "Parameter passing": a struct of 8 bits passes "as if it were an
	 * integer of the same size", in the position's register (rcx);
	 * "Return values": 8 bits come back in rax */
	{ "win64", "struct c1 { char c; }; struct c1 f(struct c1)",
	  { ST(M(C)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 1, RGn(0))), { PARTS(PINT(0, 1, G(0))) }, NOPTR, 0, 0 },
	/* 16 bits: two chars, by value in rdx (position 1) */
	{ "win64", "struct c2 { char a, b; }; struct c2 f(int, struct c2)",
	  { ST(M(C), M(C)) }, A0, 2, 0, { I, A0 },
	  PARTS(PINT(0, 2, RGn(0))), { SG(0), PARTS(PINT(0, 2, G(1))) }, NOPTR, 0, 0 },
	/* 32 bits: a struct of one float is an integer: rcx, and comes back
	 * in rax, not xmm0; the float after it takes xmm1 */
	{ "win64", "struct f1 { float f; }; struct f1 f(struct f1, float)",
	  { ST(M(F)) }, A0, 2, 0, { A0, F },
	  PARTS(PINT(0, 4, RGn(0))), { PARTS(PINT(0, 4, G(0))), SX(1) }, NOPTR, 0, 2 },
	/* 64 bits: two floats travel in rdx as an integer (position 1), not
	 * in xmm1; returned in rax */
	{ "win64", "struct ff { float a, b; }; struct ff f(double, struct ff)",
	  { ST(M(F), M(F)) }, A0, 2, 0, { D, A0 },
	  PARTS(PINT(0, 8, RGn(0))), { SX(0), PARTS(PINT(0, 8, G(1))) }, NOPTR, 0, 1 },
	/* 64 bits: a struct of one double, rcx and rax */
	{ "win64", "struct d1 { double d; }; struct d1 f(struct d1)",
	  { ST(M(D)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0))), { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* 32 bits: a union of float and int, rcx */
	{ "win64", "union uif { float f; int i; }; void f(union uif, union uif)",
	  { UN(M(F), M(I)) }, V, 2, 0, { A0, A0 },
	  NOVAL, { PARTS(PINT(0, 4, G(0))), PARTS(PINT(0, 4, G(1))) }, NOPTR, 0, 0 },
	/* "Parameter passing": other sizes (3 bytes) as a pointer to a copy,
	 * in the position's register; "Return values": 3 bytes go to memory
	 * the caller provides, its pointer in rcx as the first argument, and
	 * "the remaining arguments are then shifted one argument to the
	 * right": the struct's pointer lands in rdx */
	{ "win64", "struct c3 { char c[3]; }; struct c3 f(struct c3)",
	  { ST(MA(C, 3)) }, A0, 1, 0, { A0 },
	  REF(RG), { REF(G(1)) }, PTR_ARG0, 0, 0 },
	/* sizes 5, 6 and 7 by reference, one position each */
	{ "win64", "struct c5 { char c[5]; }; struct s6 { short s[3]; }; struct c7 { char c[7]; };\n"
	  "void f(struct c5, struct s6, struct c7, int)",
	  { ST(MA(C, 5)), ST(MA(SH, 3)), ST(MA(C, 7)) }, V, 4, 0, { A0, A1, A2, I },
	  NOVAL, { REF(G(0)), REF(G(1)), REF(G(2)), SG(3) }, NOPTR, 0, 0 },
	/* 12 bytes of floats by reference in rcx; the float keeps xmm1 */
	{ "win64", "struct f3 { float a, b, c; }; void f(struct f3, float)",
	  { ST(M(F), M(F), M(F)) }, V, 2, 0, { A0, F },
	  NOVAL, { REF(G(0)), SX(1) }, NOPTR, 0, 2 },
	/* 16 bytes: by reference, and returned through the hidden pointer
	 * (not in xmm0:xmm1 as on System V) */
	{ "win64", "struct dd { double a, b; }; struct dd f(struct dd)",
	  { ST(M(D), M(D)) }, A0, 1, 0, { A0 },
	  REF(RG), { REF(G(1)) }, PTR_ARG0, 0, 0 },
	/* 24 bytes (a struct with a double[3]) and float[4] by reference */
	{ "win64", "struct d3 { double d[3]; }; struct f4 { float v[4]; };\n"
	  "struct d3 f(struct f4, double)",
	  { ST(MA(D, 3)), ST(MA(F, 4)) }, A0, 2, 0, { A1, D },
	  REF(RG), { REF(G(1)), SX(2) }, PTR_ARG0, 0, 3 },
	/* "Return values": the hidden pointer shifts every argument one
	 * position: the int in rdx, the double in xmm2, the last int on the
	 * stack */
	{ "win64", "struct f3 { float a, b, c; }; struct f3 f(int, double, int, int)",
	  { ST(M(F), M(F), M(F)) }, A0, 4, 0, { I, D, I, I },
	  REF(RG), { SG(1), SX(2), SG(3), SCA(S(0)) }, PTR_ARG0, 1, 3 },
	/* the same with four doubles: xmm1-3 and the stack */
	{ "win64", "struct ll { long long a, b; }; struct ll f(double, double, double, double)",
	  { ST(M(LL), M(LL)) }, A0, 4, 0, { D4 },
	  REF(RG), { SX(1), SX(2), SX(3), SCA(S(0)) }, PTR_ARG0, 1, 4 },
	/* "Parameter passing": from the fifth position on, an 8-byte struct
	 * is its own value in a stack slot, a 16-byte one a pointer there */
	{ "win64", "struct ii { int a, b; }; struct dd { double a, b; };\n"
	  "void f(int x4, struct ii, struct dd)",
	  { ST(M(I), M(I)), ST(M(D), M(D)) }, V, 6, 0, { I4, A0, A1 },
	  NOVAL, { SG4, PARTS(PINT(0, 8, S(0))), REF(S(8)) }, NOPTR, 2, 0 },
	/* GCC: an empty struct (size 0, not 1, 2, 4 or 8 bytes) is passed
	 * as a pointer to a copy; returned, it takes no hidden pointer */
	{ "win64", "struct e { }; struct e f(struct e, int)",
	  { EMPTY_ST }, A0, 2, 0, { A0, I },
	  EMP, { REF(G(0)), SG(1) }, NOPTR, 0, 0 },
	/* packed {char; int} is 5 bytes: by reference, returned through rcx */
	{ "win64", "#pragma pack(1)\nstruct pci { char c; int i; };\n#pragma pack()\n"
	  "struct pci f(struct pci)",
	  { PK(1, M(C), M(I)) }, A0, 1, 0, { A0 },
	  REF(RG), { REF(G(1)) }, PTR_ARG0, 0, 0 },
	/* packed to 8 bytes: an integer again, whatever the alignment */
	{ "win64", "#pragma pack(1)\nstruct p8 { char c; int i; short s; char d; };\n"
	  "#pragma pack()\nstruct p8 f(struct p8)",
	  { PK(1, M(C), M(I), M(SH), M(C)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0))), { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* aligned(16) makes one char 16 bytes: by reference */
	{ "win64", "struct __attribute__((aligned(16))) a16 { char c; }; void f(struct a16)",
	  { AL(16, M(C)) }, V, 1, 0, { A0 },
	  NOVAL, { REF(G(0)) }, NOPTR, 0, 0 },
	/* nesting counts only the size: {struct {char, char}, short} is 4 */
	{ "win64", "struct c2 { char a, b; }; struct n4 { struct c2 p; short s; };\n"
	  "struct n4 f(struct n4)",
	  { ST(M(C), M(C)), ST(M(A0), M(SH)) }, A1, 1, 0, { A1 },
	  PARTS(PINT(0, 4, RGn(0))), { PARTS(PINT(0, 4, G(0))) }, NOPTR, 0, 0 },
	/* "Data type ranges": long is 4 bytes, so {long; int} is 8 bytes,
	 * one integer (16 bytes on System V) */
	{ "win64", "struct li { long a; int b; }; struct li f(struct li)",
	  { ST(M(L), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PINT(0, 8, RGn(0))), { PARTS(PINT(0, 8, G(0))) }, NOPTR, 0, 0 },
	/* anonymous aggregates take their position as named ones do */
	{ "win64", "struct ii { int a, b; }; struct f3 { float a, b, c; };\n"
	  "void f(int, ...) (struct ii, struct f3)",
	  { ST(M(I), M(I)), ST(M(F), M(F), M(F)) }, V, 3, 1, { I, A0, A1 },
	  NOVAL, { SG(0), PARTS(PINT(0, 8, G(1))), REF(G(2)) }, NOPTR, 0, 0 },
};

/* ---- AAPCS64 ---- */
static const struct srow aapcs64_rows[] = {
	/* §5.9.5, B.3, C.2: an HFA of four floats, one v register each;
	 * §6.9: returned in v0-v3 */
	{ "aapcs64", "struct f4 { float a, b, c, d; }; struct f4 f(struct f4)",
	  { ST(M(F), M(F), M(F), M(F)) }, A0, 1, 0, { A0 },
	  PARTS(PHFA(0, 4, RXn(0)), PHFA(4, 4, RXn(1)), PHFA(8, 4, RXn(2)), PHFA(12, 4, RXn(3))),
	  { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1)), PHFA(8, 4, X(2)), PHFA(12, 4, X(3))) },
	  NOPTR, 0, 4 },
	/* B.3 before B.4: a struct with a double[3] is an HFA of 24 bytes,
	 * in v0-v2, not by reference; §6.9: back in v0-v2 */
	{ "aapcs64", "struct d3 { double d[3]; }; struct d3 f(struct d3)",
	  { ST(MA(D, 3)) }, A0, 1, 0, { A0 },
	  PARTS(PHFA(0, 8, RXn(0)), PHFA(8, 8, RXn(1)), PHFA(16, 8, RXn(2))),
	  { PARTS(PHFA(0, 8, X(0)), PHFA(8, 8, X(1)), PHFA(16, 8, X(2))) }, NOPTR, 0, 3 },
	/* C.2: an HFA of four doubles (32 bytes) after a double: v1-v4 */
	{ "aapcs64", "struct d4 { double a, b, c, d; }; struct d4 f(double, struct d4)",
	  { ST(M(D), M(D), M(D), M(D)) }, A0, 2, 0, { D, A0 },
	  PARTS(PHFA(0, 8, RXn(0)), PHFA(8, 8, RXn(1)), PHFA(16, 8, RXn(2)), PHFA(24, 8, RXn(3))),
	  { SX(0), PARTS(PHFA(0, 8, X(1)), PHFA(8, 8, X(2)), PHFA(16, 8, X(3)),
			 PHFA(24, 8, X(4))) }, NOPTR, 0, 5 },
	/* §5.9.5: array elements are members: float[4] is an HFA of 4 */
	{ "aapcs64", "struct fa4 { float v[4]; }; void f(float, struct fa4)",
	  { ST(MA(F, 4)) }, V, 2, 0, { F, A0 },
	  NOVAL, { SX(0), PARTS(PHFA(0, 4, X(1)), PHFA(4, 4, X(2)), PHFA(8, 4, X(3)),
			       PHFA(12, 4, X(4))) }, NOPTR, 0, 5 },
	/* §5.9.5: nested members count: {{float, float}, float} is an HFA
	 * of 3 */
	{ "aapcs64", "struct pt { float x, y; }; struct tri { struct pt a; float z; };\n"
	  "struct tri f(struct tri)",
	  { ST(M(F), M(F)), ST(M(A0), M(F)) }, A1, 1, 0, { A1 },
	  PARTS(PHFA(0, 4, RXn(0)), PHFA(4, 4, RXn(1)), PHFA(8, 4, RXn(2))),
	  { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1)), PHFA(8, 4, X(2))) }, NOPTR, 0, 3 },
	/* §5.9.5: a union's members count by unique address: float and
	 * float[2] make an HFA of 2 */
	{ "aapcs64", "union uf2 { float f; float a[2]; }; union uf2 f(union uf2)",
	  { UN(M(F), MA(F, 2)) }, A0, 1, 0, { A0 },
	  PARTS(PHFA(0, 4, RXn(0)), PHFA(4, 4, RXn(1))),
	  { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1))) }, NOPTR, 0, 2 },
	/* §5.9.5: a union's HFA has as many members as its unique
	 * addresses: float[2] over float[3] is an HFA of 3 */
	{ "aapcs64", "union u23 { float a[2]; float b[3]; }; void f(union u23)",
	  { UN(MA(F, 2), MA(F, 3)) }, V, 1, 0, { A0 },
	  NOVAL, { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1)), PHFA(8, 4, X(2))) }, NOPTR, 0, 3 },
	/* §5.9.5: an empty member holds no fundamental type: {struct e;
	 * float, float} is an HFA of 2 */
	{ "aapcs64", "struct e { }; struct ef { struct e x; float a, b; }; void f(struct ef)",
	  { EMPTY_ST, ST(M(A0), M(F), M(F)) }, V, 1, 0, { A1 },
	  NOVAL, { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1))) }, NOPTR, 0, 2 },
	/* §5.9.5: a union of float and int is no HFA: C.12, x0; §6.9: x0 */
	{ "aapcs64", "union uif { float f; int i; }; union uif f(union uif)",
	  { UN(M(F), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PGPR(0, 4, RGn(0))), { PARTS(PGPR(0, 4, G(0))) }, NOPTR, 0, 0 },
	/* §5.9.5: float and double are two types, no HFA: 16 bytes in x0, x1 */
	{ "aapcs64", "struct fd { float f; double d; }; struct fd f(struct fd)",
	  { ST(M(F), M(D)) }, A0, 1, 0, { A0 },
	  PARTS(PGPR(0, 8, RGn(0)), PGPR(8, 8, RGn(1))),
	  { PARTS(PGPR(0, 8, G(0)), PGPR(8, 8, G(1))) }, NOPTR, 0, 0 },
	/* B.5, C.12: 9 to 16 bytes of int and floats, no HFA: x0 and x1 */
	{ "aapcs64", "struct ifd { int a; float b; double c; }; void f(struct ifd, double)",
	  { ST(M(I), M(F), M(D)) }, V, 2, 0, { A0, D },
	  NOVAL, { PARTS(PGPR(0, 8, G(0)), PGPR(8, 8, G(1))), SX(0) }, NOPTR, 0, 1 },
	/* B.5, C.12: 12 bytes rounded to two double-words: x0 (8), x1 (4) */
	{ "aapcs64", "struct i3 { int a, b, c; }; struct i3 f(struct i3)",
	  { ST(M(I), M(I), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PGPR(0, 8, RGn(0)), PGPR(8, 4, RGn(1))),
	  { PARTS(PGPR(0, 8, G(0)), PGPR(8, 4, G(1))) }, NOPTR, 0, 0 },
	/* §6.9: a composite of up to 16 bytes comes back in x0, x1 */
	{ "aapcs64", "struct ll { long a, b; }; struct ll f(void)",
	  { ST(M(L), M(L)) }, A0, 0, 0, { 0 },
	  PARTS(PGPR(0, 8, RGn(0)), PGPR(8, 8, RGn(1))), { NOVAL }, NOPTR, 0, 0 },
	/* C.3: an HFA of 3 with six v registers taken does not fit: NSRN =
	 * 8 (the double after it goes to the stack as well), C.4 NSAA
	 * 8-aligned, C.6 on the stack whole, C.3 its 12 bytes rounded to 16;
	 * the int still takes x0 */
	{ "aapcs64", "struct f3 { float a, b, c; }; void f(double x6, struct f3, double, int)",
	  { ST(M(F), M(F), M(F)) }, V, 9, 0, { D6, A0, D, I },
	  NOVAL, { SX6, STK(0), SCA(S(16)), SG(0) }, NOPTR, 3, 8 },
	/* the same for an HFA of 3 doubles: 24 bytes, the float after it on
	 * the stack in 8 bytes (C.5) */
	{ "aapcs64", "struct d3 { double d[3]; }; void f(float x6, struct d3, float)",
	  { ST(MA(D, 3)) }, V, 8, 0, { F6, A0, F },
	  NOVAL, { SX6, STK(0), SCA(S(24)) }, NOPTR, 4, 8 },
	/* C.2: an HFA of 2 fits v6, v7 exactly */
	{ "aapcs64", "struct dd { double a, b; }; void f(double x6, struct dd)",
	  { ST(M(D), M(D)) }, V, 7, 0, { D6, A0 },
	  NOVAL, { SX6, PARTS(PHFA(0, 8, X(6)), PHFA(8, 8, X(7))) }, NOPTR, 0, 8 },
	/* C.12 fails at NGRN 7 for two double-words: C.13 NGRN = 8, C.15
	 * whole on the stack (never split between x7 and memory), and the
	 * int after it on the stack too */
	{ "aapcs64", "struct ll { long a, b; }; void f(long x7, struct ll, int)",
	  { ST(M(L), M(L)) }, V, 9, 0, { L7, A0, I },
	  NOVAL, { SG7, STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* ...while floating point still takes v0 (C.1) */
	{ "aapcs64", "struct ll { long a, b; }; void f(long x7, struct ll, double)",
	  { ST(M(L), M(L)) }, V, 9, 0, { L7, A0, D },
	  NOVAL, { SG7, STK(0), SX(0) }, NOPTR, 2, 1 },
	/* C.10: a composite whose natural alignment is 16 (a member's,
	 * B.6) starts at an even NGRN: x2, x3 after the int in x0, and x1
	 * stays unused */
	{ "aapcs64", "struct q { long a, b; } __attribute__((aligned(16)));\n"
	  "struct n16 { struct q x; }; void f(int, struct n16, int)",
	  { AL(16, M(L), M(L)), ST(M(A0)) }, V, 3, 0, { I, A1, I },
	  NOVAL, { SG(0), PARTS(PGPR(0, 8, G(2)), PGPR(8, 8, G(3))), SG(4) }, NOPTR, 0, 0 },
	/* B.6: "natural alignment" is the members', before the alignment
	 * adjustment of the whole composite: aligned(16) on the struct itself
	 * leaves a copy aligned to 8, so no C.10 rounding (GCC, clang) */
	{ "aapcs64", "struct __attribute__((aligned(16))) s16 { long a, b; };\n"
	  "void f(int, struct s16, int)",
	  { AL(16, M(L), M(L)) }, V, 3, 0, { I, A0, I },
	  NOVAL, { SG(0), PARTS(PGPR(0, 8, G(1)), PGPR(8, 8, G(2))), SG(3) }, NOPTR, 0, 0 },
	/* C.14: on the stack, NSAA is rounded up to the natural alignment,
	 * 16 for the member-aligned composite... */
	{ "aapcs64", "struct q { long a, b; } __attribute__((aligned(16)));\n"
	  "struct n16 { struct q x; }; void f(long x8, int, struct n16)",
	  { AL(16, M(L), M(L)), ST(M(A0)) }, V, 10, 0, { L8, I, A1 },
	  NOVAL, { SG8, SCA(S(0)), STK(16) }, NOPTR, 4, 0 },
	/* ...and 8 for the one aligned(16) only as a whole (B.6) */
	{ "aapcs64", "struct __attribute__((aligned(16))) s16 { long a, b; };\n"
	  "void f(long x8, int, struct s16)",
	  { AL(16, M(L), M(L)) }, V, 10, 0, { L8, I, A0 },
	  NOVAL, { SG8, SCA(S(0)), STK(8) }, NOPTR, 3, 0 },
	/* C.10 at NGRN 7 rounds to 8: C.13, the stack, and the long too */
	{ "aapcs64", "struct q { long a, b; } __attribute__((aligned(16)));\n"
	  "struct n16 { struct q x; }; void f(long x7, struct n16, long)",
	  { AL(16, M(L), M(L)), ST(M(A0)) }, V, 9, 0, { L7, A1, L },
	  NOVAL, { SG7, STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* C.4: an HFA whose natural alignment is 16 takes a 16-aligned
	 * NSAA; aligned(16) on the HFA itself does not count (B.6) */
	{ "aapcs64", "struct __attribute__((aligned(16))) q4 { float a, b, c, d; };\n"
	  "struct nq { struct q4 x; };\n"
	  "void f(double x8, long x8, int, struct q4, int, struct nq)",
	  { AL(16, M(F), M(F), M(F), M(F)), ST(M(A0)) }, V, 20, 0,
	  { D8, L8, I, A0, I, A1 },
	  NOVAL, { SX8, SG8, SCA(S(0)), STK(8), SCA(S(24)), STK(32) }, NOPTR, 6, 8 },
	/* B.4: a composite over 16 bytes (no HFA) is copied and passed as a
	 * pointer, in x1; §6.9: a result over 16 bytes goes to memory whose
	 * address is in x8, which is no argument register: the int keeps x0 */
	{ "aapcs64", "struct lll { long a, b, c; }; struct lll f(int, struct lll)",
	  { ST(M(L), M(L), M(L)) }, A0, 2, 0, { I, A0 },
	  REF(NONE), { SG(0), REF(G(1)) }, PTR_X8, 0, 0 },
	/* B.4 on the stack: the pointer takes an 8-byte slot (C.16) */
	{ "aapcs64", "struct lll { long a, b, c; }; void f(long x8, struct lll, int)",
	  { ST(M(L), M(L), M(L)) }, V, 10, 0, { L8, A0, I },
	  NOVAL, { SG8, REF(S(0)), SCA(S(8)) }, NOPTR, 2, 0 },
	/* §5.9.5: at most 4 members: float[5] is 20 bytes, B.4 */
	{ "aapcs64", "struct f5 { float v[5]; }; struct f5 f(struct f5)",
	  { ST(MA(F, 5)) }, A0, 1, 0, { A0 },
	  REF(NONE), { REF(G(0)) }, PTR_X8, 0, 0 },
	/* GCC's and clang's C: an empty struct is not passed or returned */
	{ "aapcs64", "struct e { }; struct e f(struct e, int)",
	  { EMPTY_ST }, A0, 2, 0, { A0, I },
	  EMP, { EMP, SG(0) }, NOPTR, 0, 0 },
	/* C.12: a one-byte struct in x0; §6.9: back in x0 */
	{ "aapcs64", "struct c1 { char c; }; struct c1 f(struct c1, char)",
	  { ST(M(C)) }, A0, 2, 0, { A0, C },
	  PARTS(PGPR(0, 1, RGn(0))), { PARTS(PGPR(0, 1, G(0))), SG(1) }, NOPTR, 0, 0 },
	/* packing has no rule of its own: packed {char; int} is a 5-byte
	 * composite in x0 */
	{ "aapcs64", "#pragma pack(1)\nstruct pci { char c; int i; };\n#pragma pack()\n"
	  "struct pci f(struct pci)",
	  { PK(1, M(C), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PGPR(0, 5, RGn(0))), { PARTS(PGPR(0, 5, G(0))) }, NOPTR, 0, 0 },
	/* a packed 16-byte composite, 1-aligned: x0, x1 */
	{ "aapcs64", "#pragma pack(1)\nstruct p16 { char c; double d; char e[7]; };\n"
	  "#pragma pack()\nvoid f(int, struct p16)",
	  { PK(1, M(C), M(D), MA(C, 7)) }, V, 2, 0, { I, A0 },
	  NOVAL, { SG(0), PARTS(PGPR(0, 8, G(1)), PGPR(8, 8, G(2))) }, NOPTR, 0, 0 },
	/* C.13-C.15 with NGRN at 8: small composites on the stack, each in
	 * 8-byte units (B.5) */
	{ "aapcs64", "struct ii { int a, b; }; struct c1 { char c; };\n"
	  "void f(long x8, struct ii, struct c1, int)",
	  { ST(M(I), M(I)), ST(M(C)) }, V, 11, 0, { L8, A0, A1, I },
	  NOVAL, { SG8, STK(0), STK(8), SCA(S(16)) }, NOPTR, 3, 0 },
	/* a union of double and long is no HFA: x0 */
	{ "aapcs64", "union udl { double d; long l; }; void f(union udl, double)",
	  { UN(M(D), M(L)) }, V, 2, 0, { A0, D },
	  NOVAL, { PARTS(PGPR(0, 8, G(0))), SX(0) }, NOPTR, 0, 1 },
	/* §6.8.2: an anonymous HFA of four doubles takes v0-v3 as a named
	 * one would */
	{ "aapcs64", "struct d4 { double a, b, c, d; }; void f(int, ...) (struct d4, int)",
	  { ST(M(D), M(D), M(D), M(D)) }, V, 3, 1, { I, A0, I },
	  NOVAL, { SG(0), PARTS(PHFA(0, 8, X(0)), PHFA(8, 8, X(1)), PHFA(16, 8, X(2)),
				PHFA(24, 8, X(3))), SG(1) }, NOPTR, 0, 4 },
	/* §6.8.2: anonymous composites are classified as named ones */
	{ "aapcs64", "struct dd { double a, b; }; struct ll { long a, b; };\n"
	  "void f(int, ...) (struct dd, struct ll)",
	  { ST(M(D), M(D)), ST(M(L), M(L)) }, V, 3, 1, { I, A0, A1 },
	  NOVAL, { SG(0), PARTS(PHFA(0, 8, X(0)), PHFA(8, 8, X(1))),
		   PARTS(PGPR(0, 8, G(1)), PGPR(8, 8, G(2))) }, NOPTR, 0, 2 },
};

/* ---- Apple arm64: AAPCS64 but for these (clang's Darwin PCS) ---- */
static const struct srow apple_rows[] = {
	/* registers as on AAPCS64 (C.2, §6.9) */
	{ "apple-arm64", "struct f4 { float a, b, c, d; }; struct f4 f(struct f4)",
	  { ST(M(F), M(F), M(F), M(F)) }, A0, 1, 0, { A0 },
	  PARTS(PHFA(0, 4, RXn(0)), PHFA(4, 4, RXn(1)), PHFA(8, 4, RXn(2)), PHFA(12, 4, RXn(3))),
	  { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1)), PHFA(8, 4, X(2)), PHFA(12, 4, X(3))) },
	  NOPTR, 0, 4 },
	/* one byte, packed, unions: as on AAPCS64 (§5.9.5, C.12) */
	{ "apple-arm64", "struct c1 { char c; }; struct c1 f(struct c1, char)",
	  { ST(M(C)) }, A0, 2, 0, { A0, C },
	  PARTS(PGPR(0, 1, RGn(0))), { PARTS(PGPR(0, 1, G(0))), SG(1) }, NOPTR, 0, 0 },
	{ "apple-arm64", "#pragma pack(1)\nstruct pci { char c; int i; };\n#pragma pack()\n"
	  "struct pci f(struct pci)",
	  { PK(1, M(C), M(I)) }, A0, 1, 0, { A0 },
	  PARTS(PGPR(0, 5, RGn(0))), { PARTS(PGPR(0, 5, G(0))) }, NOPTR, 0, 0 },
	{ "apple-arm64", "union uif { float f; int i; }; union uf2 { float f; float a[2]; };\n"
	  "union uf2 f(union uif, union uf2)",
	  { UN(M(F), M(I)), UN(M(F), MA(F, 2)) }, A1, 2, 0, { A0, A1 },
	  PARTS(PHFA(0, 4, RXn(0)), PHFA(4, 4, RXn(1))),
	  { PARTS(PGPR(0, 4, G(0))), PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1))) }, NOPTR, 0, 2 },
	{ "apple-arm64", "struct e { }; struct ef { struct e x; float a, b; }; void f(struct ef)",
	  { EMPTY_ST, ST(M(A0), M(F), M(F)) }, V, 1, 0, { A1 },
	  NOVAL, { PARTS(PHFA(0, 4, X(0)), PHFA(4, 4, X(1))) }, NOPTR, 0, 2 },
	/* an HFA on the stack keeps its own size and alignment, like its
	 * members would ("arguments may consume slots on the stack that are
	 * not multiples of 8 bytes"): 12 bytes at 0, the float packed at 12 */
	{ "apple-arm64", "struct f3 { float a, b, c; }; void f(double x6, struct f3, float)",
	  { ST(M(F), M(F), M(F)) }, V, 8, 0, { D6, A0, F },
	  NOVAL, { SX6, STK(0), SCA(S(12)) }, NOPTR, 2, 8 },
	/* ...at 4-byte alignment after a char */
	{ "apple-arm64", "struct ff { float a, b; }; void f(double x7, long x8, char, struct ff)",
	  { ST(M(F), M(F)) }, V, 17, 0, { D7, L8, C, A0 },
	  NOVAL, { SX7, SG8, SCA(S(0)), STK(4) }, NOPTR, 2, 8 },
	/* an HFA of doubles: 24 bytes, the float after it at 24 */
	{ "apple-arm64", "struct d3 { double d[3]; }; void f(float x6, struct d3, float)",
	  { ST(MA(D, 3)) }, V, 8, 0, { F6, A0, F },
	  NOVAL, { SX6, STK(0), SCA(S(24)) }, NOPTR, 4, 8 },
	/* other composites on the stack still take 8-byte units (B.5):
	 * a 3-byte struct after a packed char at 8 */
	{ "apple-arm64", "struct c3 { char a, b, c; }; void f(long x8, char, struct c3, char)",
	  { ST(M(C), M(C), M(C)) }, V, 11, 0, { L8, C, A0, C },
	  NOVAL, { SG8, SCA(S(0)), STK(8), SCA(S(16)) }, NOPTR, 3, 0 },
	/* C.13 as on AAPCS64: two double-words at NGRN 7 go to the stack and
	 * close the x registers; the int after them packs at 16 */
	{ "apple-arm64", "struct ll { long a, b; }; void f(long x7, struct ll, int)",
	  { ST(M(L), M(L)) }, V, 9, 0, { L7, A0, I },
	  NOVAL, { SG7, STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* clang's Darwin PCS has no C.10: a 16-aligned composite takes the
	 * next x registers, odd or not... */
	{ "apple-arm64", "struct q { long a, b; } __attribute__((aligned(16)));\n"
	  "struct n16 { struct q x; }; void f(int, struct n16, int)",
	  { AL(16, M(L), M(L)), ST(M(A0)) }, V, 3, 0, { I, A1, I },
	  NOVAL, { SG(0), PARTS(PGPR(0, 8, G(1)), PGPR(8, 8, G(2))), SG(3) }, NOPTR, 0, 0 },
	/* ...but on the stack it is 16-aligned, whether the alignment is a
	 * member's or the whole struct's */
	{ "apple-arm64", "struct __attribute__((aligned(16))) s16 { long a, b; };\n"
	  "void f(long x8, int, struct s16)",
	  { AL(16, M(L), M(L)) }, V, 10, 0, { L8, I, A0 },
	  NOVAL, { SG8, SCA(S(0)), STK(16) }, NOPTR, 4, 0 },
	/* B.4 as on AAPCS64; §6.9: x8 */
	{ "apple-arm64", "struct lll { long a, b, c; }; struct lll f(int, struct lll)",
	  { ST(M(L), M(L), M(L)) }, A0, 2, 0, { I, A0 },
	  REF(NONE), { SG(0), REF(G(1)) }, PTR_X8, 0, 0 },
	/* empty structs are not passed or returned */
	{ "apple-arm64", "struct e { }; struct e f(struct e, int)",
	  { EMPTY_ST }, A0, 2, 0, { A0, I },
	  EMP, { EMP, SG(0) }, NOPTR, 0, 0 },
	/* "the caller places all arguments after the ellipsis on the stack":
	 * a composite in 8-byte units, x registers still free */
	{ "apple-arm64", "struct ll { long a, b; }; void f(int, ...) (struct ll, int)",
	  { ST(M(L), M(L)) }, V, 3, 1, { I, A0, I },
	  NOVAL, { SG(0), STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* an anonymous HFA too, v registers free: its members contiguous */
	{ "apple-arm64", "struct f3 { float a, b, c; }; void f(int, ...) (struct f3, double)",
	  { ST(M(F), M(F), M(F)) }, V, 3, 1, { I, A0, D },
	  NOVAL, { SG(0), STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* an HFA on the stack takes its members' alignment, even if the
	 * HFA is aligned(16) */
	{ "apple-arm64", "struct __attribute__((aligned(16))) q4 { float a, b, c, d; };\n"
	  "void f(double x8, long x8, char, struct q4)",
	  { AL(16, M(F), M(F), M(F), M(F)) }, V, 18, 0, { D8, L8, C, A0 },
	  NOVAL, { SX8, SG8, SCA(S(0)), STK(4) }, NOPTR, 3, 8 },
	/* C.13: a 16-aligned composite at NGRN 7 goes to the stack */
	{ "apple-arm64", "struct __attribute__((aligned(16))) s16 { long a, b; };\n"
	  "void f(long x7, struct s16, int)",
	  { AL(16, M(L), M(L)) }, V, 9, 0, { L7, A0, I },
	  NOVAL, { SG7, STK(0), SCA(S(16)) }, NOPTR, 3, 0 },
	/* an anonymous HFA of two floats: 8 bytes, the double after it */
	{ "apple-arm64", "struct ff { float a, b; }; void f(int, ...) (struct ff, double)",
	  { ST(M(F), M(F)) }, V, 3, 1, { I, A0, D },
	  NOVAL, { SG(0), STK(0), SCA(S(8)) }, NOPTR, 2, 0 },
	/* an anonymous HFA of four doubles is no B.4 composite: its 32
	 * bytes go on the stack */
	{ "apple-arm64", "struct d4 { double a, b, c, d; }; void f(int, ...) (struct d4, int)",
	  { ST(M(D), M(D), M(D), M(D)) }, V, 3, 1, { I, A0, I },
	  NOVAL, { SG(0), STK(0), SCA(S(32)) }, NOPTR, 5, 0 },
	/* an anonymous 16-aligned composite: a 16-aligned stack slot */
	{ "apple-arm64", "struct __attribute__((aligned(16))) s16 { long a, b; };\n"
	  "void f(int, ...) (int, struct s16)",
	  { AL(16, M(L), M(L)) }, V, 3, 1, { I, I, A0 },
	  NOVAL, { SG(0), SCA(S(0)), STK(16) }, NOPTR, 4, 0 },
	/* an anonymous HFA starts at an 8-aligned slot, aligned(16) or not,
	 * as clang's calls place it (clang 14's own va_arg looks for this
	 * one at 16: the two disagree) */
	{ "apple-arm64", "struct __attribute__((aligned(16))) q4 { float a, b, c, d; };\n"
	  "void f(int, ...) (int, struct q4)",
	  { AL(16, M(F), M(F), M(F), M(F)) }, V, 3, 1, { I, I, A0 },
	  NOVAL, { SG(0), SCA(S(0)), STK(8) }, NOPTR, 3, 0 },
	/* an anonymous 3-byte composite: one 8-byte unit */
	{ "apple-arm64", "struct c3 { char a, b, c; }; void f(int, ...) (struct c3, int)",
	  { ST(M(C), M(C), M(C)) }, V, 3, 1, { I, A0, I },
	  NOVAL, { SG(0), STK(0), SCA(S(8)) }, NOPTR, 2, 0 },
	/* an anonymous composite over 16 bytes: a pointer in a stack slot */
	{ "apple-arm64", "struct lll { long a, b, c; }; void f(int, ...) (struct lll)",
	  { ST(M(L), M(L), M(L)) }, V, 2, 1, { I, A0 },
	  NOVAL, { SG(0), REF(S(0)) }, NOPTR, 1, 0 },
};

/* ---- layouts ---- */

/* The measured aggregate is the row's last, named t, its members a, b,
 * c, ... in order (each row's numbers were checked with sizeof, _Alignof
 * and offsetof under GCC for the ABI). */
struct lrow {
	const char *abi;
	const char *decl;
	struct agg_def agg[ROW_AGGS];
	uint32_t size, align;
	uint32_t off[AGG_MEMBERS];
};

static const struct lrow layout_rows[] = {
	/* psABI 3.1.2 "Aggregates and Unions": each member at a multiple of
	 * its alignment, the size a multiple of the largest */
	{ "sysv-x64", "struct t { char a; int b; char c; };",
	  { ST(M(C), M(I), M(C)) }, 12, 4, { 0, 4, 8 } },
	{ "sysv-x64", "struct t { char a; double b; };", { ST(M(C), M(D)) }, 16, 8, { 0, 8 } },
	{ "sysv-x64", "struct t { short a; char b; void *c; };",
	  { ST(M(SH), M(C), M(P)) }, 16, 8, { 0, 2, 8 } },
	/* fixed arrays: element size times count, the element's alignment */
	{ "sysv-x64", "struct t { char a; short b[3]; };", { ST(M(C), MA(SH, 3)) }, 8, 2, { 0, 2 } },
	/* multi-dimensional arrays are flattened: int[2][3] is 6 ints */
	{ "sysv-x64", "struct t { char a; int b[2][3]; };", { ST(M(C), MA(I, 6)) }, 28, 4, { 0, 4 } },
	/* #pragma pack(n) caps every member's alignment at n */
	{ "sysv-x64", "#pragma pack(1)\nstruct t { char a; int b; short c; };\n#pragma pack()",
	  { PK(1, M(C), M(I), M(SH)) }, 7, 1, { 0, 1, 5 } },
	{ "sysv-x64", "#pragma pack(2)\nstruct t { char a; int b; char c; };\n#pragma pack()",
	  { PK(2, M(C), M(I), M(C)) }, 8, 2, { 0, 2, 6 } },
	{ "sysv-x64", "#pragma pack(4)\nstruct t { char a; double b; char c; };\n#pragma pack()",
	  { PK(4, M(C), M(D), M(C)) }, 16, 4, { 0, 4, 12 } },
	/* pack above the natural alignment changes nothing */
	{ "sysv-x64", "#pragma pack(16)\nstruct t { char a; double b; };\n#pragma pack()",
	  { PK(16, M(C), M(D)) }, 16, 8, { 0, 8 } },
	/* pack caps a nested aggregate's alignment too */
	{ "sysv-x64", "struct d { double x; };\n#pragma pack(2)\nstruct t { char a; struct d b; };\n"
	  "#pragma pack()",
	  { ST(M(D)), PK(2, M(C), M(A0)) }, 10, 2, { 0, 2 } },
	/* a packed member keeps its own (1) alignment in a natural struct */
	{ "sysv-x64", "#pragma pack(1)\nstruct p { char x; int y; };\n#pragma pack()\n"
	  "struct t { char a; struct p b; };",
	  { PK(1, M(C), M(I)), ST(M(C), M(A0)) }, 6, 1, { 0, 1 } },
	/* aligned(n) raises the alignment and rounds the size up to it */
	{ "sysv-x64", "struct __attribute__((aligned(16))) t { char a; };",
	  { AL(16, M(C)) }, 16, 16, { 0 } },
	/* aligned(n) below the natural alignment changes nothing */
	{ "sysv-x64", "struct __attribute__((aligned(4))) t { double a; };",
	  { AL(4, M(D)) }, 8, 8, { 0 } },
	/* aligned(16) on a packed struct: members packed, the whole 16 */
	{ "sysv-x64", "#pragma pack(1)\nstruct __attribute__((aligned(16))) t { char a; int b; };\n"
	  "#pragma pack()",
	  { AGG(0, 1, 16, M(C), M(I)) }, 16, 16, { 0, 1 } },
	/* a nested aggregate is aligned as its own alignment says */
	{ "sysv-x64", "struct __attribute__((aligned(16))) q { int x; };\n"
	  "struct t { char a; struct q b; char c; };",
	  { AL(16, M(I)), ST(M(C), M(A0), M(C)) }, 48, 16, { 0, 16, 32 } },
	{ "sysv-x64", "struct in { char x; double y; }; struct t { char a; struct in b; };",
	  { ST(M(C), M(D)), ST(M(C), M(A0)) }, 24, 8, { 0, 8 } },
	/* unions: every member at 0, the size of the largest rounded up */
	{ "sysv-x64", "union t { char a[5]; int b; };", { UN(MA(C, 5), M(I)) }, 8, 4, { 0, 0 } },
	{ "sysv-x64", "#pragma pack(1)\nunion t { char a[5]; int b; };\n#pragma pack()",
	  { AGG(1, 1, 0, MA(C, 5), M(I)) }, 5, 1, { 0, 0 } },
	/* GCC's C: an empty struct has size 0 */
	{ "sysv-x64", "struct t { };", { EMPTY_ST }, 0, 1, { 0 } },
	/* Microsoft "Data type ranges" (LLP64): long is 4 bytes... */
	{ "win64", "struct t { char a; long b; };", { ST(M(C), M(L)) }, 8, 4, { 0, 4 } },
	{ "sysv-x64", "struct t { char a; long b; };", { ST(M(C), M(L)) }, 16, 8, { 0, 8 } },
	/* ...and wchar_t 2 */
	{ "win64", "struct t { wchar_t a; char b; };", { ST(M(W), M(C)) }, 4, 2, { 0, 2 } },
	/* Microsoft "Structure alignment": natural alignment as on System V */
	{ "win64", "#pragma pack(2)\nstruct t { char a; double b; };\n#pragma pack()",
	  { PK(2, M(C), M(D)) }, 10, 2, { 0, 2 } },
	{ "win64", "struct __attribute__((aligned(16))) t { char a; long long b; };",
	  { AL(16, M(C), M(LL)) }, 16, 16, { 0, 8 } },
	{ "win64", "struct t { };", { EMPTY_ST }, 0, 1, { 0 } },
	/* AAPCS64 §5.7 "Composite types" alike, and Apple */
	{ "aapcs64", "struct t { char a; long b; float c; };",
	  { ST(M(C), M(L), M(F)) }, 24, 8, { 0, 8, 16 } },
	{ "aapcs64", "#pragma pack(4)\nstruct t { char a; double b; };\n#pragma pack()",
	  { PK(4, M(C), M(D)) }, 12, 4, { 0, 4 } },
	{ "apple-arm64", "struct t { char a; long b; wchar_t c; };",
	  { ST(M(C), M(L), M(W)) }, 24, 8, { 0, 8, 16 } },
};

/* ---- the runner ---- */

static void define_aggs(struct sb_registry *reg, const struct agg_def *defs, const char *what)
{
	for (int k = 0; k < ROW_AGGS && defs[k].used; k++) {
		const char *err = NULL;
		uint32_t n = 0;
		int t;

		while (n < AGG_MEMBERS && defs[k].m[n].count)
			n++;
		t = sb_define_aggregate(reg, defs[k].is_union, defs[k].pack, defs[k].align,
					defs[k].m, n, &err);
		ck_assert_msg(t == SB_TYPE_COUNT + k, "%s: aggregate %d refused: %s", what, k,
			      err ? err : "?");
	}
}

static void check_at(const struct srow *r, int i, const char *what, uint8_t where,
		     uint16_t index, uint16_t offset, const struct at *want)
{
	ck_assert_msg(where == want->where && index == want->index && offset == want->offset,
		      "%s %s: %s %d: where %u index %u offset %u, want %u %u %u", r->abi,
		      r->decl, what, i, where, index, offset, want->where, want->index,
		      want->offset);
}

/* one value: i is the argument, -1 the result */
static void check_place(const struct srow *r, const struct sb_registry *reg, int i,
			int type, const struct sb_place *got, const struct xplace *want)
{
	const struct sb_abi *abi = ck_abi(r->abi);
	unsigned n = 0;

	while (n < SB_MAX_PARTS && want->part[n].size)
		n++;
	ck_assert_msg(got->pass == want->pass, "%s %s: value %d: pass %u, want %u", r->abi,
		      r->decl, i, got->pass, want->pass);
	if (type >= SB_TYPE_COUNT) {
		struct sb_layout l;
		const char *err = NULL;

		ck_assert_int_eq(sb_type_layout(reg, abi, type, &l, NULL, &err), 0);
		ck_assert_msg(got->kind == SB_K_AGG && got->size == l.size,
			      "%s %s: value %d: kind %u size %u, want an aggregate of %u",
			      r->abi, r->decl, i, got->kind, got->size, l.size);
	} else {
		ck_assert_int_eq(got->kind, sb_kind_of(abi, type));
	}
	ck_assert_msg(got->nparts == (want->pass == SB_PASS_PARTS ? n : 0),
		      "%s %s: value %d: %u parts, want %u", r->abi, r->decl, i, got->nparts,
		      want->pass == SB_PASS_PARTS ? n : 0);
	if (want->pass != SB_PASS_PARTS) {
		check_at(r, i, "value", got->where, got->index, got->offset, &want->at);
		return;
	}
	for (unsigned k = 0; k < n; k++) {
		const struct sb_part *p = &got->part[k];
		const struct xpart *w = &want->part[k];

		ck_assert_msg(p->from == w->from && p->size == w->size && p->cls == w->cls,
			      "%s %s: value %d part %u: from %u size %u class %u, want %u %u %u",
			      r->abi, r->decl, i, k, p->from, p->size, p->cls, w->from, w->size,
			      w->cls);
		check_at(r, i, "part of value", p->where, p->index, p->offset, &w->at);
	}
	/* the place names the first part */
	check_at(r, i, "place of value", got->where, got->index, got->offset, &want->part[0].at);
}

static void check_srow(const struct srow *r)
{
	struct sb_registry reg = { 0 };
	struct sb_plan plan;
	const char *err = NULL;
	int nfixed = r->nfixed ? r->nfixed : r->nargs;

	define_aggs(&reg, r->agg, r->decl);
	ck_assert_msg(sb_classify_in(&reg, ck_abi(r->abi), r->ret, r->args, r->nargs, nfixed,
				     &plan, &err) == 0, "%s %s: %s", r->abi, r->decl, err);
	ck_assert_msg(plan.ret_ptr == r->ret_ptr && plan.nstack == r->nstack &&
		      plan.nvec == r->nvec,
		      "%s %s: ret_ptr %d nstack %u nvec %u, want %d %u %u", r->abi, r->decl,
		      plan.ret_ptr, plan.nstack, plan.nvec, r->ret_ptr, r->nstack, r->nvec);
	check_place(r, &reg, -1, r->ret, &plan.ret, &r->ret_at);
	for (int i = 0; i < r->nargs; i++)
		check_place(r, &reg, i, r->args[i], &plan.args[i], &r->at[i]);
	sb_registry_free(&reg);
}

START_TEST(test_sysv)
{
	check_srow(&sysv_rows[_i]);
}
END_TEST

START_TEST(test_win64)
{
	check_srow(&win64_rows[_i]);
}
END_TEST

START_TEST(test_aapcs64)
{
	check_srow(&aapcs64_rows[_i]);
}
END_TEST

START_TEST(test_apple)
{
	check_srow(&apple_rows[_i]);
}
END_TEST

START_TEST(test_layout)
{
	const struct lrow *r = &layout_rows[_i];
	struct sb_registry reg = { 0 };
	struct sb_layout l;
	uint32_t off[AGG_MEMBERS];
	const char *err = NULL;
	int k = 0;

	define_aggs(&reg, r->agg, r->decl);
	while (k + 1 < ROW_AGGS && r->agg[k + 1].used)
		k++;
	ck_assert_int_eq(sb_type_layout(&reg, ck_abi(r->abi), A0 + k, &l, off, &err), 0);
	ck_assert_msg(l.size == r->size && l.align == r->align, "%s %s: size %u align %u, want %u %u",
		      r->abi, r->decl, l.size, l.align, r->size, r->align);
	for (uint32_t m = 0; m < sb_aggregate(&reg, A0 + k)->nmembers; m++)
		ck_assert_msg(off[m] == r->off[m], "%s %s: member %u at %u, want %u", r->abi,
			      r->decl, m, off[m], r->off[m]);
	sb_registry_free(&reg);
}
END_TEST

/* ---- definitions refused ---- */

static const struct {
	const char *what;
	unsigned is_union, pack, align;
	struct sb_member m[2];
	uint32_t n;
} bad_defs[] = {
	{ "pack 3", 0, 3, 0, { M(I) }, 1 },
	{ "pack 32", 0, 32, 0, { M(I) }, 1 },
	{ "align 3", 0, 0, 3, { M(I) }, 1 },
	{ "align 8192", 0, 0, 8192, { M(I) }, 1 },
	{ "an array of 0", 0, 0, 0, { M(I), MA(C, 0) }, 2 },
	{ "member type 999", 0, 0, 0, { M(999) }, 1 },
	{ "member type -1", 1, 0, 0, { M(I), M(-1) }, 2 },
	{ "an aggregate not defined yet", 0, 0, 0, { M(A0) }, 1 },
	{ "a void member", 0, 0, 0, { M(V) }, 1 },
	{ "over 1 GiB", 0, 0, 0, { MA(C, 1u << 30), M(C) }, 2 },
	{ "over 1 GiB by wrapping", 0, 0, 0, { MA(D, 0x80000000u) }, 1 },
};

START_TEST(test_bad_def)
{
	struct sb_registry reg = { 0 };
	const char *err = NULL;

	ck_assert_msg(sb_define_aggregate(&reg, bad_defs[_i].is_union, bad_defs[_i].pack,
					  bad_defs[_i].align, bad_defs[_i].m, bad_defs[_i].n,
					  &err) == -1, "%s accepted", bad_defs[_i].what);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(reg.naggs, 0);
	sb_registry_free(&reg);
}
END_TEST

/* The limits themselves are accepted: 1 GiB exactly, 4096 members; one
 * member more is refused. */
START_TEST(test_limits)
{
	static struct sb_member many[SB_MAX_MEMBERS + 1];
	const struct sb_member big[] = { MA(I, 1u << 28) };
	struct sb_registry reg = { 0 };
	struct sb_layout l;
	const char *err = NULL;
	int t;

	for (int i = 0; i <= SB_MAX_MEMBERS; i++)
		many[i] = (struct sb_member)M(C);
	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, many, SB_MAX_MEMBERS + 1, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, many, SB_MAX_MEMBERS, &err), A0);
	ck_assert_int_eq(sb_type_layout(&reg, ck_abi("sysv-x64"), A0, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.size, SB_MAX_MEMBERS);
	ck_assert_int_eq(t = sb_define_aggregate(&reg, 0, 0, 0, big, 1, &err), A1);
	ck_assert_int_eq(sb_type_layout(&reg, ck_abi("win64"), t, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.size, SB_MAX_SIZE);
	/* twice 1 GiB as members of one struct is too large */
	{
		const struct sb_member two[] = { M(A1), M(A1) };

		ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, two, 2, &err), -1);
		ck_assert_int_eq(sb_define_aggregate(&reg, 1, 0, 0, two, 2, &err), A2);
	}
	sb_registry_free(&reg);
}
END_TEST

/* SB_MAX_DEPTH levels of nesting are accepted, one more is refused. */
START_TEST(test_depth)
{
	struct sb_registry reg = { 0 };
	struct sb_member m = M(D);
	const char *err = NULL;
	struct sb_layout l;

	for (int level = 1; level <= SB_MAX_DEPTH; level++) {
		int t = sb_define_aggregate(&reg, 0, 0, 0, &m, 1, &err);

		ck_assert_int_eq(t, A0 + level - 1);
		ck_assert_uint_eq(sb_aggregate(&reg, t)->depth, level);
		m = (struct sb_member)M(t);
	}
	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, &m, 1, &err), -1);
	ck_assert_ptr_nonnull(err);
	/* the deepest is still a struct of one double, wherever it goes */
	ck_assert_int_eq(sb_type_layout(&reg, ck_abi("aapcs64"), m.type, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.size, 8);
	sb_registry_free(&reg);
}
END_TEST

/* sb_type_layout: scalars by the ABI's data model, void and unknown ids
 * refused. */
START_TEST(test_scalar_layout)
{
	struct sb_layout l;
	const char *err = NULL;

	ck_assert_int_eq(sb_type_layout(NULL, ck_abi("win64"), SB_LONG, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.size, 4);
	ck_assert_uint_eq(l.align, 4);
	ck_assert_int_eq(sb_type_layout(NULL, ck_abi("sysv-x64"), SB_LONG, &l, NULL, &err), 0);
	ck_assert_uint_eq(l.size, 8);
	ck_assert_int_eq(sb_type_layout(NULL, ck_abi("sysv-x64"), SB_VOID, &l, NULL, &err), -1);
	ck_assert_int_eq(sb_type_layout(NULL, ck_abi("sysv-x64"), A0, &l, NULL, &err), -1);
	ck_assert_int_eq(sb_type_layout(NULL, ck_abi("sysv-x64"), -1, &l, NULL, &err), -1);
}
END_TEST

/* Classification refuses aggregate ids it does not know, and a MEMORY
 * copy that overflows the frame's stack area. */
START_TEST(test_bad_classify)
{
	struct sb_registry reg = { 0 };
	const struct sb_member m[] = { MA(C, SB_STACK_MAX * SB_WORD + 1) };
	struct sb_plan plan;
	const char *err = NULL;
	int args[1] = { A0 };

	ck_assert_int_eq(sb_classify(ck_abi("sysv-x64"), V, args, 1, &plan, &err), -1);
	ck_assert_int_eq(sb_classify(ck_abi("sysv-x64"), A0, NULL, 0, &plan, &err), -1);
	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, m, 1, &err), A0);
	args[0] = A1;
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("aapcs64"), V, args, 1, 1, &plan, &err), -1);
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("aapcs64"), A1, NULL, 0, 0, &plan, &err), -1);
	args[0] = A0;
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("sysv-x64"), V, args, 1, 1, &plan, &err), -1);
	ck_assert_ptr_nonnull(err);
	/* passed by reference elsewhere, it fits */
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("win64"), V, args, 1, 1, &plan, &err), 0);
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("aapcs64"), V, args, 1, 1, &plan, &err), 0);
	sb_registry_free(&reg);
}
END_TEST

/* The registry stores a signature with aggregates once. */
START_TEST(test_registry_define)
{
	struct sb_registry reg = { 0 };
	const struct sb_member m[] = { M(D), M(D) };
	const int args[] = { A0, I };
	const char *err = NULL;
	const struct sb_plan *p, *q;

	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, m, 2, &err), A0);
	p = sb_registry_define(&reg, ck_abi("sysv-x64"), A0, args, 2, 2, &err);
	ck_assert_ptr_nonnull(p);
	q = sb_registry_define(&reg, ck_abi("sysv-x64"), A0, args, 2, 2, &err);
	ck_assert_ptr_eq(p, q);
	ck_assert_uint_eq(p->args[0].pass, SB_PASS_PARTS);
	ck_assert_uint_eq(reg.len, 1);
	sb_registry_free(&reg);
}
END_TEST

/* A part's stack byte index past 255 (Win64: an 8-byte struct as the
 * 41st argument, at byte 288), found by test/fuzz/fuzz_classify.c: it
 * was a uint8_t, and explain() showed offset 32. */
START_TEST(test_stack_part_index)
{
	struct sb_registry reg = { 0 };
	const struct sb_member m[] = { M(I), M(I) };
	int args[41];
	struct sb_plan plan;
	const char *err = NULL;

	for (int i = 0; i < 40; i++)
		args[i] = I;
	args[40] = A0;
	ck_assert_int_eq(sb_define_aggregate(&reg, 0, 0, 0, m, 2, &err), A0);
	ck_assert_int_eq(sb_classify_in(&reg, ck_abi("win64"), V, args, 41, 41, &plan, &err), 0);
	ck_assert_uint_eq(plan.args[40].pass, SB_PASS_PARTS);
	ck_assert_uint_eq(plan.args[40].index, 288);
	ck_assert_uint_eq(plan.args[40].part[0].where, SB_IN_STACK);
	ck_assert_uint_eq(plan.args[40].part[0].index, 288);
	ck_assert_uint_eq(plan.args[40].part[0].offset, SB_OFF_STACK + 288);
	sb_registry_free(&reg);
}
END_TEST

#define NROWS(t) (int)(sizeof t / sizeof t[0])

Suite *struct_suite(void)
{
	Suite *s = suite_create("struct");
	TCase *tc = tcase_create("placement");

	tcase_add_loop_test(tc, test_sysv, 0, NROWS(sysv_rows));
	tcase_add_loop_test(tc, test_win64, 0, NROWS(win64_rows));
	tcase_add_loop_test(tc, test_aapcs64, 0, NROWS(aapcs64_rows));
	tcase_add_loop_test(tc, test_apple, 0, NROWS(apple_rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("definition");
	tcase_add_loop_test(tc, test_layout, 0, NROWS(layout_rows));
	tcase_add_loop_test(tc, test_bad_def, 0, NROWS(bad_defs));
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_scalar_layout);
	tcase_add_test(tc, test_bad_classify);
	tcase_add_test(tc, test_registry_define);
	tcase_add_test(tc, test_stack_part_index);
	suite_add_tcase(s, tc);
	return s;
}
