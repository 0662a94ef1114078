/**
 * What travels between a form page and whoever serves it: the local service over HTTP,
 * or the add-on's server functions over google.script.run. Both answer with these shapes.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { LeadRule, Settings } from '../model.ts';
import { readWorkbookSettings, type WorkbookInput } from '../validate/index.ts';
import { formLeadRules, tierStrategyTexts } from './customerCard.ts';
import type { FormDef, FormKey } from './definitions.ts';
import {
  departments,
  findTargets,
  ticketRouting,
  type CustomerHit,
  type TargetItem,
} from './pickers.ts';
import type { DuplicateHit } from './entryDuplicates.ts';
import type { FieldProblems } from './schema.ts';

/** The add-on's server functions a page calls with google.script.run. */
export const RPC_FUNCTIONS = {
  /** (form: FormKey, payload: Record<string, string>) → SubmitResponse */
  submitForm: 'submitForm',
  /** (q: string) → CustomerHit[] */
  searchCustomers: 'searchCustomers',
  /** (form: FormKey, q?: string) → FormOptions */
  formOptions: 'formOptions',
  /** (query: Record<string, string>) → CustomerListView */
  customerList: 'customerList',
  /** (id: string) → Customer360 | null */
  customer360: 'customer360',
} as const;

export type SubmitResponse =
  | { ok: true; id: string; row: number }
  | {
      ok: false;
      message: string;
      problems: FieldProblems;
      /** possible duplicates at entry: saved only when resubmitted with confirmDuplicate */
      duplicates?: DuplicateHit[];
    };

/** What a page needs from the workbook before it can check and prefill a form. */
export interface FormOptions {
  form: FormKey;
  user: string;
  /** the workbook's time zone, for "now" and "today" */
  timeZone: string;
  settings: Settings;
  /** 工单路由: 工单类型 → 处理部门 */
  routing: Record<string, string>;
  /** choices read from the workbook, by field key (所属行业 and 区域 from 参数, 处理部门 from 工单路由) */
  choices: Record<string, string[]>;
  /** for update forms: the rows it can edit that match the query */
  targets: TargetItem[];
  /** fields filled with the signed-in person that they may not change (负责人 of a 销售 …) */
  locked?: string[];
  /** 分层策略: 分层名称 → 服务策略, shown beside a chosen customer */
  strategies: Record<string, string>;
  /** 新建客户: the 线索分配 rows in the order they are tried, to propose a 负责人 */
  leadRules: LeadRule[];
}

export type { CustomerHit, TargetItem };

/** The 参数 lists a dropdown can be fed from. */
function settingList(settings: Settings, name: string): readonly string[] {
  return name === '区域列表' ? settings.regions : settings.industries;
}

export function formOptions(
  form: FormDef,
  input: WorkbookInput,
  ctx: { user: string; timeZone?: string; keep?: (item: TargetItem) => boolean },
  q = '',
): FormOptions {
  const settings = readWorkbookSettings(input, []);
  const routing = ticketRouting(input);
  const choices: Record<string, string[]> = {};
  for (const f of form.fields) {
    const from = f.optionsFrom;
    if (from?.kind === 'setting') choices[f.key] = [...settingList(settings, from.setting)];
    else if (from?.kind === 'configColumn' && from.tab === T.TICKET_ROUTING.name)
      choices[f.key] = departments(routing);
  }
  return {
    form: form.key,
    user: ctx.user,
    timeZone: ctx.timeZone ?? settings.timeZone,
    settings,
    routing,
    choices,
    targets: form.target ? findTargets(input, form.target.kind, q, undefined, ctx.keep) : [],
    strategies: tierStrategyTexts(input),
    leadRules: form.key === 'new-customer' ? formLeadRules(input) : [],
  };
}
