/**
 * Permissions on the forms (docs/team.md): which person may submit which form on which row,
 * who is written as 负责人/跟进人/处理人/回访人, and what pickers show. Refusals are
 * 403 with a Chinese message, raised before anything is written.
 */
import type { FormDef } from '../../shared/forms/definitions.ts';
import { checkSubmission, formRefusal } from '../../shared/forms/guard.ts';
import type { Directory, Person } from '../../shared/users.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { HttpError } from './errors.ts';

export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);

/**
 * Checks a submission (shared/forms/guard.ts) and returns the payload with the who-acts
 * columns set; a role that may not is refused with 403 before anything is written.
 */
export function guardSubmission(
  form: FormDef,
  body: Record<string, unknown>,
  input: WorkbookInput,
  actor: Person,
  directory: Directory,
):
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; message: string; problems: Record<string, string>; duplicates?: undefined } {
  const outcome = checkSubmission(form, body, input, actor, directory);
  if (outcome.ok) return outcome;
  if (outcome.forbidden) throw forbidden(outcome.message);
  return { ok: false, message: outcome.message, problems: outcome.problems };
}

/** Refuses the whole form (options and pickers) to a role that may never use it. */
export function guardForm(form: FormDef, actor: Person): void {
  const refusal = formRefusal(form, actor);
  if (refusal !== null) throw forbidden(refusal);
}

export { maskTarget, targetFilter } from '../../shared/forms/guard.ts';
