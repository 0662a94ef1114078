/**
 * What a form starts with and fills in by itself. Shared by the page (as people type)
 * and the server (before it checks and writes), so both see the same record.
 */
import { dateOf, formatDate, formatDateTime, type WallSeconds } from '../calendar.ts';
import type { Settings } from '../model.ts';
import type { AutoValue, FieldDef, FormDef } from './definitions.ts';
import { isHidden } from './presentation.ts';

export interface FormEnv {
  settings: Settings;
  /** wall time in the workbook's time zone */
  now: WallSeconds;
  /** the signed-in person's name or email */
  user: string;
  /** 工单路由: 工单类型 → 处理部门 */
  routing: Readonly<Record<string, string>>;
}

export type FormValues = Record<string, string>;

export function autoText(auto: AutoValue, env: Pick<FormEnv, 'now' | 'user'>): string {
  if (auto === 'today') return formatDate(dateOf(env.now));
  if (auto === 'now') return formatDateTime(env.now);
  if (auto === 'user') return env.user;
  return auto.value;
}

const holds = (f: FieldDef, values: FormValues): boolean =>
  !f.prefillWhen || f.prefillWhen.in.includes((values[f.prefillWhen.column] ?? '').trim());

/**
 * The values a form opens with: the edited row's values (update forms), blanks filled
 * from each field's prefill; then the fields whose prefill waits on another field.
 */
export function initialValues(
  form: FormDef,
  env: FormEnv,
  record?: Readonly<Record<string, string>>,
): FormValues {
  const values: FormValues = {};
  for (const f of form.fields) values[f.key] = record?.[f.key] ?? '';
  const fill = (f: FieldDef): void => {
    if (!f.prefill || !holds(f, values)) return;
    const current = values[f.key]!.trim();
    if (current === '' || f.advanceFrom?.includes(current))
      values[f.key] = autoText(f.prefill, env);
  };
  for (const f of form.fields) if (!f.prefillWhen) fill(f);
  for (const f of form.fields) if (f.prefillWhen) fill(f);
  for (const f of form.fields) {
    if (f.derive && values[f.key]!.trim() === '')
      values[f.key] = env.routing[values[f.derive.from]!.trim()] ?? '';
  }
  return values;
}

/**
 * Fields that follow another one: after `changed` took a new value, the values to set
 * on the fields that depend on it. Fields the person typed into (`edited`) are left alone.
 */
export function dependentChanges(
  form: FormDef,
  values: Readonly<FormValues>,
  changed: string,
  env: FormEnv,
  edited: ReadonlySet<string>,
): FormValues {
  const patch: FormValues = {};
  for (const f of form.fields) {
    if (edited.has(f.key)) continue;
    if (f.derive?.from === changed) {
      patch[f.key] = env.routing[(values[changed] ?? '').trim()] ?? '';
    } else if (
      f.prefill &&
      f.prefillWhen?.column === changed &&
      holds(f, values) &&
      (values[f.key] ?? '').trim() === ''
    ) {
      patch[f.key] = autoText(f.prefill, env);
    }
  }
  return patch;
}

/**
 * The whole row a submission would leave: the edited row as it is (update forms), the
 * form's fields over it, then the columns the form sets itself. A derived field left
 * blank takes its mapped value; a hidden one is not the form's to change.
 */
export function recordFor(
  form: FormDef,
  values: Readonly<FormValues>,
  env: FormEnv,
  base?: Readonly<Record<string, string>>,
): FormValues {
  const record: FormValues = { ...base };
  for (const f of form.fields) {
    // A field that does not apply (联系人 of a 个人 customer) keeps what the row had.
    if (isHidden(form.fields, f, values)) {
      record[f.key] = base?.[f.key] ?? '';
      continue;
    }
    const v = values[f.key] ?? '';
    record[f.key] =
      f.derive && v.trim() === '' ? (env.routing[(values[f.derive.from] ?? '').trim()] ?? '') : v;
  }
  for (const [key, auto] of Object.entries(form.set)) record[key] = autoText(auto, env);
  return record;
}
