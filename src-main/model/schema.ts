/**
 * The model file format `sgnn-model/1` (../shared/spec/model-format.md), as zod schemas.
 * The stable core is exactly the spec's; optional additions: `description`, `source`, `units`,
 * `layout` (diagram positions), `events` (time-triggered assignments).
 */
import { z } from 'zod';

export const MODEL_FORMAT = 'sgnn-model/1';

/** An identifier usable in expressions. Reserved words are rejected later, with a clearer message. */
export const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'must be an identifier: a letter or _ followed by letters, digits or _',
});

/** A number or an expression in the model's expression language. */
export const numberOrExpr = z.union([z.number().refine(Number.isFinite, 'must be a finite number'), z.string().min(1, 'must not be empty')]);

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((v) => v > 0, 'must be > 0');

export const priorSchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('uniform'), low: finite, high: finite }).strict(),
  z.object({ dist: z.literal('loguniform'), low: positive, high: positive }).strict(),
  z.object({ dist: z.literal('normal'), mean: finite, sd: positive, low: finite.optional(), high: finite.optional() }).strict(),
  z.object({ dist: z.literal('lognormal'), mu: finite, sigma: positive }).strict(),
  z.object({ dist: z.literal('gamma'), shape: positive, rate: positive }).strict(),
  z.object({ dist: z.literal('beta'), a: positive, b: positive }).strict(),
  z.object({ dist: z.literal('exponential'), rate: positive }).strict(),
  z.object({ dist: z.literal('halfnormal'), sd: positive }).strict(),
]);
export type Prior = z.infer<typeof priorSchema>;
export type PriorDist = Prior['dist'];

export const noiseSchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('normal'), sd: numberOrExpr }).strict(),
  z.object({ dist: z.literal('lognormal'), sigma: numberOrExpr }).strict(),
  z.object({ dist: z.literal('poisson') }).strict(),
  z.object({ dist: z.literal('negbinomial'), dispersion: numberOrExpr }).strict(),
  z.object({ dist: z.literal('binomial'), n: numberOrExpr }).strict(),
]);
export type Noise = z.infer<typeof noiseSchema>;
export type NoiseDist = Noise['dist'];

export const parameterSchema = z.object({
  id: identifier,
  value: finite.optional(),
  prior: priorSchema.optional(),
  description: z.string().optional(),
  units: z.string().optional(),
}).strict();

export const speciesSchema = z.object({
  id: identifier,
  initial: numberOrExpr,
  description: z.string().optional(),
  units: z.string().optional(),
}).strict();

export const ruleSchema = z.object({
  id: identifier,
  expr: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
}).strict();

export const odeSchema = z.object({
  id: identifier,
  initial: numberOrExpr,
  derivative: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
}).strict();

const stoichiometry = z.record(identifier, positive);

export const reactionSchema = z.object({
  id: identifier,
  from: stoichiometry.optional(),
  to: stoichiometry.optional(),
  rate: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
}).strict();

export const observableSchema = z.object({
  id: identifier,
  expr: z.string().min(1, 'must not be empty'),
  noise: noiseSchema.optional(),
  description: z.string().optional(),
  units: z.string().optional(),
}).strict();

/**
 * A time-triggered event (optional extension): at each of its times, the assignments are applied
 * simultaneously (right-hand sides evaluated on the state just before the event). Targets are
 * species, odes or parameters. `at` is a number or an expression over parameters (evaluated at
 * the start of the simulation); `every` and `count` repeat it (`count` occurrences in all).
 */
export const eventSchema = z.object({
  id: identifier.optional(),
  at: numberOrExpr,
  every: numberOrExpr.optional(),
  count: z.number().int().positive().optional(),
  assign: z.record(identifier, numberOrExpr).refine((a) => Object.keys(a).length > 0, 'must assign at least one target'),
  description: z.string().optional(),
}).strict();

export const layoutSchema = z.record(z.string(), z.object({ x: finite, y: finite }).strict());

export const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT, { message: `must be "${MODEL_FORMAT}"` }),
  name: z.string().min(1, 'must not be empty'),
  description: z.string().optional(),
  source: z.string().optional(),
  timeUnits: z.string().optional(),
  parameters: z.array(parameterSchema).default([]),
  species: z.array(speciesSchema).default([]),
  rules: z.array(ruleSchema).default([]),
  odes: z.array(odeSchema).default([]),
  reactions: z.array(reactionSchema).default([]),
  observables: z.array(observableSchema).default([]),
  events: z.array(eventSchema).optional(),
  layout: layoutSchema.optional(),
}).strict();

export type Model = z.infer<typeof modelSchema>;
export type Parameter = z.infer<typeof parameterSchema>;
export type Species = z.infer<typeof speciesSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Ode = z.infer<typeof odeSchema>;
export type Reaction = z.infer<typeof reactionSchema>;
export type Observable = z.infer<typeof observableSchema>;
export type ModelEvent = z.infer<typeof eventSchema>;
