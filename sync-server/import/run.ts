/**
 * An import against a store: read the customers under the store's lock, plan, and
 * (unless a dry run) write the planned cells before letting go, so no sync or form
 * takes the same new rows or IDs meanwhile.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { WallSeconds } from '../../shared/calendar.ts';
import { workbookNow } from '../../shared/forms/submit.ts';
import type { ImportMapping } from '../../shared/import/mappingFile.ts';
import { planImport, type ImportPlan, type OnDuplicate } from '../../shared/import/plan.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { readWorkbookSettings, type WorkbookInput } from '../../shared/validate/index.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { appendAudit } from '../../shared/audit.ts';
import { SourceError, type ReadSource } from './source.ts';
import { addSourceIssues, unusableSourceMessage } from '../../shared/import/sourceChecks.ts';

export interface RunImportOptions {
  tab?: TabDef;
  onDuplicate: OnDuplicate;
  mapping?: ImportMapping;
  dryRun: boolean;
  /** wall time of the workbook's zone; default: now there */
  now?: (timeZone: string) => WallSeconds;
  /** who imports, for 操作日志 (the operator of the command line when not given) */
  actor?: string;
}

export interface ImportReport {
  dryRun: boolean;
  plan: ImportPlan;
  source: Omit<ReadSource, 'table' | 'issues'> & { rows: number };
}

export async function runImport(
  store: WorkbookStore,
  source: ReadSource,
  options: RunImportOptions,
): Promise<ImportReport> {
  const tab = options.tab ?? T.CUSTOMERS;
  const plan = await store.exclusive(async () => {
    const snapshot = await store.read([tab.name, T.SETTINGS_TAB.name, T.AUDIT_LOG.name]);
    // Checked before planning, so a dry run says it too instead of passing and the import failing.
    if (!snapshot.input.tabs.has(tab.name))
      throw new SourceError(
        `工作簿中没有“${tab.name}”表，无法导入，未做任何改动：若它被改名或删除，请改回“${tab.name}”或从 .crm-backups 中恢复；若这还不是表格客户管理的工作簿，请先用 crm-sync init 新建一个再导入`,
      );
    const now = options.now
      ? options.now(snapshot.timeZone ?? workbookTimeZone(snapshot.input))
      : workbookNow(snapshot.input, Date.now(), snapshot.timeZone);
    const planned = planImport(source.table, snapshot.input, {
      tab,
      onDuplicate: options.onDuplicate,
      now,
      ...(options.mapping
        ? { mapping: options.mapping.columns, values: options.mapping.values }
        : {}),
    });
    addSourceIssues(planned, source.issues ?? []);
    const unusable = unusableSourceMessage(planned, source.table, tab.name, exampleHeaders(tab));
    if (unusable)
      throw new SourceError(
        source.sheet
          ? `工作表“${source.sheet}”${unusable}（要导入其他工作表请指定 --sheet）`
          : unusable,
      );
    if (!options.dryRun && planned.cells.length > 0)
      await store.writeCells([
        ...planned.cells,
        ...appendAudit(snapshot.input, [
          {
            time: now,
            actor: options.actor ?? '命令行',
            action: '导入',
            tab: tab.name,
            id: '',
            changes: [
              `来源: ${source.format}${source.sheet ? ` · ${source.sheet}` : ''}`,
              `新增 ${planned.added} 行`,
              `更新 ${planned.updated} 行`,
              `跳过 ${planned.skipped} 行`,
              `拒绝 ${planned.rejected} 行`,
            ],
          },
        ]),
      ]);
    return planned;
  });
  const { format, encoding, sheet } = source;
  return {
    dryRun: options.dryRun,
    plan,
    source: {
      format,
      ...(encoding ? { encoding } : {}),
      ...(sheet ? { sheet } : {}),
      rows: source.table.rows.length,
    },
  };
}

const exampleHeaders = (tab: TabDef): string[] =>
  tab.columns
    .filter((c) => c.owner === 'people' && c.required === true && c.key !== tab.idColumn)
    .slice(0, 3)
    .map((c) => `“${c.header}”`);

const workbookTimeZone = (input: WorkbookInput): string => readWorkbookSettings(input, []).timeZone;

/** The report as one JSON object: counts first, then every problem and duplicate. */
export function reportObject(report: ImportReport): Record<string, unknown> {
  const { plan } = report;
  return {
    added: plan.added,
    updated: plan.updated,
    skipped: plan.skipped,
    rejected: plan.rejected,
    problems: plan.problems,
    duplicates: plan.duplicates,
    dryRun: report.dryRun,
    blankRows: plan.blankRows,
    source: report.source,
    headerRow: plan.mapping.headerRow,
    mapping: plan.mapping.columns.map((c) => ({
      source: c.source,
      header: c.header,
      key: c.key,
      by: c.by,
    })),
    ignoredColumns: plan.mapping.ignored.map((c) => ({ source: c.source, reason: c.reason })),
    missingColumns: plan.mapping.missing.map((c) => c.header),
    defaults: plan.defaults.map((d) => ({ header: d.header, value: d.value })),
    rows: plan.outcomes,
  };
}

/** One line for people: what happened, or would. */
export function reportLine(report: ImportReport): string {
  const { plan } = report;
  const verb = nothingImported(report)
    ? report.dryRun
      ? '预览（未写入）：没有一行可以导入'
      : '没有导入任何行'
    : report.dryRun
      ? '预览（未写入）'
      : '导入完成';
  return `${verb}：新增 ${plan.added} 行，更新 ${plan.updated} 行，跳过 ${plan.skipped} 行，拒绝 ${plan.rejected} 行；${plan.problems.length} 个数据问题，${plan.duplicates.length} 个疑似重复`;
}

/** Rows were there but every one was rejected: the import did not happen. */
export const nothingImported = (report: ImportReport): boolean =>
  report.plan.added + report.plan.updated === 0 && report.plan.rejected > 0;
