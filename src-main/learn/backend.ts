/**
 * TensorFlow.js backend choice at run time, fastest first: tfjs-node-gpu (CUDA) → tfjs-node →
 * wasm → cpu. The native packages are optionalDependencies that cannot install on the development
 * and CI machines, so they are imported dynamically and any failure falls through to the next
 * backend with the reason recorded (printed by `backendInfo`).
 *
 * On wasm, BatchMatMul (and _FusedMatMul) with transposeA/transposeB is 10–15× slower than the
 * plain product, and every backward pass of a dense layer uses those flags. We re-register the
 * kernels so that a transposed operand is first materialised by the Transpose kernel and the plain
 * kernel does the product: about 4–5× faster training, equal to cpu within 1e-5 (tested).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from './types.ts';

/** Why a faster backend was not used. */
export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

/** What `initBackend` chose, for logs, the CLI and each network's record. */
export interface BackendInfo {
  name: BackendName;
  /** The name tfjs knows the backend by ('tensorflow' for both native packages). */
  tfBackend: string;
  tfjsVersion: string;
  /** wasm only: SIMD in use, and whether the transposed-matMul fix is registered. */
  wasmSimd?: boolean;
  wasmMatMulFix?: boolean;
  fallbacks: BackendFallback[];
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const NATIVE_PACKAGE: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: BackendInfo | null = null;
let wasmPathsSet = false;
/** Original wasm kernels, kept so the fix can be switched off for benchmarks. */
const originalKernels = new Map<string, tf.KernelConfig>();

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

async function tryNative(name: BackendName): Promise<void> {
  // A variable specifier: TypeScript and bundlers must not resolve the optional packages.
  const specifier = NATIVE_PACKAGE[name] as string;
  await import(specifier);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} loaded but the 'tensorflow' backend did not initialise`);
}

async function tryWasm(): Promise<void> {
  if (!wasmPathsSet) {
    // In Node the .wasm binaries are read from disk: point the loader at the package's dist folder.
    const require = createRequire(import.meta.url);
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(path.dirname(wasmFile) + path.sep);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  setWasmMatMulFix(true);
}

async function tryBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') return tryWasm();
  if (name === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
    return;
  }
  return tryNative(name);
}

/**
 * Selects the fastest working backend, starting at `preferred` ('auto' = the fastest of all) and
 * falling back down the order tensorflow-gpu → tensorflow → wasm → cpu. Returns the name used.
 */
export async function initBackend(preferred: BackendName | 'auto' = 'auto'): Promise<BackendName> {
  if (preferred !== 'auto' && !ORDER.includes(preferred)) {
    throw new Error(`initBackend: unknown backend '${String(preferred)}'; valid: auto, ${ORDER.join(', ')}`);
  }
  if (current && (preferred === 'auto' ? current.fallbacks.length === ORDER.indexOf(current.name) : current.name === preferred)) {
    if (tf.getBackend() === current.tfBackend) return current.name;
  }
  const start = preferred === 'auto' ? 0 : ORDER.indexOf(preferred);
  const fallbacks: BackendFallback[] = [];
  for (const name of ORDER.slice(start)) {
    try {
      await tryBackend(name);
      await tf.ready();
      current = {
        name,
        tfBackend: tf.getBackend(),
        tfjsVersion: tf.version.tfjs,
        fallbacks,
        ...(name === 'wasm' ? { wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), wasmMatMulFix: originalKernels.size > 0 } : {}),
      };
      return name;
    } catch (e) {
      fallbacks.push({ backend: name, reason: message(e) });
    }
  }
  throw new Error(`initBackend: no TensorFlow.js backend works: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}

/** The backend chosen by the last `initBackend` (null before it), with the reasons for any fallback. */
export function backendInfo(): BackendInfo | null {
  return current && { ...current, fallbacks: [...current.fallbacks] };
}

/** One line for logs and the CLI, e.g. "wasm (SIMD, matMul fix) — tensorflow-gpu: Cannot find module …". */
export function describeBackend(info: BackendInfo | null = current): string {
  if (!info) return 'no backend initialised';
  const extras = info.name === 'wasm' ? ` (${info.wasmSimd ? 'SIMD' : 'no SIMD'}${info.wasmMatMulFix ? ', matMul fix' : ''})` : '';
  const why = info.fallbacks.map((f) => `${f.backend} unavailable: ${f.reason}`).join('; ');
  return `tfjs ${info.tfjsVersion} backend ${info.name}${extras}${why ? ` — ${why}` : ''}`;
}

/** The backend name recorded with a network: the current one, initialising 'auto' if none was. */
export async function currentBackend(): Promise<BackendName> {
  if (current && tf.getBackend() === current.tfBackend) return current.name;
  return initBackend('auto');
}

/** Swaps the last two axes of a rank ≥ 2 tensor with the backend's own Transpose kernel. */
function transposeLast2(x: tf.TensorInfo, backend: tf.KernelBackend, transpose: tf.KernelConfig): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

function fixedMatMul(original: tf.KernelConfig): tf.KernelConfig {
  const transpose = tf.getKernel('Transpose', 'wasm');
  return {
    ...original,
    kernelFunc(args) {
      const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      // The kernel API types the backend as {}; every backend implements disposeData.
      const backend = args.backend as tf.KernelBackend;
      const inputs = { ...args.inputs };
      const temporaries: tf.TensorInfo[] = [];
      if (attrs.transposeA) temporaries.push(inputs.a = transposeLast2(inputs.a as tf.TensorInfo, backend, transpose));
      if (attrs.transposeB) temporaries.push(inputs.b = transposeLast2(inputs.b as tf.TensorInfo, backend, transpose));
      try {
        return original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      } finally {
        for (const t of temporaries) backend.disposeData(t.dataId);
      }
    },
  };
}

/**
 * Registers (true) or removes (false) the transposed-matMul fix on the wasm backend. Idempotent.
 * Exposed so benchmarks and tests can compare the stock kernels.
 */
export function setWasmMatMulFix(enabled: boolean): void {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const registered = tf.getKernel(kernelName, 'wasm');
    if (!registered) continue;
    const original = originalKernels.get(kernelName);
    if (enabled === (original !== undefined)) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    if (enabled) {
      originalKernels.set(kernelName, registered);
      tf.registerKernel(fixedMatMul(registered));
    } else {
      originalKernels.delete(kernelName);
      tf.registerKernel(original as tf.KernelConfig);
    }
  }
  if (current?.name === 'wasm') current.wasmMatMulFix = originalKernels.size > 0;
}
