/** analyze/: checks of networks (recovery, calibration, mismatch, attribution) and the classical baseline (ML fits, AIC/BIC). */
export * from './metrics.ts';
export * from './mismatch.ts';
export * from './attribution.ts';
export * from './likelihood.ts';
export * from './ml-fit.ts';
export * from './confusion.ts';
export * from './c2st.ts';
export * from './nelder-mead.ts';
export { binomialInterval, chiSquareSf, formatP, formatPercent, worstSeverity } from './stats.ts';
