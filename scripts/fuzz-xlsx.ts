/**
 * `tsx scripts/fuzz-xlsx.ts [seconds] [seed]`: mutates real workbooks (the producer
 * fixtures and a workbook from the writer) and feeds each mutant to the reader and the
 * patcher. Every input must end as a workbook read (and patched), or as one of the
 * layer's own errors; anything else, or an input that takes over 20 s, is saved under
 * fuzz-out/ and reported. Runs in a child process so a hang can be caught and stopped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';

const HANG_MS = 20_000;

interface Report {
  kind: 'ok' | 'clear' | 'unclear';
  detail: string;
  input?: Uint8Array;
}

if (!process.env.FUZZ_XLSX_CHILD) {
  const seconds = Number(process.argv[2] ?? 60);
  const seed = Number(process.argv[3] ?? Date.now() % 1e9);
  const counts = { ok: 0, clear: 0, unclear: 0, hang: 0, crash: 0 };
  let stopping = false;
  const errors = new Map<string, number>();
  mkdirSync('fuzz-out', { recursive: true });
  const deadline = Date.now() + seconds * 1000;
  let worker: ChildProcess | null = null;
  let timer: NodeJS.Timeout | null = null;
  let last: Uint8Array | undefined;
  const start = (workerSeed: number): void => {
    worker = fork(import.meta.filename, [String(workerSeed)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FUZZ_XLSX_CHILD: '1' },
      serialization: 'advanced',
    });
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        counts.hang++;
        if (last) writeFileSync(join('fuzz-out', `hang-${counts.hang}.xlsx`), last);
        stopping = true;
        worker?.kill('SIGKILL');
      }, HANG_MS);
    };
    arm();
    worker.on('message', (m: Report | { input: Uint8Array }) => {
      if ('kind' in m) {
        counts[m.kind]++;
        if (m.kind !== 'ok') errors.set(m.detail, (errors.get(m.detail) ?? 0) + 1);
        if (m.kind === 'unclear' && m.input) {
          writeFileSync(join('fuzz-out', `unclear-${counts.unclear}.xlsx`), m.input);
        }
      } else {
        last = m.input;
      }
      arm();
      if (Date.now() > deadline) {
        stopping = true;
        worker?.kill('SIGKILL');
      }
    });
    worker.on('exit', () => {
      if (timer) clearTimeout(timer);
      if (!stopping) {
        // the process died on an input: a crash, whatever the layer meant to do
        counts.crash++;
        if (last) writeFileSync(join('fuzz-out', `crash-${counts.crash}.xlsx`), last);
      }
      stopping = false;
      if (Date.now() < deadline) start(workerSeed + 1);
      else finish();
    });
  };
  const finish = (): void => {
    const total = counts.ok + counts.clear + counts.unclear + counts.hang + counts.crash;
    console.log(`seed ${seed}, ${seconds} s: ${total} inputs`);
    console.log(
      `  read and patched: ${counts.ok}; clear errors: ${counts.clear}; unclear: ${counts.unclear}; hangs: ${counts.hang}; crashes: ${counts.crash}`,
    );
    const top = [...errors].sort((a, b) => b[1] - a[1]).slice(0, 15);
    for (const [detail, k] of top) console.log(`  ${k}× ${detail}`);
    process.exitCode = counts.unclear + counts.hang + counts.crash > 0 ? 1 : 0;
  };
  start(seed);
} else {
  const { fixtureBytes, PRODUCER_FIXTURES } = await import('./xlsxFixtures.ts');
  const { writeXlsx } = await import('../sync-server/xlsx/writer.ts');
  const { readWorkbook } = await import('../sync-server/xlsx/reader.ts');
  const { patchWorkbook, PatchError } = await import('../sync-server/xlsx/patcher.ts');
  const { XlsxFormatError } = await import('../sync-server/xlsx/errors.ts');
  const { XmlSyntaxError } = await import('../sync-server/xlsx/xmlScan.ts');
  const { ZipFormatError } = await import('../sync-server/xlsx/zipRead.ts');
  const { ZipLimitError } = await import('../sync-server/xlsx/zipWrite.ts');
  const { readFile, writeFile } = await import('node:fs/promises');
  const { inflateRawSync, deflateRawSync } = await import('node:zlib');

  const dir = join(tmpdir(), `fuzz-xlsx-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const written = join(dir, 'written.xlsx');
  await writeXlsx(written, [
    {
      name: '客户',
      columns: [
        { header: '名称' },
        { header: '金额', format: 'money' },
        { header: '日期', format: 'date' },
      ],
      rows: Array.from({ length: 200 }, (_, i) => [`客户${i}`, i * 1.5, 46000 + i]),
    },
  ]);
  const seeds: Uint8Array[] = [
    new Uint8Array(await readFile(written)),
    ...Object.values(PRODUCER_FIXTURES).map(fixtureBytes),
  ];

  let state = Number(process.argv[2]) >>> 0 || 1;
  const rand = (n: number): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };

  /** A stored entry's data, inflated, mutated as text and deflated again. */
  function mutateInside(bytes: Uint8Array): Uint8Array {
    const buf = Buffer.from(bytes);
    const local = [];
    for (let i = 0; i + 30 < buf.length; i++) {
      if (buf.readUInt32LE(i) === 0x04034b50 && buf.readUInt16LE(i + 8) === 8) local.push(i);
    }
    if (local.length === 0) return bytes;
    const at = local[rand(local.length)]!;
    const csize = buf.readUInt32LE(at + 18);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    let text: Buffer;
    try {
      text = inflateRawSync(buf.subarray(start, start + csize));
    } catch {
      return bytes;
    }
    const t = Buffer.from(text);
    const edits = 1 + rand(4);
    for (let k = 0; k < edits && t.length > 0; k++) {
      const p = rand(t.length);
      const choice = rand(5);
      if (choice === 0) t[p] = rand(256);
      else if (choice === 1) t[p] = '<>"/= 0A9tsrv'.charCodeAt(rand(13));
      else if (choice === 2) t.copyWithin(p, rand(t.length));
      else if (choice === 3) t.fill(0x3c, p, Math.min(t.length, p + 1 + rand(8)));
      else t[p] = 0x20;
    }
    const again = deflateRawSync(t);
    // Sizes and CRC stay as they were: a mismatch is one more thing to be caught.
    return Buffer.concat([buf.subarray(0, start), again, buf.subarray(start + csize)]);
  }

  function mutate(bytes: Uint8Array): Uint8Array {
    const kind = rand(4);
    if (kind === 0) return mutateInside(bytes);
    const out = Buffer.from(bytes);
    if (kind === 1) {
      for (let k = 1 + rand(8); k > 0; k--) out[rand(out.length)] = rand(256);
      return out;
    }
    if (kind === 2) return out.subarray(0, rand(out.length));
    const a = rand(out.length);
    const b = rand(out.length);
    return Buffer.concat([out.subarray(0, a), out.subarray(b)]);
  }

  const clear = (e: unknown): boolean =>
    e instanceof ZipFormatError ||
    e instanceof XlsxFormatError ||
    e instanceof XmlSyntaxError ||
    e instanceof PatchError ||
    e instanceof ZipLimitError;

  const src = join(dir, 'in.xlsx');
  const dest = join(dir, 'out.xlsx');
  for (;;) {
    const input = mutate(seeds[rand(seeds.length)]!);
    await new Promise<void>((resolve) => process.send!({ input }, () => resolve()));
    await writeFile(src, input);
    let report: Report;
    try {
      const book = await readWorkbook(src);
      const first = book.sheets[0];
      if (first) {
        await patchWorkbook(src, dest, {
          cells: { [first.name]: [{ row: 2, col: 1, value: 3.5, numFmt: 'number' }] },
        });
        await readWorkbook(dest);
      }
      report = { kind: 'ok', detail: '' };
    } catch (e) {
      const name = e instanceof Error ? e.name : typeof e;
      const message = e instanceof Error ? e.message.replace(/[0-9]+/g, 'N').slice(0, 80) : '';
      report = clear(e)
        ? { kind: 'clear', detail: `${name}: ${message}` }
        : { kind: 'unclear', detail: `${name}: ${message}`, input };
    }
    await new Promise<void>((resolve) => process.send!(report, () => resolve()));
  }
  await rm(dir, { recursive: true, force: true });
}
