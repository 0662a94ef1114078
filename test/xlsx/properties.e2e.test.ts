import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refColumn } from '../../sync-server/xlsx/cellRef.ts';
import { XlsxFormatError } from '../../sync-server/xlsx/errors.ts';
import { patchWorkbook } from '../../sync-server/xlsx/patcher.ts';
import { findSheet, readWorkbook } from '../../sync-server/xlsx/reader.ts';
import { writeXlsx, type Row } from '../../sync-server/xlsx/writer.ts';
import {
  digitsAtBytes,
  findElement,
  findElements,
  newTagScan,
  refColumnBytes,
  scanTagBytes,
  XmlSyntaxError,
} from '../../sync-server/xlsx/xmlScan.ts';
import { ZipFormatError } from '../../sync-server/xlsx/zipRead.ts';
import { rawEntries } from './zipBytes.ts';

let dir: string;
let n = 0;
const fresh = (): string => join(dir, `p${n++}.xlsx`);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-props-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Text a cell can hold as written: no lone surrogates (they become U+FFFD by design). */
const cellText = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 40 })
  .filter((s) => !/[\uD800-\uDFFF]/.test(s) && s.trim() !== '');
const cellValue = fc.oneof(
  cellText,
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const rows = fc.array(fc.array(cellValue, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 12,
});

/** What a reader gives back for a written row: trailing blanks dropped. */
function trimmed(row: readonly unknown[]): unknown[] {
  const out = [...row];
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

describe('the tag scanner the reader and the patcher share', () => {
  const tagLike = fc
    .array(
      fc.oneof(
        fc.constantFrom(' ', '\t', '\n', 'r', 't', 's', '=', '"', "'", '>', '/', 'A1', 'x', '12'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join(''));

  const run = (f: () => boolean): boolean | string => {
    try {
      return f();
    } catch (e) {
      return e instanceof XmlSyntaxError ? `error: ${e.message}` : `crash: ${String(e)}`;
    }
  };

  it('a tag cut short is "not yet", never another answer; whole, the same as in a longer buffer (5,000 runs)', () => {
    fc.assert(
      fc.property(tagLike, fc.nat({ max: 4 }), (text, from) => {
        const bytes = Buffer.from(text, 'latin1');
        const whole = newTagScan();
        const result = run(() => scanTagBytes(bytes, from, whole));
        expect(result === true || result === false || result.startsWith('error')).toBe(true);
        if (result !== true) return;
        for (let cut = from; cut < whole.end; cut++)
          expect(run(() => scanTagBytes(bytes.subarray(0, cut), from, newTagScan()))).not.toBe(
            true,
          );
        const longer = newTagScan();
        expect(scanTagBytes(Buffer.concat([bytes, Buffer.from('<x>')]), from, longer)).toBe(true);
        expect(longer).toEqual(whole);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds the values of r, t and s in a well-formed tag, the last one written winning (2,000 runs)', () => {
    const attr = fc.record({
      name: fc.constantFrom('r', 't', 's', 'x', 'rr', 'ht', 'spans'),
      value: fc
        .string({ unit: 'grapheme-ascii', maxLength: 5 })
        .map((v) => v.replace(/["'<>&]/g, '')),
      quote: fc.constantFrom('"', "'"),
      space: fc.constantFrom(' ', '  ', '\n', '\t'),
      eq: fc.constantFrom('=', ' = ', '=\n'),
    });
    fc.assert(
      fc.property(fc.array(attr, { maxLength: 6 }), fc.boolean(), (attrs, selfClosing) => {
        let tag = '<c';
        const want = { r: -1, t: -1, s: -1 };
        for (const a of attrs) {
          tag += `${a.space}${a.name}${a.eq}${a.quote}`;
          if (a.name === 'r' || a.name === 't' || a.name === 's') want[a.name] = tag.length;
          tag += `${a.value}${a.quote}`;
        }
        tag += selfClosing ? '/>' : '>';
        const scan = newTagScan();
        expect(scanTagBytes(Buffer.from(tag, 'latin1'), 2, scan)).toBe(true);
        expect(scan).toEqual({ ...want, end: tag.length, selfClosing });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads column letters as the reference parser does, and digits (2,000 runs)', () => {
    const ascii = fc.string({ unit: 'grapheme-ascii', maxLength: 10 });
    fc.assert(
      fc.property(ascii, (s) => {
        const b = Buffer.from(s, 'latin1');
        expect(refColumnBytes(b, 0, b.length)).toBe(refColumn(s, 0, s.length));
        const digits = /^\d+/.exec(s)?.[0];
        // Beyond 2^53 the two differ in rounding only; the scanner reads row numbers.
        if (!digits || digits.length < 16)
          expect(digitsAtBytes(b, 0)).toBe(digits ? Number(digits) : -1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the reader and the patcher', () => {
  it('read back what the writer wrote (60 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (data) => {
        const path = fresh();
        await writeXlsx(path, [
          {
            name: '表',
            columns: data[0]!.map((_, i) => ({ header: `列${i}` })),
            rows: data as Row[],
          },
        ]);
        const sheet = findSheet(await readWorkbook(path), '表')!;
        const got = new Map(sheet.rows.map((r) => [r.row, r.values]));
        data.forEach((row, i) => expect(got.get(i + 2) ?? []).toEqual(trimmed(row)));
      }),
      { numRuns: 60 },
    );
  });

  it('read back what a patch wrote and leave every other part byte-identical (60 runs)', async () => {
    const base = fresh();
    await writeXlsx(base, [
      { name: '客户', columns: [{ header: '名称' }, { header: '金额' }], rows: [['甲', 1]] },
      { name: '参数', columns: [{ header: '键' }, { header: '值' }], rows: [['a', 'b']] },
    ]);
    const before = await rawEntries(base);
    const cells = fc.array(
      fc.record({
        row: fc.integer({ min: 2, max: 40 }),
        col: fc.integer({ min: 0, max: 30 }),
        value: cellValue,
      }),
      { minLength: 1, maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(cells, async (patch) => {
        const dest = fresh();
        const result = await patchWorkbook(base, dest, { cells: { 客户: patch } });
        const last = new Map<string, unknown>();
        for (const c of patch) last.set(`${c.row}:${c.col}`, c.value);
        const sheet = findSheet(await readWorkbook(dest), '客户')!;
        for (const [key, value] of last) {
          const [row, col] = key.split(':').map(Number) as [number, number];
          const got = sheet.rows.find((r) => r.row === row)?.values[col] ?? null;
          expect(got).toEqual(value);
        }
        const now = await rawEntries(dest);
        expect([...now.keys()].sort()).toEqual([...before.keys()].sort());
        for (const [part, bytes] of before) {
          if (!result.partsRewritten.includes(part))
            expect(now.get(part)?.equals(bytes), part).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('turn arbitrary bytes into a clear error, never a hang or a crash (400 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const path = fresh();
        await writeFile(path, bytes);
        const err = await readWorkbook(path).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(Error);
        expect(
          err instanceof ZipFormatError ||
            err instanceof XlsxFormatError ||
            err instanceof XmlSyntaxError,
          String(err),
        ).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('damaged workbooks', () => {
  it('a mutated real workbook is read, or refused with a clear error (300 runs)', async () => {
    const base = fresh();
    await writeXlsx(base, [
      {
        name: '客户',
        columns: [{ header: '名称' }, { header: '金额', format: 'money' }],
        rows: Array.from({ length: 50 }, (_, i) => [`客户${i}`, i]),
      },
    ]);
    const original = await readFile(base);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          const bytes = Buffer.from(original);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const path = fresh();
          await writeFile(path, bytes);
          const err = await readWorkbook(path).then(
            () => null,
            (e: unknown) => e,
          );
          if (err !== null) {
            expect(
              err instanceof ZipFormatError ||
                err instanceof XlsxFormatError ||
                err instanceof XmlSyntaxError,
              String(err),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an end tag cut short does not send the element search round for ever', () => {
    expect(findElement('<a><b>x</b<', 'b')).toBeUndefined();
    expect(findElements('<s><x/></s<', 's')).toEqual([]);
  });
});
