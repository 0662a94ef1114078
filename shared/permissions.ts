/**
 * Who may do what (docs/team.md § What each role may do), as one pure function of the person,
 * the action and the record it touches. The HTTP routes, the pages, the add-on and import
 * all ask here, so a refusal reads the same wherever it happens.
 */
import type { FormKey } from './forms/definitions.ts';
import { maskPhone } from './cells.ts';
import type { Person, Role } from './users.ts';

/** The acting person as the rules need them. */
export type Actor = Pick<Person, 'name' | 'role' | 'department' | 'active'>;

export type Action =
  /** see a customer, its orders, follow-ups, tickets and visits */
  | 'viewCustomer'
  | 'viewPhone'
  | 'createCustomer'
  /** edit a customer, 签约转正, 新建订单, 记录跟进 */
  | 'editCustomer'
  | 'createTicket'
  | 'handleTicket'
  | 'recordVisit'
  /** approve or send back a visit record */
  | 'reviewVisit'
  | 'importRows'
  | 'dedupe'
  | 'exportReports'
  /** edit 分层规则, 参数, 工单路由, 节假日 */
  | 'editConfig'
  | 'editUsers'
  /** name another person as 负责人/跟进人/处理人/回访人 */
  | 'actForOthers'
  /** run a sync of the whole workbook on demand */
  | 'sync';

/** What the action touches: the customer's 负责人, a ticket's 处理人 and 处理部门. */
export interface Subject {
  owner?: string;
  handler?: string;
  department?: string;
  /** for messages: 客户编号 or 工单编号 */
  id?: string;
}

export type Decision = { ok: true } | { ok: false; reason: string };

const ALLOW: Decision = { ok: true };
const deny = (reason: string): Decision => ({ ok: false, reason });

const WHAT: Readonly<Record<Action, string>> = {
  viewCustomer: '查看该客户',
  viewPhone: '查看完整电话',
  createCustomer: '新建客户',
  editCustomer: '修改该客户或为其签约、下单、记录跟进',
  createTicket: '为该客户新建工单',
  handleTicket: '处理该工单',
  recordVisit: '为该客户填写回访记录',
  reviewVisit: '审核回访记录',
  importRows: '批量导入',
  dedupe: '查找重复客户',
  exportReports: '导出报表',
  editConfig: '修改分层规则、参数、工单路由或节假日',
  editUsers: '修改用户',
  actForOthers: '以他人名义填写负责人、跟进人、处理人或回访人',
  sync: '立即同步',
};

const MANAGERS: readonly Role[] = ['经理', '管理员'];

const owns = (actor: Actor, subject: Subject | undefined): boolean =>
  subject?.owner !== undefined && subject.owner.trim() === actor.name;

function notOwn(actor: Actor, action: Action, subject: Subject | undefined): Decision {
  const which = subject?.id ? `客户 ${subject.id} ` : '该客户';
  const owner = subject?.owner?.trim();
  return deny(
    `${actor.name}（${actor.role}）不能${WHAT[action]}：${which}的负责人是${owner ? `“${owner}”` : '空'}，` +
      '销售只能操作自己负责的客户',
  );
}

const roleMayNot = (actor: Actor, action: Action): Decision =>
  deny(`${actor.role}不能${WHAT[action]}：请联系经理或管理员`);

/** May `actor` do `action` on `subject`? A 停用 person may do nothing. */
export function decide(actor: Actor, action: Action, subject?: Subject): Decision {
  if (!actor.active) return deny(`${actor.name} 的账号已停用，不能${WHAT[action]}`);
  const role = actor.role;
  if (role === '管理员') return ALLOW;
  const manager = role === '经理';
  switch (action) {
    case 'viewCustomer':
    case 'recordVisit':
      if (role === '客服' || manager) return ALLOW;
      return owns(actor, subject) ? ALLOW : notOwn(actor, action, subject);
    case 'viewPhone':
      if (manager) return ALLOW;
      if (role === '客服') return deny('客服只能看到打码后的电话');
      return owns(actor, subject) ? ALLOW : notOwn(actor, action, subject);
    case 'createCustomer':
      // A 销售 creates customers for themself only; the caller's name is written.
      if (manager) return ALLOW;
      if (role === '客服') return roleMayNot(actor, action);
      return subject?.owner === undefined || owns(actor, subject)
        ? ALLOW
        : deny('销售新建的客户，负责人只能是自己');
    case 'editCustomer':
      if (manager) return ALLOW;
      if (role === '客服') return roleMayNot(actor, action);
      return owns(actor, subject) ? ALLOW : notOwn(actor, action, subject);
    case 'createTicket':
      if (manager || role === '客服') return ALLOW;
      return owns(actor, subject) ? ALLOW : notOwn(actor, action, subject);
    case 'handleTicket': {
      if (manager) return ALLOW;
      if (role === '销售') return roleMayNot(actor, action);
      const handler = subject?.handler?.trim() ?? '';
      const department = subject?.department?.trim() ?? '';
      if (handler === actor.name) return ALLOW;
      if (actor.department !== '' && department === actor.department) return ALLOW;
      return deny(
        `${actor.name}不能处理工单${subject?.id ? ' ' + subject.id : ''}：` +
          `处理人是${handler ? `“${handler}”` : '空'}，处理部门是${department ? `“${department}”` : '空'}；` +
          `客服只能处理自己的工单或本部门${actor.department ? `（${actor.department}）` : ''}的工单`,
      );
    }
    case 'reviewVisit':
    case 'importRows':
    case 'dedupe':
    case 'exportReports':
    case 'editConfig':
    case 'actForOthers':
    case 'sync':
      return manager ? ALLOW : roleMayNot(actor, action);
    case 'editUsers':
      return deny(`${role}不能${WHAT[action]}：只有管理员可以修改“用户”表`);
  }
}

export const may = (actor: Actor, action: Action, subject?: Subject): boolean =>
  decide(actor, action, subject).ok;

/** A phone as this person may see it: in full, masked, or '' when blank. */
export function phoneAsSeen(actor: Actor, owner: string, phone: string): string {
  if (phone === '') return '';
  return may(actor, 'viewPhone', { owner }) ? phone : maskPhone(phone.replace(/\D/g, '') || phone);
}

/** The action each form performs, and on what. */
export const FORM_ACTIONS: Readonly<Record<FormKey, Action>> = {
  'new-customer': 'createCustomer',
  'sign-contract': 'editCustomer',
  'follow-up': 'editCustomer',
  'new-ticket': 'createTicket',
  'handle-ticket': 'handleTicket',
  'visit-record': 'recordVisit',
  'review-visit': 'reviewVisit',
  'new-order': 'editCustomer',
  'edit-customer': 'editCustomer',
  // docs/team.md lists no survey: a 需求调查 is sales work like 记录跟进, a 体验问卷 is a
  // callback of 回访计划 like 填写回访记录.
  'needs-survey': 'editCustomer',
  'experience-survey': 'recordVisit',
};

/**
 * The columns of each form that say who acts: filled from the signed-in person, and
 * only a 经理/管理员 may name another active person there.
 */
export const ACTOR_FIELDS: Readonly<Record<FormKey, readonly string[]>> = {
  'new-customer': ['owner'],
  'sign-contract': [],
  'follow-up': ['by'],
  'new-ticket': [],
  'handle-ticket': ['handler'],
  'visit-record': ['by'],
  'review-visit': [],
  'new-order': [],
  'edit-customer': ['owner'],
  'needs-survey': ['by'],
  'experience-survey': [],
};

export const isManager = (actor: Actor): boolean => MANAGERS.includes(actor.role);
