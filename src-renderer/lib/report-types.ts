/** Result types the screens use, taken from the contract's FitReport (the renderer never imports analyze/ or learn/). */
import type { FitReport } from '../../src-main/report/fit-report.ts';

export type { DatasetResult, FitReport, ParameterCheckJson } from '../../src-main/report/fit-report.ts';
export type Verdict = FitReport['verdicts'][number];
export type Severity = Verdict['severity'];
export type ConfusionMatrix = NonNullable<FitReport['checks']['confusion']>['sgnn'];
