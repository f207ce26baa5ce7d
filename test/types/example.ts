// Every function of sbffi's public API, typed: tsc --strict --noEmit over
// this file checks index.d.ts (make check-types). It is compiled, not run.
import * as ffi from '../../index';

declare const Buffer: { alloc(n: number): Uint8Array };

const libc: ffi.Library = ffi.dlopen(null);
const lib = ffi.dlopen('./libgeom.so');
const libz: ffi.Library = ffi.dlopen('libz.so.1', { deepbind: true, lazy: false, global: false });
const strlen: ffi.NativeFunction = libc.func('size_t strlen(const char *s)');
const n: bigint = strlen('hello');
const add = lib.func('add', 'uint32_t', ['uint32_t', 'uint32_t'], { bigint: false });
const sum: number = add(2, 3);
const where: string = add.signature + strlen.source;
const addr: ffi.Pointer = add.address;
const sym: bigint = lib.symbol('add');

// structs, unions, opaque types
const Vec2: ffi.StructType = ffi.struct('Vec2', { x: 'float', y: 'float' });
const Rect = ffi.struct('Rect', { min: 'Vec2', max: Vec2 });
ffi.struct('struct Color { uint8_t r, g, b, a; }');
ffi.struct('Wire', { a: 'char', b: 'int' }, { pack: 1 });
ffi.struct('Quad', 'float x, y, z, w;', { align: 16 });
const Num: ffi.StructType = ffi.union('Num', { i: 'int64_t', d: 'double' });
ffi.union('union Bits { float f; uint32_t u; }');
const file: string = ffi.opaque('FILE');
const kind: 'struct' | 'union' = Num.kind;
const fieldNames: string[] = Rect.fields.map((f) => f.name + f.dims.join());
const sizes: number[] = [ffi.sizeof('Rect'), ffi.sizeof(Vec2, 'win64'), ffi.alignof('Num'),
  ffi.offsetof('Rect', 'max.y'), ffi.offsetof(Rect, 'min', 'aapcs64'), Rect.pack + Rect.align];
const vadd = lib.func('Vec2 vadd(Vec2 a, Vec2 b)');
const v: ffi.StructValue = vadd({ x: 1, y: 2 }, { x: 3, y: 4 });
const out = Buffer.alloc(ffi.sizeof('Rect'));
lib.func('void get_bounds(Rect *out)')(out);
const decoded: ffi.StructValue = ffi.decode(out, 'Rect');
const asNumbers = ffi.decode(ffi.address(out), 'int64_t', { bigint: false });
ffi.encode(out, Rect, { min: v, max: { x: 5, y: 6 } });

// async, variadic, errno
const strtol = libc.func('long strtol(const char *s, char **end, int base)', { errno: true, bigint: false });
ffi.errno(0);
const parsed: number = strtol('12', null, 10);
const err: number = ffi.errno() + ffi.lastError();
ffi.lastError(0);
const later: Promise<any> = strlen.async('hello');
// batches
const made: number | undefined = ffi.batch(() => { strlen('a'); strlen('b'); });
const snprintf = libc.func('int snprintf(char *, size_t, const char *, ...)');
const printed: number = snprintf(out, 64n, '%d %s', 'int', 42, 'const char *', 'hi');
const va: ffi.Explanation = ffi.explain('int printf(const char *, ...)', 'win64', { varargs: ['double', Vec2] });
const promoted = va.args.map((a) => [a.variadic, a.promoted]);

// memory
const ab: ArrayBuffer = ffi.view(addr, 16);
const s: string | null = ffi.readCString(null);
const p: ffi.Pointer = ffi.address(new Uint8Array(ab));

// explain
const e: ffi.Explanation = ffi.explain('Vec2 f(Vec2 v, int a)', 'sysv-x64');
const first: ffi.Placement = e.args[0];
const parts = first.parts ?? [];
const text: string = [e.abi, e.function, e.return.where, first.pass, first.size, first.pointer, e.stackBytes,
  parts.map((q) => `${q.bytes[0]}-${q.bytes[1]} ${q.where} ${q.class}`).join()].join(' ');
const picture: string = e.svg();
const abis: string[] = ffi.abis.concat(ffi.abi);

// callbacks
const cmp: ffi.Callback = ffi.callback('int (const void *a, const void *b)', (a: bigint, b: bigint) => 0);
const cb2 = ffi.callback('void', ['int', 'Vec2'], () => undefined, { fireAndForget: true, bigint: false });
libc.func('void qsort(void *, size_t, size_t, int (*)(const void *, const void *))')(out, 2n, 4n, cmp);
const cbInfo: string = cmp.signature + String(cmp.address) + String(cmp.closed);
cmp.close();
cb2.destroy();
const count: number = ffi.trampolineCount;

// sbffi 1.x
const f1: ffi.NativeFunction = ffi.getNativeFunction('./libadder.so', 'add', 'int', ['int', 'int']);
const bp: ffi.Pointer = ffi.getBufferPointer(out);
const cb1: ffi.Callback = ffi.createCallback((x: number) => x, ['int', ['int']]);
cb1.unref().ref();
cb1.destroy();
lib.close();

export const used = [parsed, err, later, printed, promoted, n, sum, where, sym, file, kind, fieldNames, sizes, decoded, asNumbers, s, p, text, abis,
  cbInfo, count, f1, bp];
