/**
 * The forms of the add-on's sidebars and the local forms pages. Every field is a
 * template column: its label is the header, its input follows the column type, its
 * choices are the column's values. A form only chooses which columns it shows, what it
 * fills in by itself, and which row an update form edits.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type {
  ColumnDef,
  ColumnType,
  TabDef,
  ValuesSource,
  WhenCondition,
} from '../../sheets-templates/types.ts';
import * as V from '../../sheets-templates/values.ts';
import { presentationOf } from './presentation.ts';

export const FORM_KEYS = [
  'new-customer',
  'sign-contract',
  'follow-up',
  'new-ticket',
  'handle-ticket',
  'visit-record',
  'review-visit',
  'new-order',
  'edit-customer',
  'needs-survey',
  'experience-survey',
] as const;

export type FormKey = (typeof FORM_KEYS)[number];

/** A value a form fills in by itself, resolved against the clock and the signed-in person. */
export type AutoValue = 'today' | 'now' | 'user' | { value: string };

export type InputKind =
  | 'text'
  | 'textarea'
  | 'select'
  | 'date'
  | 'datetime'
  | 'money'
  | 'integer'
  | 'number'
  | 'tel'
  | 'email'
  | 'url'
  /** a small whole-number range (1–5, 0–10) offered as one button per score */
  | 'scale'
  /** a 客户编号 chosen by searching customers */
  | 'customer'
  /** the ID of the row an update form edits, chosen from the form's candidates */
  | 'target';

/** The rows an update form can edit. */
export type TargetKind = 'lead' | 'openTicket' | 'pendingVisit' | 'customer';

export interface FieldDef {
  /** the template column key, also the key in payloads and problem maps */
  key: string;
  label: string;
  column: ColumnDef;
  input: InputKind;
  /** fixed choices of a dropdown */
  options?: readonly string[];
  /** what a dropdown shows for each stored value (满意度: "5 分 · 好") */
  optionLabels?: Readonly<Record<string, string>>;
  /** hidden, and its value left as it was, while another field holds one of these values */
  hiddenWhen?: WhenCondition;
  /** choices read from the workbook at run time (FormOptions.choices carries them) */
  optionsFrom?: ValuesSource;
  /** the choices only suggest: other text is allowed (e.g. 处理部门) */
  freeText: boolean;
  required: boolean | WhenCondition;
  hint?: string;
  min?: number;
  max?: number;
  /** what the field starts with when it is blank */
  prefill?: AutoValue;
  /** phrases offered to fill a free-text field (the seeds' visit topics for 回访目的) */
  prompts?: readonly string[];
  /** an edited row whose value is one of these starts from `prefill` instead (新建 → 处理中) */
  advanceFrom?: readonly string[];
  /** `prefill` waits until another field holds one of these values */
  prefillWhen?: WhenCondition;
  /** filled from 工单路由 whenever `from` changes, until the person types here */
  derive?: { from: string; map: 'ticketRouting' };
}

export interface TargetDef {
  kind: TargetKind;
  /** refusal when nothing was chosen */
  empty: string;
  placeholder: string;
  /** columns of the chosen row shown read-only above the fields */
  summary: readonly string[];
}

export interface FormDef {
  key: FormKey;
  title: string;
  tab: TabDef;
  mode: 'append' | 'update';
  target?: TargetDef;
  fields: readonly FieldDef[];
  /** columns written without being shown */
  set: Readonly<Record<string, AutoValue>>;
  submitLabel: string;
  /** the tabs a submission reads */
  reads: readonly string[];
}

const INPUT_BY_TYPE: Readonly<Record<ColumnType, InputKind>> = {
  id: 'target',
  customerRef: 'customer',
  text: 'text',
  enum: 'select',
  date: 'date',
  datetime: 'datetime',
  money: 'money',
  integer: 'integer',
  number: 'number',
  phone: 'tel',
  email: 'email',
  link: 'url',
  creditCode: 'text',
};

interface FieldChoice {
  multiline?: boolean;
  prompts?: readonly string[];
  prefill?: AutoValue;
  advanceFrom?: readonly string[];
  prefillWhen?: WhenCondition;
  derive?: FieldDef['derive'];
}

function field(tab: TabDef, key: string, choice: FieldChoice = {}): FieldDef {
  const column = T.column(tab, key);
  // A form that wrote a sync column would be overwritten by the next sync.
  if (column.owner !== 'people') throw new Error(`${tab.name}.${key} is not a people column`);
  const shown = presentationOf(tab, column);
  const input = choice.multiline
    ? 'textarea'
    : shown.select
      ? 'select'
      : isScale(column)
        ? 'scale'
        : INPUT_BY_TYPE[column.type];
  const def: FieldDef = {
    key,
    label: shown.label ?? column.header,
    column,
    input,
    // An enum is a dropdown even where a sync only warns about other values (所属行业):
    // a form refuses what a sync would warn about.
    freeText: column.type !== 'enum' && !shown.select,
    required: shown.required ?? column.required ?? false,
  };
  const options = shown.options ?? column.values;
  if (options) def.options = options;
  if (shown.optionLabels) def.optionLabels = shown.optionLabels;
  const optionsFrom = shown.optionsFrom ?? column.valuesFrom;
  if (optionsFrom) def.optionsFrom = optionsFrom;
  if (shown.hiddenWhen) def.hiddenWhen = shown.hiddenWhen;
  // A column's own hint, except on columns whose values the form fills in (处理部门).
  const hint = shown.hint ?? column.hint;
  if (hint && !choice.derive) def.hint = hint;
  if (column.min !== undefined) def.min = column.min;
  if (column.max !== undefined) def.max = column.max;
  const prefill =
    choice.prefill ??
    (column.defaultValue === undefined ? undefined : { value: String(column.defaultValue) });
  if (prefill) def.prefill = prefill;
  if (choice.advanceFrom) def.advanceFrom = choice.advanceFrom;
  if (choice.prefillWhen) def.prefillWhen = choice.prefillWhen;
  if (choice.derive) def.derive = choice.derive;
  if (choice.prompts) def.prompts = choice.prompts;
  return def;
}

/** A whole number between two close bounds is picked, not typed: a button per score. */
const isScale = (column: ColumnDef): boolean =>
  column.type === 'integer' &&
  column.min !== undefined &&
  column.max !== undefined &&
  column.max - column.min <= 10;

/** One of a value list, checked by the compiler against the list. */
const one = <L extends readonly string[]>(_list: L, value: L[number]): string => value;

const target = (
  tab: TabDef,
  kind: TargetKind,
  empty: string,
  placeholder: string,
  summary: string[],
) => ({
  field: field(tab, tab.idColumn!),
  def: { kind, empty, placeholder, summary } satisfies TargetDef,
});

const CUSTOMER_FIELD_CHOICES: Readonly<Record<string, FieldChoice>> = {
  address: { multiline: true },
  owner: { prefill: 'user' },
  createdDate: { prefill: 'today' },
  preferences: { multiline: true },
  notes: { multiline: true },
};

const newCustomer: FormDef = {
  key: 'new-customer',
  title: '新建客户',
  tab: T.CUSTOMERS,
  mode: 'append',
  // Every column people fill in; the ID comes from the form.
  fields: T.CUSTOMERS.columns
    .filter((c) => c.owner === 'people' && c.type !== 'id')
    .map((c) => field(T.CUSTOMERS, c.key, CUSTOMER_FIELD_CHOICES[c.key])),
  set: {},
  submitLabel: '创建客户',
  reads: [T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const lead = target(
  T.CUSTOMERS,
  'lead',
  '请先选择要签约的潜在客户',
  '搜索潜在客户的名称、编号或电话',
  ['name', 'contact', 'phone', 'intent', 'owner', 'createdDate'],
);

const signContract: FormDef = {
  key: 'sign-contract',
  title: '签约转正',
  tab: T.CUSTOMERS,
  mode: 'update',
  target: lead.def,
  fields: [
    lead.field,
    field(T.CUSTOMERS, 'signedDate', { prefill: 'today' }),
    field(T.CUSTOMERS, 'contractAmount'),
    field(T.CUSTOMERS, 'contractEnd'),
  ],
  set: { status: { value: one(V.CUSTOMER_STATUSES, '正式') } },
  submitLabel: '确认签约',
  reads: [T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const followUp: FormDef = {
  key: 'follow-up',
  title: '记录跟进',
  tab: T.FOLLOW_UPS,
  mode: 'append',
  fields: [
    field(T.FOLLOW_UPS, 'customerId'),
    field(T.FOLLOW_UPS, 'time', { prefill: 'now' }),
    field(T.FOLLOW_UPS, 'method'),
    field(T.FOLLOW_UPS, 'content', { multiline: true }),
    field(T.FOLLOW_UPS, 'feedback', { multiline: true }),
    field(T.FOLLOW_UPS, 'nextStep', { multiline: true }),
    field(T.FOLLOW_UPS, 'planDate'),
    field(T.FOLLOW_UPS, 'by', { prefill: 'user' }),
    field(T.FOLLOW_UPS, 'attachment'),
  ],
  set: {},
  submitLabel: '保存跟进',
  reads: [T.FOLLOW_UPS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const newTicket: FormDef = {
  key: 'new-ticket',
  title: '新建工单',
  tab: T.TICKETS,
  mode: 'append',
  // 请求类型 first: whether this is a complaint decides what the rest is read as.
  fields: [
    field(T.TICKETS, 'requestType'),
    field(T.TICKETS, 'customerId'),
    field(T.TICKETS, 'type'),
    field(T.TICKETS, 'description', { multiline: true }),
    field(T.TICKETS, 'demand', { multiline: true }),
    field(T.TICKETS, 'urgency'),
    field(T.TICKETS, 'department', { derive: { from: 'type', map: 'ticketRouting' } }),
    field(T.TICKETS, 'handler'),
  ],
  set: { status: { value: one(V.TICKET_STATUSES, '新建') }, createdAt: 'now' },
  submitLabel: '创建工单',
  reads: [T.TICKETS.name, T.CUSTOMERS.name, T.TICKET_ROUTING.name, T.SETTINGS_TAB.name],
};

const ticket = target(T.TICKETS, 'openTicket', '请先选择要处理的工单', '搜索工单编号、客户或问题', [
  'customerId',
  'type',
  'urgency',
  'description',
  'department',
  'createdAt',
  'status',
]);

const resolved = { column: 'status', in: V.RESOLVED_TICKET_STATUSES };

const handleTicket: FormDef = {
  key: 'handle-ticket',
  title: '处理工单',
  tab: T.TICKETS,
  mode: 'update',
  target: ticket.def,
  fields: [
    ticket.field,
    field(T.TICKETS, 'respondedAt', { prefill: 'now' }),
    field(T.TICKETS, 'handler', { prefill: 'user' }),
    field(T.TICKETS, 'status', {
      prefill: { value: one(V.TICKET_STATUSES, '处理中') },
      advanceFrom: [one(V.TICKET_STATUSES, '新建')],
    }),
    field(T.TICKETS, 'resolution', { multiline: true }),
    field(T.TICKETS, 'resolvedAt', { prefill: 'now', prefillWhen: resolved }),
    field(T.TICKETS, 'satisfaction'),
  ],
  set: {},
  submitLabel: '保存处理进展',
  reads: [T.TICKETS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const visitRecord: FormDef = {
  key: 'visit-record',
  title: '填写回访记录',
  tab: T.VISITS,
  mode: 'append',
  fields: [
    field(T.VISITS, 'customerId'),
    field(T.VISITS, 'time', { prefill: 'now' }),
    field(T.VISITS, 'method'),
    field(T.VISITS, 'by', { prefill: 'user' }),
    field(T.VISITS, 'purpose', { prompts: V.VISIT_TOPICS }),
    field(T.VISITS, 'outcome'),
    field(T.VISITS, 'productSatisfaction'),
    field(T.VISITS, 'serviceSatisfaction'),
    field(T.VISITS, 'opinion', { multiline: true }),
    field(T.VISITS, 'improvement', { multiline: true }),
    field(T.VISITS, 'issues', { multiline: true }),
  ],
  set: {},
  submitLabel: '保存回访记录',
  reads: [T.VISITS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const visit = target(
  T.VISITS,
  'pendingVisit',
  '请先选择要审核的回访记录',
  '搜索回访编号、客户或回访人',
  [
    'customerId',
    'time',
    'method',
    'by',
    'purpose',
    'productSatisfaction',
    'serviceSatisfaction',
    'opinion',
    'improvement',
    'issues',
  ],
);

const reviewVisit: FormDef = {
  key: 'review-visit',
  title: '审核回访记录',
  tab: T.VISITS,
  mode: 'update',
  target: visit.def,
  fields: [
    visit.field,
    field(T.VISITS, 'reviewResult'),
    field(T.VISITS, 'reviewComment', { multiline: true }),
  ],
  set: { reviewer: 'user', reviewDate: 'today' },
  submitLabel: '提交审核',
  reads: [T.VISITS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const newOrder: FormDef = {
  key: 'new-order',
  title: '新建订单',
  tab: T.ORDERS,
  mode: 'append',
  fields: [
    field(T.ORDERS, 'customerId'),
    field(T.ORDERS, 'product'),
    field(T.ORDERS, 'quantity'),
    field(T.ORDERS, 'amount'),
    field(T.ORDERS, 'paymentStatus'),
    field(T.ORDERS, 'orderDate', { prefill: 'today' }),
  ],
  set: {},
  submitLabel: '创建订单',
  reads: [T.ORDERS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const anyCustomer = target(
  T.CUSTOMERS,
  'customer',
  '请先选择要编辑的客户',
  '搜索客户的名称、编号或电话',
  ['kind', 'status', 'owner', 'createdDate'],
);

const editCustomer: FormDef = {
  key: 'edit-customer',
  title: '编辑客户',
  tab: T.CUSTOMERS,
  mode: 'update',
  target: anyCustomer.def,
  // Every column people fill in, prefilled from the row; only changed cells are written.
  fields: [
    anyCustomer.field,
    ...T.CUSTOMERS.columns
      .filter((c) => c.owner === 'people' && c.type !== 'id')
      .map((c) =>
        field(T.CUSTOMERS, c.key, { multiline: CUSTOMER_FIELD_CHOICES[c.key]?.multiline }),
      ),
  ],
  set: {},
  submitLabel: '保存修改',
  reads: [T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const needsSurvey: FormDef = {
  key: 'needs-survey',
  title: '客户需求调查',
  tab: T.NEEDS_SURVEYS,
  mode: 'append',
  fields: [
    field(T.NEEDS_SURVEYS, 'customerId'),
    field(T.NEEDS_SURVEYS, 'date', { prefill: 'today' }),
    field(T.NEEDS_SURVEYS, 'by', { prefill: 'user' }),
    field(T.NEEDS_SURVEYS, 'productNeeds', { multiline: true }),
    field(T.NEEDS_SURVEYS, 'serviceNeeds', { multiline: true }),
    field(T.NEEDS_SURVEYS, 'priceExpectation'),
    field(T.NEEDS_SURVEYS, 'purchasePlan', { multiline: true }),
    field(T.NEEDS_SURVEYS, 'competitors'),
    field(T.NEEDS_SURVEYS, 'suggestions', { multiline: true }),
  ],
  set: {},
  submitLabel: '保存需求调查',
  reads: [T.NEEDS_SURVEYS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

const experienceSurvey: FormDef = {
  key: 'experience-survey',
  title: '新客户体验问卷',
  tab: T.EXPERIENCE_SURVEYS,
  mode: 'append',
  fields: [
    field(T.EXPERIENCE_SURVEYS, 'customerId'),
    field(T.EXPERIENCE_SURVEYS, 'date', { prefill: 'today' }),
    field(T.EXPERIENCE_SURVEYS, 'overall'),
    field(T.EXPERIENCE_SURVEYS, 'product'),
    field(T.EXPERIENCE_SURVEYS, 'service'),
    field(T.EXPERIENCE_SURVEYS, 'delivery'),
    field(T.EXPERIENCE_SURVEYS, 'recommend'),
    field(T.EXPERIENCE_SURVEYS, 'improvement', { multiline: true }),
    field(T.EXPERIENCE_SURVEYS, 'tag'),
  ],
  set: {},
  submitLabel: '保存问卷',
  reads: [T.EXPERIENCE_SURVEYS.name, T.CUSTOMERS.name, T.SETTINGS_TAB.name],
};

/** In the order of the add-on's menu. */
export const FORMS: readonly FormDef[] = [
  newCustomer,
  signContract,
  followUp,
  newTicket,
  handleTicket,
  visitRecord,
  reviewVisit,
  newOrder,
  editCustomer,
  needsSurvey,
  experienceSurvey,
];

const BY_KEY: ReadonlyMap<string, FormDef> = new Map(FORMS.map((f) => [f.key, f]));

export function formByKey(key: string): FormDef | undefined {
  return BY_KEY.get(key);
}

/** The field that names the row an update form edits. */
export function targetField(form: FormDef): FieldDef | undefined {
  return form.target ? form.fields.find((f) => f.input === 'target') : undefined;
}

/** True when a field is required given the other values of the form. */
export function isRequired(f: FieldDef, values: Readonly<Record<string, string>>): boolean {
  if (f.input === 'target') return true;
  if (typeof f.required === 'boolean') return f.required;
  return f.required.in.includes((values[f.required.column] ?? '').trim());
}
