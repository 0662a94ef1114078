/**
 * One zod schema per form, built from its definition. Its refinement runs the very
 * checks of a sync (validateRecord) on the row the submission would leave, so the
 * page, the add-on and the server refuse the same input with the same zh-CN messages.
 */
// zod/mini: the same schemas, but only what is used ends up in the page bundle.
import * as z from 'zod/mini';
import { validateRecord } from '../validate/index.ts';
import type { FormDef } from './definitions.ts';
import { isHidden } from './presentation.ts';
import { recordFor, type FormEnv, type FormValues } from './values.ts';

/** field key → message; the key '' holds a message about the whole form */
export type FieldProblems = Record<string, string>;

export const MAX_TEXT = 5000;

const fieldValue = z.pipe(
  z.pipe(
    z.optional(
      z.union([z.string(), z.number(), z.boolean(), z.null()], { error: '应为文字或数字' }),
    ),
    z.transform((v: string | number | boolean | null | undefined) =>
      v === null || v === undefined ? '' : String(v),
    ),
  ),
  z.string().check(z.maxLength(MAX_TEXT, { error: `内容过长：最多 ${MAX_TEXT} 个字符` })),
);

/**
 * Problems of the row a form would write. A form is stricter than a sync: what a sync
 * only warns about (an unreadable phone, a date after today) is refused here, because
 * the person is still there to fix it. Problems in columns the form neither shows nor
 * sets (or hides, as not applying) belong to the edited row as it already was and do
 * not hold the form up.
 */
export function recordProblems(
  form: FormDef,
  values: Readonly<FormValues>,
  env: FormEnv,
  base?: Readonly<Record<string, string>>,
): FieldProblems {
  const out: FieldProblems = {};
  const shown = new Set(
    form.fields.filter((f) => !isHidden(form.fields, f, values)).map((f) => f.key),
  );
  const add = (key: string, message: string): void => {
    if (out[key] === undefined) out[key] = message;
  };
  if (form.target) {
    const key = form.tab.idColumn!;
    if ((values[key] ?? '').trim() === '') add(key, form.target.empty);
  }
  const record = recordFor(form, values, env, base);
  const { problems } = validateRecord(form.tab, record, { settings: env.settings, now: env.now });
  for (const p of problems) {
    if (shown.has(p.column)) add(p.column, p.message);
    else if (p.column === '' || p.column in form.set) add('', p.message);
  }
  return out;
}

export function formSchema(form: FormDef, env: FormEnv, base?: Readonly<Record<string, string>>) {
  const shape: Record<string, typeof fieldValue> = {};
  for (const f of form.fields) shape[f.key] = fieldValue;
  return z.object(shape, { error: '表单数据应为“字段 → 值”的对象' }).check(
    z.superRefine((values: FormValues, ctx) => {
      for (const [key, message] of Object.entries(recordProblems(form, values, env, base)))
        ctx.addIssue({ code: 'custom', path: key === '' ? [] : [key], message, input: values });
    }),
  );
}

export type CheckResult =
  | { ok: true; values: FormValues }
  | { ok: false; values: FormValues | null; problems: FieldProblems };

/** Runs a form's schema; the first message of each field. */
export function checkForm(
  form: FormDef,
  payload: unknown,
  env: FormEnv,
  base?: Readonly<Record<string, string>>,
): CheckResult {
  const result = formSchema(form, env, base).safeParse(payload);
  if (result.success) return { ok: true, values: result.data };
  const problems: FieldProblems = {};
  for (const issue of result.error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : '';
    if (problems[key] === undefined) problems[key] = issue.message;
  }
  return { ok: false, values: null, problems };
}
