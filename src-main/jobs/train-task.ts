/**
 * One network training as a unit of work, so it can run in a worker thread: tfjs' wasm backend is
 * single-threaded under Node, so the way to use all cores is one network per thread (the scaling
 * curve's networks train beside the main one). Progress goes out on an optional MessagePort.
 */
import type { MessagePort } from 'node:worker_threads';
import { initBackend } from '../learn/backend.ts';
import { trainNetwork } from '../learn/train.ts';
import type { BackendName, NetworkArtifact, TrainingData, TrainOptions, TrainProgress } from '../learn/types.ts';

export interface TrainTask {
  data: TrainingData;
  options: TrainOptions;
  backend?: BackendName | 'auto';
  /** Receives TrainProgress messages. */
  port?: MessagePort;
  /** Stops training (in this thread; a worker-thread task is cancelled through piscina's signal). */
  signal?: AbortSignal;
}

/** Train one network (initialising the backend first); returns its artifact. */
export async function runTrainTask(task: TrainTask): Promise<NetworkArtifact> {
  await initBackend(task.backend ?? 'auto');
  try {
    return await trainNetwork(task.data, task.options, {
      onProgress: task.port ? (p: TrainProgress) => task.port!.postMessage(p) : undefined,
      signal: task.signal,
    });
  } finally {
    task.port?.close();
  }
}
