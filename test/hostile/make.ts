/**
 * The hostile corpus: broken and crafted workbooks and import files, each made here from
 * a fresh template workbook, so the corpus is code and nothing binary is committed.
 * `tsx test/hostile/make.ts <dir>` writes every case into <dir>; the tests call the
 * makers one by one.
 *
 * The crafted cases are big when inflated (a 1.2 GB cell, a 1.1 GB entry) but small on
 * disk: their deflate streams are one compressed block repeated, each block closed by a
 * full flush so it stands alone, the CRC-32 computed over the inflated bytes.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { init } from '../../sync-server/cli/commands/init.ts';
import { daysFromCivil, startOfDay } from '../../shared/calendar.ts';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A new template workbook (no sample data) at `file`. */
export async function templateWorkbook(file: string, sample = 0): Promise<void> {
  await init(
    { file, sample, seed: 1, now: startOfDay(daysFromCivil(2026, 11, 20)) + 36_000, force: true },
    () => undefined,
  );
}

/** The zip part of a tab, read from workbook.xml and its relationships. */
export function partOf(parts: Record<string, Uint8Array>, tab: string): string {
  const workbook = strFromU8(parts['xl/workbook.xml']!);
  const rels = strFromU8(parts['xl/_rels/workbook.xml.rels']!);
  const sheet = new RegExp(`<sheet [^>]*name="${tab}"[^>]*r:id="([^"]+)"`).exec(workbook);
  if (!sheet) throw new Error(`no tab ${tab}`);
  const rel = new RegExp(`Id="${sheet[1]}"[^>]*Target="([^"]+)"`).exec(rels);
  const target = rel![1]!;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

export async function parts(file: string): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await readFile(file)));
}

export async function writeParts(file: string, all: Record<string, Uint8Array>): Promise<void> {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(all)) z[k] = [v, { level: 6 }];
  await writeFile(file, zipSync(z));
}

/** Edits parts of a template workbook written at `file`. */
export async function editedWorkbook(
  file: string,
  edit: (p: Record<string, Uint8Array>) => void,
  sample = 0,
): Promise<void> {
  await templateWorkbook(file, sample);
  const p = await parts(file);
  edit(p);
  await writeParts(file, p);
}

export const text = (p: Record<string, Uint8Array>, name: string): string => strFromU8(p[name]!);
export const setText = (p: Record<string, Uint8Array>, name: string, body: string): void => {
  p[name] = strToU8(body);
};

/** What Excel's "Strict Open XML" save does to the parts: Strict's namespaces and relationship types. */
export const TRANSITIONAL_MAIN = NS;
export const TRANSITIONAL_REL =
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const STRICT_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
export const STRICT_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships';

export function toStrict(p: Record<string, Uint8Array>): void {
  for (const name of Object.keys(p)) {
    if (!/\.(xml|rels)$/.test(name)) continue;
    setText(
      p,
      name,
      text(p, name).replaceAll(NS, STRICT_MAIN).replaceAll(TRANSITIONAL_REL, STRICT_REL),
    );
  }
  setText(
    p,
    'xl/workbook.xml',
    text(p, 'xl/workbook.xml').replace('<workbook ', '<workbook conformance="strict" '),
  );
}

// ---- crafted zips: a prefix, one block repeated, a suffix -------------------------------

interface CraftedEntry {
  name: string;
  /** raw deflate stream */
  data: Buffer;
  crc: number;
  size: number;
}

const fullFlush = (bytes: Buffer): Buffer =>
  deflateRawSync(bytes, { finishFlush: constants.Z_FULL_FLUSH, level: 9 });

/** An entry whose inflated bytes are prefix + block × times + suffix. */
function repeatedEntry(
  name: string,
  prefix: string,
  block: Buffer,
  times: number,
  suffix: string,
): CraftedEntry {
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  const packed = fullFlush(block);
  const pieces = [fullFlush(head)];
  let crc = crc32(head);
  for (let i = 0; i < times; i++) {
    pieces.push(packed);
    crc = crc32(block, crc);
  }
  crc = crc32(tail, crc);
  pieces.push(deflateRawSync(tail));
  return {
    name,
    data: Buffer.concat(pieces),
    crc,
    size: head.length + block.length * times + tail.length,
  };
}

function plainEntry(name: string, body: Uint8Array): CraftedEntry {
  return { name, data: deflateRawSync(body), crc: crc32(body), size: body.length };
}

/** A zip of the given entries (deflated, no zip64: every size stays under 4 GiB). */
function zipOf(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const headerRow = (): string =>
  `<row r="1">${CUSTOMERS.columns
    .map((c, i) => `<c r="${colName(i)}1" t="inlineStr"><is><t>${c.header}</t></is></c>`)
    .join('')}</row>`;

export function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A template workbook whose 客户 sheet is replaced by a crafted entry. */
async function craftedCustomers(file: string, make: (part: string) => CraftedEntry): Promise<void> {
  await templateWorkbook(file);
  const p = await parts(file);
  const part = partOf(p, CUSTOMERS.name);
  const entries = Object.entries(p).map(([name, body]) =>
    name === part ? make(part) : plainEntry(name, body),
  );
  await writeFile(file, zipOf(entries));
}

const MB = Buffer.alloc(1 << 20, 'a');

/** One text cell of 1.2 GB (1,200 MiB) in 客户 — about 1.3 MB on disk. */
export const hugeCell = (file: string): Promise<void> =>
  craftedCustomers(file, (part) =>
    repeatedEntry(
      part,
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${headerRow()}<row r="2"><c r="B2" t="inlineStr"><is><t>`,
      MB,
      1200,
      `</t></is></c></row></sheetData></worksheet>`,
    ),
  );

/** 客户 inflating to 1.1 GB: the rows sit behind a 1.1 GB comment. */
export const zipBomb = (file: string): Promise<void> =>
  craftedCustomers(file, (part) =>
    repeatedEntry(
      part,
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${headerRow()}<!--`,
      Buffer.alloc(1 << 20, ' '),
      1100,
      `--></sheetData></worksheet>`,
    ),
  );

/**
 * 200,000 empty styled cells in 客户 (rows of 16,000, each `<c …></c>` with no `<v>`),
 * a value only at the very end.
 */
export async function emptyCells(file: string): Promise<void> {
  await editedWorkbook(file, (p) => {
    const part = partOf(p, CUSTOMERS.name);
    const rows: string[] = [headerRow()];
    let left = 200_000;
    for (let r = 2; left > 0; r++) {
      const n = Math.min(16_000, left);
      left -= n;
      let cells = '';
      for (let c = 0; c < n; c++) cells += `<c r="${colName(c)}${r}" s="0"></c>`;
      rows.push(`<row r="${r}">${cells}</row>`);
    }
    rows.push(`<row r="30"><c r="A30"><v>1</v></c></row>`);
    setText(
      p,
      part,
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows.join('')}</sheetData></worksheet>`,
    );
  });
}

/**
 * An import source of 41 sheets: the first holds 3 customers, the other 40 each hold
 * 20,000 rows that an import of the first sheet must never need to parse.
 */
export async function manySheets(file: string): Promise<void> {
  const parts: Record<string, string> = {};
  const sheets: string[] = [];
  const rels: string[] = [];
  const types: string[] = [];
  const filler = (r: number): string =>
    `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>填充公司${r}</t></is></c><c r="B${r}"><v>${r}</v></c></row>`;
  for (let s = 1; s <= 41; s++) {
    let rows = '';
    if (s === 1) {
      rows =
        `<row r="1"><c r="A1" t="inlineStr"><is><t>客户名称</t></is></c><c r="B1" t="inlineStr"><is><t>联系电话</t></is></c></row>` +
        [1, 2, 3]
          .map(
            (i) =>
              `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>导入公司${i}</t></is></c><c r="B${i + 1}" t="inlineStr"><is><t>1380013800${i}</t></is></c></row>`,
          )
          .join('');
    } else {
      const all: string[] = [];
      for (let r = 1; r <= 20_000; r++) all.push(filler(r));
      rows = all.join('');
    }
    parts[`xl/worksheets/sheet${s}.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
    sheets.push(`<sheet name="表${s}" sheetId="${s}" r:id="rId${s}"/>`);
    rels.push(
      `<Relationship Id="rId${s}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${s}.xml"/>`,
    );
    types.push(
      `<Override PartName="/xl/worksheets/sheet${s}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    );
  }
  parts['[Content_Types].xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${types.join('')}</Types>`;
  parts['_rels/.rels'] =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  parts['xl/workbook.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.join('')}</sheets></workbook>`;
  parts['xl/_rels/workbook.xml.rels'] =
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`;
  const z: Zippable = {};
  for (const [k, v] of Object.entries(parts)) z[k] = [strToU8(v), { level: 6 }];
  await writeFile(file, zipSync(z));
}

export const CRAFTED = { hugeCell, zipBomb, emptyCells, manySheets } as const;

if (process.argv[1] === import.meta.filename) {
  const dir = process.argv[2] ?? 'test-output/hostile';
  await mkdir(dir, { recursive: true });
  for (const [name, make] of Object.entries(CRAFTED)) {
    await make(join(dir, `${name}.xlsx`));
    process.stdout.write(`${name}.xlsx\n`);
  }
}
