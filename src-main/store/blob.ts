/**
 * Typed arrays ⇄ SQLite BLOBs. Blobs are always little-endian; reading copies into a fresh,
 * aligned ArrayBuffer because the Buffers SQLite hands back may be unaligned or share memory, and a
 * caller may want to transfer the result to a worker.
 */
import { endianness } from 'node:os';

export type Dtype = 'float64' | 'float32' | 'int32' | 'uint32' | 'int16' | 'uint16' | 'int8' | 'uint8';

export type TypedArrayOf<D extends Dtype> =
  D extends 'float64' ? Float64Array :
  D extends 'float32' ? Float32Array :
  D extends 'int32' ? Int32Array :
  D extends 'uint32' ? Uint32Array :
  D extends 'int16' ? Int16Array :
  D extends 'uint16' ? Uint16Array :
  D extends 'int8' ? Int8Array :
  Uint8Array;

export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

const CTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
} as const;

/** Every dtype, in order of preference when guessing from a typed array. */
export const DTYPES: readonly Dtype[] = Object.keys(CTORS) as Dtype[];

const LITTLE_ENDIAN = endianness() === 'LE';

/** True when `s` names a dtype the store knows. */
export function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.hasOwn(CTORS, s);
}

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: Dtype): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/** The dtype of a typed array, or undefined for DataView, BigInt arrays and Uint8ClampedArray. */
export function dtypeOf(view: ArrayBufferView): Dtype | undefined {
  // A Node Buffer is a Uint8Array subclass, so it reads as uint8.
  for (const dtype of DTYPES) if (view instanceof CTORS[dtype]) return dtype;
  return undefined;
}

/** Number of elements of a shape (1 for a scalar []). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The little-endian bytes of a typed array as a Buffer for binding (no copy on little-endian hosts). */
export function toBlob(view: ArrayBufferView): Buffer {
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const dtype = dtypeOf(view);
  if (LITTLE_ENDIAN || dtype === undefined || bytesPerElement(dtype) === 1) return bytes;
  return swapBytes(Buffer.from(bytes), bytesPerElement(dtype));
}

/** A fresh typed array of `dtype` holding a copy of the little-endian bytes of `blob`. */
export function fromBlob<D extends Dtype>(blob: Uint8Array, dtype: D): TypedArrayOf<D> {
  const size = bytesPerElement(dtype);
  if (blob.byteLength % size !== 0) {
    throw new RangeError(`a ${dtype} blob must have a multiple of ${size} bytes (found ${blob.byteLength})`);
  }
  const out = new CTORS[dtype](blob.byteLength / size);
  const bytes = new Uint8Array(out.buffer);
  bytes.set(blob);
  if (!LITTLE_ENDIAN && size > 1) swapBytes(bytes, size);
  return out as TypedArrayOf<D>;
}

function swapBytes<T extends Uint8Array>(bytes: T, size: number): T {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
  return bytes;
}
