/**
 * A mapping file for imports: which source column feeds which template column, and
 * values for columns a real list does not carry (客户类型, 客户来源, 负责人 …):
 *
 *   { "columns": { "公司": "客户名称", "备注2": null }, "values": { "客户来源": "展会推广" } }
 *
 * The flat form `{ "公司": "客户名称" }` (columns only) is read as before.
 */
import { z } from 'zod';
import type { TabDef } from '../../sheets-templates/types.ts';
import { checkUserMapping, targetColumn, type UserMapping } from './mapping.ts';

export interface ImportMapping {
  columns: UserMapping;
  /** column key → the value of every row where the source gives none */
  values: Readonly<Record<string, string>>;
}

const COLUMNS = z.record(z.string(), z.string().nullable());
const NESTED = z
  .object({
    columns: COLUMNS.optional(),
    values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict();

export const MAPPING_SHAPE =
  '应为 { "columns": { "源表头": "模板表头或列键" | null }, "values": { "模板表头": "默认值" } }，或只有列对应的 { "源表头": "模板表头" | null }';

export type MappingResult =
  { ok: true; mapping: ImportMapping } | { ok: false; problems: string[] };

export function parseMappingFile(raw: unknown, tab: TabDef): MappingResult {
  const isNested =
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.keys(raw).length > 0 &&
    Object.keys(raw).every((k) => k === 'columns' || k === 'values');
  let columns: UserMapping = {};
  const values: Record<string, string> = {};
  const problems: string[] = [];
  if (isNested) {
    const parsed = NESTED.safeParse(raw);
    if (!parsed.success) return { ok: false, problems: [`映射文件格式不对：${MAPPING_SHAPE}`] };
    columns = parsed.data.columns ?? {};
    for (const [target, value] of Object.entries(parsed.data.values ?? {})) {
      const column = targetColumn(tab, target);
      if (!column)
        problems.push(
          `默认值“${target}”：“${tab.name}”表没有这一列，应为表头（如 客户来源）或列键`,
        );
      else if (column.owner !== 'people' || column.key === tab.idColumn)
        problems.push(`默认值“${target}”：“${column.header}”由系统填写，不能指定`);
      else values[column.key] = String(value).trim();
    }
  } else {
    const parsed = COLUMNS.safeParse(raw);
    if (!parsed.success) return { ok: false, problems: [`映射文件格式不对：${MAPPING_SHAPE}`] };
    columns = parsed.data;
  }
  problems.push(...checkUserMapping(tab, columns));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mapping: { columns, values } };
}
