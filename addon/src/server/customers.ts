/**
 * The customers sidebar on the open spreadsheet: the same directory the service builds
 * after a sync, built here from the tabs as they are, with the shared rules, and shown
 * to the Google account as its 用户 row allows (the same checks as the service's pages).
 */
import { TABS, USERS } from '../../../sheets-templates/tabs.ts';
import { wallTimeOf } from '../../../shared/calendar.ts';
import { CustomerViewer } from '../../../shared/customer360/access.ts';
import { buildDirectory, type CustomerDirectory } from '../../../shared/customer360/directory.ts';
import {
  customer360,
  customerList,
  type Customer360,
  type CustomerListView,
} from '../../../shared/customer360/view.ts';
import { computeRules } from '../../../shared/rules/index.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import { readDirectory, soleOperator } from '../../../shared/users.ts';
import type { Spreadsheet } from './gas.ts';
import { readTabs, SheetReader, workbookInput } from './read.ts';
import { identify } from './worklist.ts';

/**
 * The account as a viewer: its person in 用户, or — while 用户 has nobody — the one
 * person who uses the workbook. An account that cannot be matched is told whom to ask.
 */
export function viewerOf(ss: Spreadsheet, email: string): CustomerViewer {
  if (!readDirectory(readTabs(ss, [USERS.name])).enabled)
    return new CustomerViewer(soleOperator(email || '管理员'));
  const who = identify(ss, email);
  if (!who.ok) throw new Error(who.message);
  return new CustomerViewer(who.person);
}

function directoryOf(ss: Spreadsheet, nowMs: number): CustomerDirectory {
  const reader = new SheetReader(ss);
  const input = workbookInput(
    TABS.map((t) => [t.name, reader.whole(t.name)] as [string, ReturnType<SheetReader['whole']>]),
  );
  const timeZone = reader.timeZone;
  const now = wallTimeOf(nowMs, timeZone);
  const validated = validateWorkbook(input, now, { timeZone });
  return buildDirectory(validated, computeRules(validated.dataset, now), now);
}

const FILTER_KEYS = ['owner', 'tier', 'healthLevel', 'region', 'status'] as const;

export function listCustomers(
  ss: Spreadsheet,
  query: Record<string, unknown>,
  user: string,
  nowMs: number,
): CustomerListView {
  const viewer = viewerOf(ss, user);
  const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : '');
  const filters: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (str(query[k])) filters[k] = str(query[k]);
  const num = (v: unknown, d: number): number => {
    const n = Number(str(v));
    return Number.isInteger(n) && n >= 0 ? n : d;
  };
  return customerList(
    directoryOf(ss, nowMs),
    {
      q: str(query.q),
      filters,
      offset: num(query.offset, 0),
      limit: Math.min(500, num(query.limit, 50)),
    },
    viewer,
  );
}

export function showCustomer(
  ss: Spreadsheet,
  id: string,
  user: string,
  nowMs: number,
): Customer360 | null {
  const viewer = viewerOf(ss, user);
  const dir = directoryOf(ss, nowMs);
  const entry = dir.byId.get(id);
  const refusal = entry ? viewer.refusal(entry.owner, entry.id) : null;
  if (refusal !== null) throw new Error(refusal);
  return customer360(dir, id, viewer);
}
