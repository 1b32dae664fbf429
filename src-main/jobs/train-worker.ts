/** Worker-thread entry for network training (loaded by piscina). */
import { runTrainTask } from './train-task.ts';
import type { TrainTask } from './train-task.ts';

export default function run(task: TrainTask) {
  return runTrainTask(task);
}
