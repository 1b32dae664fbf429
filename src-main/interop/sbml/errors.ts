/** Errors of SBML import/export: each names the SBML element, its id and why it cannot be used. */

export class SbmlError extends Error {
  /** The SBML element's tag, e.g. `algebraicRule`, `event`, `reaction`. */
  readonly element: string;
  /** The element's id (or the variable it targets), when it has one. */
  readonly elementId: string | undefined;
  constructor(element: string, elementId: string | undefined, why: string) {
    super(`SBML <${element}>${elementId === undefined ? '' : ` "${elementId}"`}: ${why}`);
    this.name = 'SbmlError';
    this.element = element;
    this.elementId = elementId;
  }
}
