/** SBML import/export (issue 6): the functions the CLI and the app call. */
export { importSbml } from './import.ts';
export type { SbmlImport } from './import.ts';
export { exportSbml, SBML_L3V2_NS } from './export.ts';
export { simulateSbml, simulateImportedSbml, SBML_ODE_OPTIONS } from './simulate.ts';
export type { SbmlSimulationOptions, SbmlTable } from './simulate.ts';
export { parseSbmlSettings } from './settings.ts';
export type { SbmlSettings } from './settings.ts';
export { sbmlValueExpr } from './info.ts';
export type { SbmlInfo, SbmlSymbol } from './info.ts';
export { SbmlError } from './errors.ts';
export { checkSbmlL3v2 } from './check.ts';
