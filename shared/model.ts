/**
 * The typed rows the rules compute on: what is left of the workbook once every cell
 * was parsed and every row with an 错误 was set aside. Dates are epoch days and
 * date-times wall seconds (see calendar.ts); money is integer fen.
 */
import type { EpochDay, WallSeconds } from './calendar.ts';
import type * as V from '../sheets-templates/values.ts';

/** Integer count of fen (0.01 yuan): sums stay exact. */
export type Fen = number;

type OneOf<T extends readonly string[]> = T[number];
export type CustomerKind = OneOf<typeof V.CUSTOMER_KINDS>;
export type CustomerStatus = OneOf<typeof V.CUSTOMER_STATUSES>;
export type AccountLevel = OneOf<typeof V.ACCOUNT_LEVELS>;
export type IntentGrade = OneOf<typeof V.INTENT_GRADES>;
export type PaymentStatus = OneOf<typeof V.PAYMENT_STATUSES>;
export type TicketType = OneOf<typeof V.TICKET_TYPES>;
export type Urgency = OneOf<typeof V.URGENCIES>;
export type TicketStatus = OneOf<typeof V.TICKET_STATUSES>;
export type HealthLevel = OneOf<typeof V.HEALTH_LEVELS>;
export type SlaState = OneOf<typeof V.SLA_STATES>;
export type CallbackKind = OneOf<typeof V.CALLBACK_KINDS>;
export type CallbackState = OneOf<typeof V.CALLBACK_STATES>;
export type HolidayKind = OneOf<typeof V.HOLIDAY_KINDS>;
export type ProblemLevel = OneOf<typeof V.PROBLEM_LEVELS>;
export type ReviewResult = OneOf<typeof V.REVIEW_RESULTS>;
export type RequestType = OneOf<typeof V.REQUEST_TYPES>;
export type VisitOutcome = OneOf<typeof V.VISIT_OUTCOMES>;
export type ClosureState = OneOf<typeof V.CLOSURE_STATES>;
export type ServiceTargetMetric = OneOf<typeof V.SERVICE_TARGET_METRICS>;

/** Every typed row remembers where it came from, for messages and for writing back. */
export interface RowRef {
  /** 1-based row number in its tab */
  row: number;
  id: string;
}

export interface Customer extends RowRef {
  kind: CustomerKind;
  name: string;
  creditCode: string | null;
  contact: string | null;
  /** digits only, +86 removed; null when blank or invalid */
  phone: string | null;
  email: string | null;
  industry: string;
  source: string;
  /** blank reads as 普通客户 */
  level: AccountLevel;
  status: CustomerStatus;
  /** null when blank (a lead without a grade is treated as C by the callback rules) */
  intent: IntentGrade | null;
  region: string | null;
  /** '' for a lead left for 线索分配 */
  owner: string;
  createdDate: EpochDay;
  signedDate: EpochDay | null;
  contractAmount: Fen | null;
  contractEnd: EpochDay | null;
  birthday: EpochDay | null;
}

export interface Order extends RowRef {
  customerId: string;
  date: EpochDay;
  /** null when blank (counted under 其他 in 销售分析) */
  product: string | null;
  quantity: number;
  amount: Fen;
  /** blank reads as 未到期 */
  paymentStatus: PaymentStatus;
}

export interface FollowUp extends RowRef {
  customerId: string;
  time: WallSeconds;
  planDate: EpochDay | null;
}

export interface Ticket extends RowRef {
  customerId: string;
  type: TicketType;
  urgency: Urgency;
  createdAt: WallSeconds;
  respondedAt: WallSeconds | null;
  resolvedAt: WallSeconds | null;
  status: TicketStatus;
  /** blank reads as 投诉 */
  requestType: RequestType;
  department: string | null;
  handler: string | null;
  /** 1–5 */
  satisfaction: number | null;
}

export interface Visit extends RowRef {
  customerId: string;
  time: WallSeconds;
  /** 5 (好) … 1 (很差) */
  productSatisfaction: number | null;
  serviceSatisfaction: number | null;
  /** 回访人 */
  by: string;
  reviewer: string | null;
  reviewDate: EpochDay | null;
  /** blank reads as 完成 */
  outcome: VisitOutcome;
  /** blank reads as 通过 */
  reviewResult: ReviewResult;
  /** 审核意见, for the 回访人 of a record sent back */
  reviewComment?: string | null;
}

/** A 体验问卷 row: the rules need whom it is from and when. */
export interface ExperienceSurvey extends RowRef {
  customerId: string;
  date: EpochDay;
  overall: number;
  product: number | null;
  service: number | null;
  delivery: number | null;
  recommend: number | null;
}

/** A valid 线索分配 row; a blank condition (null) matches anything. */
export interface LeadRule {
  row: number;
  priority: number;
  industry: string | null;
  region: string | null;
  owner: string;
}

/** A 分层策略 row. */
export interface TierStrategy {
  row: number;
  tier: string;
  strategy: string | null;
  /** as typed; only a whole number ≥ 1 replaces the per-type visit cycle */
  visitMonths: number | null;
}

export interface ServiceTarget {
  row: number;
  metric: ServiceTargetMetric;
  target: number;
}

export interface Holiday {
  date: EpochDay;
  kind: HolidayKind;
}

/** A 分层规则 row as people typed it; the tier module decides whether it is valid. */
export interface RawTierRule {
  row: number;
  priority: unknown;
  tier: unknown;
  metric: unknown;
  operator: unknown;
  threshold: unknown;
}

/** The 参数 tab, parsed, with the defaults of docs/rules.md#settings-参数 for missing or invalid rows. */
export interface Settings {
  timeZone: string;
  visitsNeedReview: boolean;
  enterprisePrefix: string;
  personPrefix: string;
  industries: readonly string[];
  /** 区域列表: the choices of 区域 in the forms */
  regions: readonly string[];
  syncCron: string;
  defaultTier: string;
  activityFullInteractions: number;
  repurchaseFullOrders: number;
  pointsPerComplaint: number;
  weightActivity: number;
  weightRepurchase: number;
  weightStability: number;
  weightComplaints: number;
  healthyThreshold: number;
  subHealthyThreshold: number;
  /** 新客户观察期(天): days after 签约日期 a customer's 健康等级 is 新客户 */
  newCustomerDays: number;
  /** percent, e.g. 30 for 30% */
  purchaseDropPercent: number;
  satisfactionAlertLine: number;
  firstVisitDays: number;
  enterpriseVisitMonths: number;
  personVisitMonths: number;
  complaintVisitDays: number;
  winBackIntervalDays: number;
  renewalNoticeDays: number;
  birthdayNoticeDays: number;
  /** 客户销售分析: customers listed, products given their own column */
  analysisTopCustomers: number;
  analysisTopProducts: number;
  leadFirstContactDays: Readonly<Record<IntentGrade, number>>;
  leadFollowUpDays: Readonly<Record<IntentGrade, number>>;
  responseLimitHours: Readonly<Record<Urgency, number>>;
  resolutionLimitHours: Readonly<Record<Urgency, number>>;
  welcomeDays: number;
  surveyDays: number;
  careIntervalDays: number;
  /** percent, e.g. 30 for 30% */
  grossMarginPercent: number;
  expectedYears: number;
  /** 我的待办 flags an open ticket 即将超时 within this many hours of its deadline */
  ticketWarningHours: number;
  sessionTimeoutMinutes: number;
  auditKeepRows: number;
}

/** A 数据问题 row. */
export interface Problem {
  tab: string;
  row: number | null;
  /** the header text, or '' for a whole-row problem */
  column: string;
  value: string;
  message: string;
  level: ProblemLevel;
}

/** Everything the rules need, after parsing and validation. */
export interface Dataset {
  customers: readonly Customer[];
  orders: readonly Order[];
  followUps: readonly FollowUp[];
  tickets: readonly Ticket[];
  /** visits without errors, approved or not (the rules decide which count) */
  visits: readonly Visit[];
  holidays: readonly Holiday[];
  tierRules: readonly RawTierRule[];
  experienceSurveys: readonly ExperienceSurvey[];
  leadRules: readonly LeadRule[];
  tierStrategies: readonly TierStrategy[];
  serviceTargets: readonly ServiceTarget[];
  settings: Settings;
}
