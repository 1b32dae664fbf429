/**
 * What a fit or a mechanism comparison produced, as plain JSON: the input of the HTML report, the
 * body of `sgnn fit --json` (a superset of its contract) and what the UI's Results screen shows.
 */
import type { Model } from '../model/schema.ts';
import type { EpochRecord, HeadKind, PosteriorSummary } from '../learn/types.ts';
import type { ParameterCheck, ScalingFit, UniformityTest, Verdict } from '../analyze/metrics.ts';
import type { MismatchReport } from '../analyze/mismatch.ts';
import type { ConfusionMatrix, SelectorComparison } from '../analyze/confusion.ts';
import type { MechanismContribution, SalientPoint } from '../analyze/attribution.ts';

/** A ParameterCheck as JSON (SBC ranks as a plain array). */
export type ParameterCheckJson = Omit<ParameterCheck, 'sbc'> & {
  sbc: (Omit<UniformityTest, 'histogram' | 'expected'> & { histogram: number[]; expected: number[]; ranks: number[] }) | null;
};

export interface PredictiveBand {
  times: number[];
  q025: number[];
  q25: number[];
  q50: number[];
  q75: number[];
  q975: number[];
}

export interface DatasetResult {
  id: string;
  /** The observed data over the design times (null = missing). */
  observed: { times: number[]; values: Record<string, (number | null)[]> };
  /** Per unknown parameter (and derived quantity), posterior summaries in the parameter's own units. */
  estimates: Record<string, PosteriorSummary>;
  /** Derived quantities (rules over parameters only, e.g. R0 = beta / gamma). */
  derived: Record<string, PosteriorSummary>;
  /** Posterior samples per parameter (at most 1000 each). */
  samples: Record<string, number[]>;
  /** Posterior-predictive bands (with observation noise) of every observed observable. */
  predictive: Record<string, PredictiveBand>;
  /** How typical the data are among simulations (network embedding). */
  mismatch: { distance: number; percentile: number; pValue: number; verdict: Verdict } | null;
  attribution: {
    /** Simulated runs nearest to the data in embedding space, with their parameters. */
    nearest: { run: number; distance: number; model: string; params: Record<string, number> }[];
    /** Per parameter: the data points that move its estimate most. */
    salient: Record<string, SalientPoint[]>;
    /** With several mechanisms: each one's probability and share of the estimate. */
    mechanisms?: MechanismContribution[];
  };
  /** Mechanism comparison (sgnn compare). */
  comparison?: {
    sgnn: { probabilities: Record<string, number>; choice: string };
    aic: { values: Record<string, number>; choice: string; weights: Record<string, number> };
    bic: { values: Record<string, number>; choice: string; weights: Record<string, number> };
    /** Maximum-likelihood estimates per model. */
    ml: Record<string, { theta: Record<string, number>; logLik: number; converged: boolean }>;
  };
}

export interface FitReport {
  kind: 'fit' | 'compare';
  title: string;
  createdAt: string;
  appVersion: string;
  /** The tfjs backend that trained the network, and a one-line description. */
  backend: string;
  backendDescription: string;
  models: { name: string; model: Model }[];
  design: { times: number[]; observables: string[]; tStart: number };
  settings: { sims: number; heldOut: number; head: HeadKind; encoder: string; seed: number; epochs: number; width: number; online?: boolean };
  training: { history: EpochRecord[]; seconds: number; nTrain: number; stoppedEarly: boolean };
  checks: {
    /** Parameter recovery, calibration and coverage on held-out simulations (fit). */
    parameters: ParameterCheckJson[];
    /** For scatter plots: held-out truth vs estimate with 95% intervals (≤ 300 runs per parameter). */
    recovery: { paramId: string; truth: number[]; mean: number[]; lower: number[]; upper: number[] }[];
    /** Error (mean NRMSE for fit, misclassification rate for compare) against the number of training simulations. */
    scaling: { points: { nTrain: number; error: number }[]; fit: ScalingFit; metric: string } | null;
    /** Mechanism selection on held-out simulations (compare). */
    confusion?: { sgnn: ConfusionMatrix; aic?: ConfusionMatrix; bic?: ConfusionMatrix; comparison?: SelectorComparison; nHeldOut: number; nWithFits: number };
  };
  /** Simulator–data mismatch over all datasets. */
  mismatch: MismatchReport | null;
  datasets: DatasetResult[];
  /** Seconds per step (bank, train, checks, estimate, report). */
  timings: Record<string, number>;
  /** The headline verdicts, most severe first. */
  verdicts: Verdict[];
}
