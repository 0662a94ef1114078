/**
 * What an import source can hide that the mapping and the row checks never see: a
 * quote left open that swallows every later row, text past what a cell can hold,
 * control characters, a file in which no header can be found. Each becomes an 错误 or
 * a 警告 with the row it is on, so nothing is cut or dropped without the person being
 * told. Pure: the local service, the CLI and the add-on share it.
 */
import { cellText } from '../cells.ts';
import type { ProblemLevel } from '../model.ts';
import type { SheetRow } from '../validate/index.ts';
import type { ImportPlan, SourceTable } from './plan.ts';

/** Excel's limit for one cell; Google Sheets' is higher, but the file must open in Excel. */
export const CELL_TEXT_MAX = 32_767;

/** A problem found in the source before mapping: on a row, in a 0-based source column. */
export interface SourceIssue {
  sourceRow: number;
  /** 0-based column of the source; null for the whole row or line */
  col: number | null;
  value: string;
  message: string;
  level: ProblemLevel;
  /** the row is left out of the import (and counted as rejected) */
  rejectsRow: boolean;
}

/**
 * The record (1-based, as a spreadsheet numbers rows) where a quoted field opens and
 * never closes, or null. Follows parseCsv: a quote opens a field only at its start.
 */
export function unclosedQuoteRow(text: string, delimiter: string): number | null {
  let record = 1;
  let fieldStart = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && fieldStart) {
      const opened = record;
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return opened;
        if (text[q + 1] === '"') {
          j = q + 2;
          continue;
        }
        // Line breaks inside the quotes are part of the field, not new records.
        j = q + 1;
        break;
      }
      i = j;
      fieldStart = false;
      continue;
    }
    if (ch === delimiter) fieldStart = true;
    else if (ch === '\r' || ch === '\n') {
      record++;
      fieldStart = true;
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else fieldStart = false;
    i++;
  }
  return null;
}

export function unclosedQuoteMessage(row: number, rowsAfter: number): string {
  return (
    `第 ${row} 行有一个双引号没有闭合：从这里到文件末尾${rowsAfter > 0 ? `的 ${rowsAfter} 行` : ''}都会被读成同一个单元格，所以没有导入任何行。` +
    '请在该行补上闭合的引号（单元格里的引号要写成两个 ""），或在 Excel/WPS 中打开后重新另存为 CSV'
  );
}

// C0 controls and DEL, but not tab, line feed and carriage return, which cells may hold.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const codePoint = (ch: string): string =>
  `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

const excerpt = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Text cells checked one by one: past Excel's limit the row is rejected (cutting would
 * lose what the person wrote), control characters are removed with a 警告 (they cannot
 * be stored in an .xlsx and are never meant).
 */
export function checkSourceCells(table: SourceTable): {
  table: SourceTable;
  issues: SourceIssue[];
} {
  const issues: SourceIssue[] = [];
  const rows: SheetRow[] = [];
  for (const r of table.rows) {
    let rejected = false;
    let cells: SheetRow['cells'] = r.cells;
    r.cells.forEach((cell, col) => {
      if (typeof cell !== 'string') return;
      if (cell.length > CELL_TEXT_MAX) {
        rejected = true;
        issues.push({
          sourceRow: r.row,
          col,
          value: excerpt(cell),
          message: `单元格有 ${cell.length} 个字符，超过 Excel 单个单元格 ${CELL_TEXT_MAX} 个字符的上限：整行未导入（截断会丢失内容）。请把这段文字缩短或分到其他列后重新导入`,
          level: '错误',
          rejectsRow: true,
        });
        return;
      }
      const found = cell.match(CONTROL);
      if (!found) return;
      if (cells === r.cells) cells = [...r.cells];
      (cells as unknown[])[col] = cell.replace(CONTROL, '');
      const kinds = [...new Set(found)].map(codePoint).join('、');
      issues.push({
        sourceRow: r.row,
        col,
        value: excerpt(cell.replace(CONTROL, '�')),
        message: `含有 ${found.length} 个控制字符（${kinds}），已删除后导入：请核对这个单元格`,
        level: '警告',
        rejectsRow: false,
      });
    });
    if (!rejected) rows.push(cells === r.cells ? r : { row: r.row, cells });
  }
  return { table: { ...table, rows }, issues };
}

/**
 * Source issues joined to the plan: named by the source's header where the mapping found
 * one, every rejected row counted and given an outcome, in row order.
 */
export function addSourceIssues(plan: ImportPlan, issues: readonly SourceIssue[]): void {
  if (issues.length === 0) return;
  const header = new Map<number, string>();
  for (const c of plan.mapping.columns) header.set(c.index, c.source);
  for (const c of plan.mapping.ignored) header.set(c.index, c.source);
  const columnName = (col: number | null): string =>
    col === null ? '' : (header.get(col) ?? `第 ${col + 1} 列`);
  for (const i of issues)
    plan.problems.push({
      sourceRow: i.sourceRow,
      column: columnName(i.col),
      value: i.value,
      message: i.message,
      level: i.level,
    });
  plan.problems.sort((a, b) => a.sourceRow - b.sourceRow);
  const rejected = new Map<number, string>();
  for (const i of issues)
    if (i.rejectsRow && !rejected.has(i.sourceRow)) rejected.set(i.sourceRow, i.message);
  for (const [sourceRow, reason] of rejected)
    plan.outcomes.push({ sourceRow, action: 'rejected', reason });
  plan.outcomes.sort((a, b) => a.sourceRow - b.sourceRow);
  plan.rejected += rejected.size;
}

/**
 * Why nothing can be imported from this source at all, or null: no rows, or no row
 * among the first ones that names a single column of the tab.
 */
export function unusableSourceMessage(
  plan: ImportPlan,
  table: SourceTable,
  tabName: string,
  examples: readonly string[],
): string | null {
  if (table.rows.length === 0 && plan.rejected === 0)
    return '导入文件中没有任何内容（没有非空行）：请确认选对了文件和工作表';
  if (plan.mapping.columns.length > 0 || table.rows.length === 0) return null;
  const seen = table.rows
    .slice(0, 1)
    .flatMap((r) => r.cells.map((c) => cellText(c)).filter((t) => t !== ''))
    .slice(0, 5)
    .map((t) => `“${excerpt(t)}”`);
  return (
    `找不到表头：文件前 10 行中没有一行含有“${tabName}”表的列名（如 ${examples.join('、')}），所以没有导入任何行` +
    (seen.length > 0 ? `（第 ${table.rows[0]!.row} 行是 ${seen.join('、')}）` : '') +
    '。请在数据上方加一行列名，或用映射文件（--mapping）指定每列对应的列名'
  );
}
