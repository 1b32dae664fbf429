/** Messages between the Explore screen and its simulation Web Worker (no engine round trip). */
import type { Model } from '../../src-main/model/schema.ts';

export interface SeriesSet {
  times: number[];
  ids: string[];
  /** values[i][k]: series i at times[k] */
  values: number[][];
}

export interface Band {
  times: number[];
  ids: string[];
  /** q[i] = {q05, q25, q50, q75, q95}[k] for series i */
  q: { q05: number[]; q25: number[]; q50: number[]; q75: number[]; q95: number[] }[];
  nOk: number;
  nFailed: number;
}

export type WorkerRequest =
  | { type: 'run'; id: number; model: Model; times: number[]; params: Record<string, number>; seed: number; stochastic: boolean; replicates: number }
  | { type: 'band'; id: number; model: Model; times: number[]; n: number; seed: number };

export type WorkerResponse =
  | { type: 'run'; id: number; deterministic: SeriesSet; stochastic: SeriesSet[]; ms: number }
  | { type: 'band'; id: number; band: Band; ms: number }
  | { type: 'error'; id: number; message: string };
