/**
 * The team fixture's day as a sync sees it: the workbook written, read back, validated and
 * computed on 2024-06-14 10:00, with the 用户 directory — the input of every 我的待办 test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateOf } from '../../shared/calendar.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { readDirectory } from '../../shared/users.ts';
import { validateWorkbook } from '../../shared/validate/index.ts';
import { buildWorkSource, type WorkSource } from '../../shared/worklist.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { writeWorkbook } from '../helpers/workbook.ts';
import { NOW, TEAM } from './fixture.ts';

export interface TeamDay {
  source: WorkSource;
  people: ReturnType<typeof readDirectory>;
  /** removes the workbook's folder */
  close(): Promise<void>;
}

export async function teamDay(): Promise<TeamDay> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-team-day-'));
  const file = join(dir, 'team.xlsx');
  await writeWorkbook(file, TEAM);
  const snapshot = await new XlsxFileStore(file).read();
  const validated = validateWorkbook(snapshot.input, NOW);
  const rules = computeRules(validated.dataset, NOW, { dueCallbacks: true });
  return {
    source: buildWorkSource(validated.dataset, rules.dueCallbacks, dateOf(NOW)),
    people: readDirectory(snapshot.input),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
