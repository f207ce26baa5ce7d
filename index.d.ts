// Type declarations for sbffi's public API.

/** A native address. */
export type Pointer = bigint;

/** What a pointer argument accepts: its data address is passed, and the
 * object is kept alive for the call. */
export type PointerLike = Pointer | null | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Callback;

/** A C type name: 'int', 'unsigned long', 'uint8_t', 'double', 'const char *', 'void *', ... */
export type TypeName = string;

export interface FuncOptions {
  /** false: 64-bit integer results come back as Number (exact below 2^53). Default true. */
  bigint?: boolean;
}

/** A C function made callable. Arguments: Number (and BigInt) for integers,
 * boolean for bool, Number for float and double, PointerLike for pointers,
 * and string too for char pointers. Results: Number, BigInt for 64-bit
 * integers and pointers, string or null for const char *, undefined for void. */
export interface NativeFunction {
  (...args: any[]): any;
  /** The function's address. */
  readonly address: Pointer;
  /** The signature as sbffi understood it. */
  readonly signature: string;
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
  /** dlclose: the library's functions then throw instead of crashing. */
  close(): void;
}

/** Open a shared library by path or name; null opens the running process. */
export declare function dlopen(path: string | null): Library;

export interface Placement {
  type: string;
  /** scalar kind: 'i32', 'u64', 'f64', 'ptr', ... */
  kind: string;
  /** register name ('rdi', 'xmm0'), 'stack', or 'none' for a void return */
  where: string;
  /** parameter name from the prototype, if it had one */
  name?: string;
  /** byte offset in the stack argument area, for 'stack' */
  offset?: number;
}

export interface Explanation {
  abi: string;
  function: string;
  return: Placement;
  args: Placement[];
  /** bytes of stack arguments */
  stackBytes: number;
}

/** Where each argument and the return value go under an ABI (default: the host's). */
export declare function explain(prototype: string,
  abi?: 'sysv-x64' | 'win64' | 'aapcs64' | 'apple-arm64' | string): Explanation;

/** An ArrayBuffer over native memory, without a copy (a copy where the
 * embedder forbids external buffers). */
export declare function view(ptr: Pointer, byteLength: number): ArrayBuffer;

/** The NUL-terminated UTF-8 string at ptr; null for NULL. */
export declare function readCString(ptr: Pointer | null): string | null;

/** The data address of a Buffer, typed array, DataView or ArrayBuffer. */
export declare function address(buffer: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): Pointer;

/** Size in bytes of a C type on this host. */
export declare function sizeof(type: TypeName): number;

/** The host's ABI name, e.g. 'sysv-x64' or 'aapcs64'. */
export declare const abi: string;

/** Every ABI explain() knows: ['sysv-x64', 'win64', 'aapcs64', 'apple-arm64']. */
export declare const abis: string[];

/** sbffi 1.x: a function from a library path, name, return and argument types. */
export declare function getNativeFunction(path: string, name: string, returnType: TypeName, argTypes: TypeName[]): NativeFunction;

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

/** sbffi 1.x: a callback's function pointer; release it with destroyCallback. */
export declare function createCallback(fn: (...args: any[]) => any, returnType: TypeName,
  argTypes: TypeName[]): Pointer;
export declare function destroyCallback(pointer: Pointer): void;
