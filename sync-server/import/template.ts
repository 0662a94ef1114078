/**
 * The import template people download from the import page: the 客户 columns people
 * fill (not 客户编号, which the import assigns), with one example row, as CSV (UTF-8
 * with BOM, so Excel for Chinese Windows opens it right) or as xlsx with the dropdowns.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { columnSpec } from '../workbook/template.ts';
import { writeXlsx } from '../xlsx/writer.ts';

const COLUMNS = CUSTOMERS.columns.filter(
  (c) => c.owner === 'people' && c.key !== CUSTOMERS.idColumn,
);

const EXAMPLE: Readonly<Record<string, string>> = {
  kind: '企业',
  name: '上海示例科技有限公司',
  contact: '张三',
  phone: '13800138000',
  email: 'zhangsan@example.com',
  industry: '制造业',
  source: '展会推广',
  status: '潜在',
  intent: 'B',
  region: '华东',
  owner: '李明',
};

const csvCell = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

export function importTemplateCsv(): string {
  const header = COLUMNS.map((c) => csvCell(c.header)).join(',');
  const example = COLUMNS.map((c) => csvCell(EXAMPLE[c.key] ?? '')).join(',');
  return '\uFEFF' + header + '\r\n' + example + '\r\n';
}

export async function importTemplateXlsx(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-template-'));
  try {
    const file = join(dir, 'template.xlsx');
    await writeXlsx(file, [
      {
        name: CUSTOMERS.name,
        // Dropdowns only where the list is fixed: a template has no 参数 tab to point at.
        columns: COLUMNS.map((c) => {
          const spec = columnSpec(c);
          if (spec.dropdown?.range !== undefined) delete spec.dropdown;
          return spec;
        }),
        rows: [COLUMNS.map((c) => EXAMPLE[c.key] ?? null)],
      },
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
