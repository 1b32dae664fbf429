/** The message of anything thrown (engine errors arrive as AppError with a user-facing message). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
