/**
 * Which source column feeds which template column: the zh-CN header, the English
 * header (any case), a few everyday synonyms, or a mapping the person gives. The
 * synonyms live here and nowhere else.
 */
import type { ColumnDef, TabDef } from '../../sheets-templates/types.ts';
import { cellText, normalizeHeader, type RawCell } from '../cells.ts';
import type { SheetRow } from '../validate/index.ts';

/** Template header → other names people give that column. Compared after headerKey(). */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  客户名称: ['公司', '公司名称', '公司全称', '单位', '单位名称', '企业名称', '客户', '客户名'],
  统一社会信用代码: ['信用代码', '社会信用代码', '统一信用代码', '税号'],
  联系人: ['联系人姓名', '对接人', '法人', '法定代表人', '法人代表'],
  联系电话: ['手机', '手机号', '手机号码', '电话', '电话号码', '联系方式', 'mobile', 'tel'],
  邮箱: ['e-mail', 'email', '电子邮箱', '电子邮件', '邮件', '邮箱地址'],
  所属行业: ['行业'],
  客户来源: ['来源', '渠道'],
  客户类型: ['类型'],
  客户等级: ['等级'],
  客户状态: ['状态'],
  区域: ['地区', '所在地区'],
  地址: ['详细地址', '公司地址', '联系地址'],
  负责人: ['客户经理', '销售', '业务员'],
  建档日期: ['创建日期', '录入日期', '登记日期'],
  '生日/成立日': ['生日', '成立日期', '成立日'],
};

/**
 * A header as compared: trimmed, brackets folded, spaces and required-field marks
 * (`*`, `(必填)`) dropped, lower case.
 */
export function headerKey(raw: RawCell): string {
  return normalizeHeader(raw)
    .replace(/\((必填|选填)\)$/, '')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();
}

export type MappedBy = 'header' | 'en' | 'synonym' | 'mapping';

export interface ColumnMapping {
  /** 0-based column index in the source */
  index: number;
  /** the source header as written */
  source: string;
  key: string;
  /** the template header it fills */
  header: string;
  by: MappedBy;
}

export interface IgnoredColumn {
  index: number;
  source: string;
  reason: string;
}

export interface HeaderMapping {
  /** the source row taken as the header (1 unless title rows sit above it) */
  headerRow: number;
  columns: ColumnMapping[];
  ignored: IgnoredColumn[];
  /** template columns people fill that no source column feeds */
  missing: ColumnDef[];
}

/** A mapping file: source header → template header (zh or en) or key; null ignores the column. */
export type UserMapping = Readonly<Record<string, string | null>>;

/** The template column a mapping target names, or undefined. */
export function targetColumn(tab: TabDef, target: string): ColumnDef | undefined {
  const k = headerKey(target);
  return tab.columns.find(
    (c) => c.key === target || headerKey(c.header) === k || headerKey(c.en) === k,
  );
}

/** Problems of a mapping file against a tab: each names the entry and what is expected. */
export function checkUserMapping(tab: TabDef, mapping: UserMapping): string[] {
  const problems: string[] = [];
  for (const [source, target] of Object.entries(mapping)) {
    if (target === null) continue;
    const column = targetColumn(tab, target);
    if (!column)
      problems.push(
        `映射“${source}”→“${target}”：“${tab.name}”表没有这一列，应为表头（如 联系电话 / Phone）或列键（如 phone）`,
      );
    else if (column.owner !== 'people' || column.key === tab.idColumn)
      problems.push(`映射“${source}”→“${target}”：“${column.header}”由系统填写，不能导入`);
  }
  return problems;
}

function lookup(tab: TabDef): Map<string, { column: ColumnDef; by: MappedBy }> {
  const map = new Map<string, { column: ColumnDef; by: MappedBy }>();
  // Exact headers first so a synonym never shadows a real header.
  for (const c of tab.columns) map.set(headerKey(c.header), { column: c, by: 'header' });
  for (const c of tab.columns)
    if (!map.has(headerKey(c.en))) map.set(headerKey(c.en), { column: c, by: 'en' });
  for (const [header, names] of Object.entries(SYNONYMS)) {
    const column = tab.columns.find((c) => c.header === header);
    if (!column) continue;
    for (const name of names)
      if (!map.has(headerKey(name))) map.set(headerKey(name), { column, by: 'synonym' });
  }
  return map;
}

function mapRow(
  tab: TabDef,
  header: readonly RawCell[],
  user: UserMapping | undefined,
  known: Map<string, { column: ColumnDef; by: MappedBy }>,
): { columns: ColumnMapping[]; ignored: IgnoredColumn[] } {
  const userByKey = new Map(Object.entries(user ?? {}).map(([k, v]) => [headerKey(k), v]));
  const columns: ColumnMapping[] = [];
  const ignored: IgnoredColumn[] = [];
  const taken = new Map<string, string>();
  header.forEach((raw, index) => {
    const source = cellText(raw);
    if (source === '') return;
    const k = headerKey(raw);
    let found: { column: ColumnDef; by: MappedBy } | undefined;
    if (userByKey.has(k)) {
      const target = userByKey.get(k);
      if (target === null || target === undefined) {
        ignored.push({ index, source, reason: '映射文件指定忽略' });
        return;
      }
      const column = targetColumn(tab, target);
      if (column) found = { column, by: 'mapping' };
    } else found = known.get(k);
    if (!found) {
      ignored.push({ index, source, reason: '没有对应的列' });
      return;
    }
    const { column, by } = found;
    if (column.key === tab.idColumn) {
      ignored.push({ index, source, reason: `${column.header}由系统按规则分配，不导入` });
      return;
    }
    if (column.owner !== 'people') {
      ignored.push({ index, source, reason: `${column.header}由同步计算，不导入` });
      return;
    }
    const first = taken.get(column.key);
    if (first !== undefined) {
      ignored.push({ index, source, reason: `与“${first}”同为${column.header}，只用左边一列` });
      return;
    }
    taken.set(column.key, source);
    columns.push({ index, source, key: column.key, header: column.header, by });
  });
  return { columns, ignored };
}

/** How many of the first rows may be titles above the real header. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Maps the header row, taken as the row among the first few that names the most
 * template columns: exports often carry a merged title row above the header.
 */
export function mapHeaders(
  tab: TabDef,
  rows: readonly SheetRow[],
  user?: UserMapping,
): HeaderMapping {
  const known = lookup(tab);
  let best: { row: number; columns: ColumnMapping[]; ignored: IgnoredColumn[] } | undefined;
  for (const r of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const m = mapRow(tab, r.cells, user, known);
    if (!best || m.columns.length > best.columns.length) best = { row: r.row, ...m };
  }
  best ??= { row: 1, columns: [], ignored: [] };
  const fed = new Set(best.columns.map((c) => c.key));
  const missing = tab.columns.filter(
    (c) => c.owner === 'people' && c.key !== tab.idColumn && !fed.has(c.key),
  );
  return { headerRow: best.row, columns: best.columns, ignored: best.ignored, missing };
}
