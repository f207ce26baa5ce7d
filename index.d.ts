// Type declarations for sbffi's public API.

/** A native address. */
export type Pointer = bigint;

/** What a pointer argument accepts: its data address is passed, and the
 * object is kept alive for the call. */
export type PointerLike = Pointer | null | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Callback;

/** A C type: a name ('int', 'unsigned long', 'uint8_t', 'double', 'const char *',
 * 'void *', 'Vec2', 'struct Vec2 *', ...) or a struct or union type. */
export type TypeName = string | StructType;

/** A struct or union type from struct() or union(). */
export interface StructType {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  /** the fields in layout order; dims of a fixed array field ('float[2][3]': [2, 3]) */
  readonly fields: ReadonlyArray<{ readonly name: string; readonly type: string | StructType; readonly dims: readonly number[] }>;
  readonly pack: number;
  readonly align: number;
}

export interface StructOptions {
  /** #pragma pack(n): 1, 2, 4, 8 or 16 */
  pack?: number;
  /** the least alignment, as __attribute__((aligned(n))): a power of two */
  align?: number;
}

/** Fields in layout order: { x: 'float', v: 'int32_t[3]', name: 'char[16]', min: 'Vec2' },
 * or a declaration body 'float x, y; int32_t v[3];'. */
export type Fields = Record<string, TypeName> | string;

/** A struct value: a plain object with its fields (missing ones are zero); numeric
 * arrays as arrays or typed arrays, char[n] as strings, 64-bit integers as BigInt. */
export type StructValue = { [field: string]: any };

export interface FuncOptions {
  /** false: 64-bit integer results come back as Number (exact below 2^53). Default true. */
  bigint?: boolean;
  /** true: errno (and GetLastError() on Windows) is set from errno(n) / lastError(n)
   * before the target runs and saved the moment it returns, for errno() and
   * lastError() to read. Default false: the call costs nothing more. */
  errno?: boolean;
}

/** A C function made callable. Arguments: Number (and BigInt) for integers,
 * boolean for bool, Number for float and double, PointerLike for pointers,
 * and string too for char pointers. Results: Number, BigInt for 64-bit
 * integers and pointers, string or null for const char *, undefined for void. */
export interface NativeFunction {
  /** A variadic function ('int printf(const char *, ...)') takes its fixed
   * arguments, then a type and a value for each anonymous one:
   * printf('%d %s', 'int', 42, 'const char *', 'hi'). */
  (...args: any[]): any;
  /** The same call on a thread of the libuv pool: resolves with what the
   * synchronous call returns, rejects with what it throws. Its arguments are
   * kept alive until it settles; callbacks C makes meanwhile, from any
   * thread, run on this thread's event loop. */
  async(...args: any[]): Promise<any>;
  /** The function's address. */
  readonly address: Pointer;
  /** The signature as sbffi understood it. */
  readonly signature: string;
  /** The JavaScript generated for this signature, for reading (undefined for a
   * variadic function, which has one per list of anonymous types). */
  readonly source: string | undefined;
}

export declare class Library {
  /** The path given to dlopen, or null for the running process. */
  readonly path: string | null;
  /** True after close(). */
  readonly closed: boolean;
  /** func('size_t strlen(const char *s)') */
  func(prototype: string, options?: FuncOptions): NativeFunction;
  /** func('add', 'uint32_t', ['uint32_t', 'uint32_t']) */
  func(name: string, returnType: TypeName, argTypes: TypeName[], options?: FuncOptions): NativeFunction;
  /** The address of an exported symbol. */
  symbol(name: string): Pointer;
  /** dlclose: the library's functions then throw instead of crashing; .async
   * calls still running keep it loaded until they return. */
  close(): void;
}

/** How the loader binds a library (README, "Libraries node already contains").
 * Each does nothing on Windows, where a DLL's imports each name their DLL. */
export interface DlopenOptions {
  /** RTLD_LAZY: functions bound at their first call, so a library with an
   * unresolved one opens (calling that one ends the process). */
  lazy?: boolean;
  /** RTLD_GLOBAL: libraries opened later can use its symbols. */
  global?: boolean;
  /** RTLD_DEEPBIND: its own symbols before node's (a system zlib or OpenSSL
   * runs whole, not into node's copy); throws where the C library has none
   * (musl). false, given: no warning that node exports some of its symbols. */
  deepbind?: boolean;
}

/** Open a shared library by path or name; null opens the running process. */
export declare function dlopen(path: string | null, options?: DlopenOptions): Library;

export interface Placement {
  type: string;
  /** scalar kind: 'i32', 'u64', 'f64', 'ptr', ..., or 'agg' for a struct or union */
  kind: string;
  /** register name ('rdi', 'xmm0'), 'stack', or 'none' for a void return; for an
   * aggregate in registers, its registers ('rdi, xmm0'); 'memory' for a result
   * written through a hidden pointer */
  where: string;
  /** parameter name from the prototype, if it had one */
  name?: string;
  /** byte offset in the stack argument area, for 'stack' */
  offset?: number;
  /** an aggregate's size in bytes */
  size?: number;
  /** how an aggregate travels */
  pass?: 'registers' | 'stack' | 'reference' | 'empty';
  /** an aggregate in registers: which bytes go where, and the class that decided
   * (System V 'INTEGER' / 'SSE', AAPCS64 'HFA' member / 'GPR' double-word) */
  parts?: { bytes: [number, number]; where: string; class: string; offset?: number }[];
  /** a result through a hidden pointer: the register that carries it ('rdi', 'rcx', 'x8') */
  pointer?: string;
  /** an anonymous argument of a variadic call (explain's options.varargs) */
  variadic?: true;
  /** the type an anonymous float or narrow integer travels as */
  promoted?: 'double' | 'int';
}

export interface ExplainOptions {
  /** a variadic prototype's anonymous argument types, for one call */
  varargs?: TypeName[];
}

export interface Explanation {
  abi: string;
  function: string;
  return: Placement;
  args: Placement[];
  /** bytes of stack arguments */
  stackBytes: number;
  /** the placement drawn as an SVG document: the argument registers, the
   * result's place and the stack from sp up, a colour per argument (not
   * enumerable: JSON.stringify leaves it out) */
  svg(): string;
}

/** Where each argument and the return value go under an ABI (default: the host's). */
export declare function explain(prototype: string,
  abi?: 'sysv-x64' | 'win64' | 'aapcs64' | 'apple-arm64' | string, options?: ExplainOptions): Explanation;

/** Runs fn, recording the calls of sbffi functions it makes on this thread
 * instead of making them (each returns undefined), then makes them in
 * order in one crossing; returns how many ran (undefined when nested
 * inside another batch, which it joins). An error thrown out of fn, or an
 * argument error, throws out of batch and drops the calls still queued;
 * Error objects get batchCalls, how many ran. */
export declare function batch(fn: () => void): number | undefined;

/** errno as the last call declared { errno: true } on this thread left it. */
export declare function errno(): number;
/** Sets the value errno has when the next such call starts (0 before strtol). */
export declare function errno(value: number): void;
/** Windows: GetLastError() as the last call declared { errno: true } on this
 * thread left it (0 elsewhere). */
export declare function lastError(): number;
/** Windows: the value SetLastError() gives before the next such call. */
export declare function lastError(value: number): void;

/** An ArrayBuffer over native memory, without a copy (a copy where the
 * embedder forbids external buffers). */
export declare function view(ptr: Pointer, byteLength: number): ArrayBuffer;

/** The NUL-terminated UTF-8 string at ptr; null for NULL. */
export declare function readCString(ptr: Pointer | null): string | null;

/** The data address of a Buffer, typed array, DataView or ArrayBuffer. */
export declare function address(buffer: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): Pointer;

type AbiName = 'sysv-x64' | 'win64' | 'aapcs64' | 'apple-arm64';

/** Size in bytes of a C type ('int', 'Vec2', 'int32_t[3]'), as the C compiler of
 * the host (or of abi) lays it out. */
export declare function sizeof(type: TypeName, abi?: AbiName | string): number;
/** Alignment in bytes of a C type. */
export declare function alignof(type: TypeName, abi?: AbiName | string): number;
/** Byte offset of a field ('d', or 'min.x' through nested structs). */
export declare function offsetof(type: TypeName, field: string, abi?: AbiName | string): number;

/** Define a struct type: struct('Vec2', { x: 'float', y: 'float' }) or
 * struct('struct Color { uint8_t r, g, b, a; }'). The same layout again returns
 * the same type; a different one throws. */
export declare function struct(name: string, fields: Fields, options?: StructOptions): StructType;
export declare function struct(declaration: string, options?: StructOptions): StructType;
/** Define a union type; its value is an object with exactly one member set. */
export declare function union(name: string, fields: Fields, options?: StructOptions): StructType;
export declare function union(declaration: string, options?: StructOptions): StructType;
/** A type usable through pointers only ('FILE *'). */
export declare function opaque(name: string): string;

/** The value of a type in memory (a BigInt pointer or a buffer), as a JS value. */
export declare function decode(target: Pointer | ArrayBuffer | ArrayBufferView, type: TypeName,
  options?: { bigint?: boolean }): any;
/** Write a JS value of a type into memory. */
export declare function encode(target: Pointer | ArrayBuffer | ArrayBufferView, type: TypeName,
  value: any): void;

/** The host's ABI name, e.g. 'sysv-x64' or 'aapcs64'. */
export declare const abi: string;

/** Every ABI explain() knows: ['sysv-x64', 'win64', 'aapcs64', 'apple-arm64']. */
export declare const abis: string[];

/** sbffi 1.x: a function from a library path (null: the running process), name, return and
 *  argument types; an argument [ret, [args]] takes a plain function (a simple callback). */
export declare function getNativeFunction(path: string | null, name: string, returnType: TypeName,
  argTypes: (TypeName | [TypeName, TypeName[]])[]): NativeFunction;

/** sbffi 1.x: the address of a buffer's data. */
export declare function getBufferPointer(buffer: ArrayBuffer | ArrayBufferView): Pointer;

/** Options of a callback. */
export interface CallbackOptions {
  /** 64-bit integer arguments as Numbers instead of BigInts. */
  bigint?: boolean;
  /** Void callbacks only: a call from another thread does not wait for JS. */
  fireAndForget?: boolean;
}

/**
 * A C function pointer that calls a JS function; passes wherever a pointer
 * is expected. Valid until close().
 */
export declare class Callback {
  /** The function pointer. */
  readonly address: Pointer;
  /** The signature as parsed, e.g. 'int (*)(const void *, const void *)'. */
  readonly signature: string;
  readonly closed: boolean;
  /** Later calls from C return zero; twice is fine. */
  close(): void;
  /** sbffi 1.x: the same as close(). */
  destroy(): void;
  /** Keep the event loop alive while this is open, as a ref'd timer does
   *  (callbacks start unref'd; createCallback's start ref'd). Returns this. */
  ref(): this;
  /** Let the event loop end while this is open (the default). Returns this. */
  unref(): this;
}

/**
 * A callback from a C function type ('int (const void *, const void *)' or
 * 'int cmp(const void *a, const void *b)'), or from a return type and
 * argument types.
 */
export declare function callback(signature: string, fn: (...args: any[]) => any,
  options?: CallbackOptions): Callback;
export declare function callback(returnType: TypeName, argTypes: (TypeName | [TypeName, TypeName[]])[],
  fn: (...args: any[]) => any, options?: CallbackOptions): Callback;

/** How many callbacks can be open at once (a build-time constant). */
export declare const trampolineCount: number;

/** sbffi 1.x: a callback C may call any number of times, from any thread, until destroy();
 *  it keeps the event loop alive until then. */
export declare function createCallback(fn: (...args: any[]) => any,
  signature: [TypeName, TypeName[]]): Callback;
