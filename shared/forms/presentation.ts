/**
 * How a form shows a template column, where the column alone does not say it: fields
 * that apply only to some customers, the one satisfaction scale every form speaks,
 * labels a form words for the person filling it, and dropdowns fed by a 参数 list.
 * The templates keep the workbook's headers; this only changes what a form shows.
 */
import type {
  ColumnDef,
  TabDef,
  ValuesSource,
  WhenCondition,
} from '../../sheets-templates/types.ts';
import * as V from '../../sheets-templates/values.ts';

export interface Presentation {
  /** the label shown instead of the header */
  label?: string;
  hint?: string;
  /** a dropdown even for a text or number column */
  select?: boolean;
  options?: readonly string[];
  /** what a dropdown shows for each stored value */
  optionLabels?: Readonly<Record<string, string>>;
  optionsFrom?: ValuesSource;
  /** the field is hidden (and its value not written) while another field holds one of these */
  hiddenWhen?: WhenCondition;
  /**
   * required in the form where a sync only warns (意向等级 of a 潜在 customer, which a
   * sync counts as C): the refusal is the sync's own message for that row
   */
  required?: WhenCondition;
}

/** 个人 customers have no company papers or contact person; 潜在 ones no contract yet. */
const forCompanies: WhenCondition = { column: 'kind', in: ['个人'] };
const forSigned: WhenCondition = { column: 'status', in: ['潜在'] };
const forLeads: WhenCondition = { column: 'status', in: ['正式', '流失'] };

/** The scale of 产品满意度/服务满意度 (words) and of a ticket's 满意度 (1–5), worded once. */
const SCORE_OF_WORD: Readonly<Record<(typeof V.SATISFACTION_WORDS)[number], number>> = {
  好: 5,
  较好: 4,
  一般: 3,
  差: 2,
  很差: 1,
};
const scaleLabel = (word: string, score: number): string => `${score} 分 · ${word}`;
export const SATISFACTION_HINT = '5 分制：5 好、4 较好、3 一般、2 差、1 很差';

const byWord = Object.fromEntries(
  V.SATISFACTION_WORDS.map((w) => [w, scaleLabel(w, SCORE_OF_WORD[w])]),
);
const byScore = Object.fromEntries(
  V.SATISFACTION_WORDS.map((w) => [String(SCORE_OF_WORD[w]), scaleLabel(w, SCORE_OF_WORD[w])]),
);

function satisfaction(tab: TabDef, column: ColumnDef): Presentation | undefined {
  if (column.type === 'enum' && column.values === V.SATISFACTION_WORDS)
    return { optionLabels: byWord, hint: SATISFACTION_HINT };
  // A 体验问卷's scores are buttons (shared/forms/definitions.ts); a ticket's 满意度 is
  // asked in the same words as a visit's.
  if (
    tab.name === '工单' &&
    column.type === 'integer' &&
    column.min === 1 &&
    column.max === 5 &&
    /满意度/.test(column.header)
  )
    return {
      select: true,
      options: V.SATISFACTION_WORDS.map((w) => String(SCORE_OF_WORD[w])),
      optionLabels: byScore,
      hint: `${SATISFACTION_HINT}${column.hint?.includes('后填写') ? '；工单解决或关闭后填写' : ''}`,
    };
  return undefined;
}

const BY_COLUMN: Readonly<Record<string, Presentation>> = {
  '客户.creditCode': { hiddenWhen: forCompanies },
  '客户.contact': { hiddenWhen: forCompanies },
  '客户.contactTitle': { hiddenWhen: forCompanies },
  '客户.intent': { hiddenWhen: forLeads, required: { column: 'status', in: ['潜在'] } },
  '客户.signedDate': { hiddenWhen: forSigned },
  '客户.contractAmount': { hiddenWhen: forSigned },
  '客户.contractEnd': { hiddenWhen: forSigned },
  '客户.region': { select: true, optionsFrom: { kind: 'setting', setting: '区域列表' } },
  '跟进记录.planDate': { label: '下次跟进日期' },
};

/** How forms show this column of this tab; empty when as the template says. */
export function presentationOf(tab: TabDef, column: ColumnDef): Presentation {
  return { ...satisfaction(tab, column), ...BY_COLUMN[`${tab.name}.${column.key}`] };
}

interface Hideable {
  key: string;
  hiddenWhen?: WhenCondition | undefined;
}

/**
 * True while a field does not apply, given the other values of the form. Only a field
 * of the same form can hide one: 签约转正 shows its contract fields whatever the row's
 * 客户状态 was.
 */
export function isHidden(
  fields: readonly Hideable[],
  f: Hideable,
  values: Readonly<Record<string, string>>,
): boolean {
  const when = f.hiddenWhen;
  return (
    when !== undefined &&
    fields.some((other) => other.key === when.column) &&
    when.in.includes((values[when.column] ?? '').trim())
  );
}
