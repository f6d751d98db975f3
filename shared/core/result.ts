/** Expected failures are values with a stable code; the HTTP edge maps codes to statuses in one place. */
export interface AppError {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export type Result<T, E extends AppError = AppError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E extends AppError>(error: E): Result<never, E> => ({ ok: false, error });
export const appError = (code: string, message: string, details?: unknown): AppError =>
  details === undefined ? { code, message } : { code, message, details };
