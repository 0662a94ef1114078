/**
 * The customers sidebar on the open spreadsheet: the same directory the service builds
 * after a sync, built here from the tabs as they are, with the shared rules.
 */
import { TABS } from '../../../sheets-templates/tabs.ts';
import { wallTimeOf } from '../../../shared/calendar.ts';
import { EVERYONE_EDITS, type AccessPolicy } from '../../../shared/customer360/access.ts';
import { buildDirectory, type CustomerDirectory } from '../../../shared/customer360/directory.ts';
import {
  customer360,
  customerList,
  type Customer360,
  type CustomerListView,
} from '../../../shared/customer360/view.ts';
import { computeRules } from '../../../shared/rules/index.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import type { Spreadsheet } from './gas.ts';
import { SheetReader, workbookInput } from './read.ts';

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
  policy: AccessPolicy = EVERYONE_EDITS,
): CustomerListView {
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
    policy({ name: user }),
  );
}

export function showCustomer(
  ss: Spreadsheet,
  id: string,
  user: string,
  nowMs: number,
  policy: AccessPolicy = EVERYONE_EDITS,
): Customer360 | null {
  const dir = directoryOf(ss, nowMs);
  const entry = dir.byId.get(id);
  return customer360(dir, id, policy({ name: user }, entry ? { owner: entry.owner } : undefined));
}
