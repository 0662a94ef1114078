/**
 * A local .xlsx workbook as a store. Reads stream every tab; writes patch only the sync
 * cells, sync tabs and blank IDs into a temp file, which replaces the workbook by an
 * atomic rename once the workbook is known not to have changed since it was read. The
 * file it replaces is kept in a backups folder (the newest few).
 */
import { link, copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, extname, join } from 'node:path';
import { applyMode, writableModeOf } from '../files/keepMode.ts';
import { numberFormatOf, type CellFormat } from '../../shared/formats.ts';
import { inWorkbookEpoch } from './dateEpoch.ts';
import type { CellValue } from '../../shared/cells.ts';
import type { CellWrite, SyncPlan } from '../../shared/sync/plan.ts';
import type { ListTabEdits } from '../../shared/sync/rowEdits.ts';
import type { SheetRow } from '../../shared/validate/index.ts';
import {
  StaleSnapshotError,
  type Snapshot,
  type WorkbookStore,
  type WriteOutcome,
} from '../sync/store.ts';
import {
  patchWorkbook,
  type CellPatch,
  type RowEditsPatch,
  type SheetContent,
  type WorkbookPatch,
} from '../xlsx/patcher.ts';
import { readWorkbook } from '../xlsx/reader.ts';
import { replaceFile } from '../files/atomicFile.ts';
import {
  fileCrc,
  identityOf,
  marginOf,
  mtimeSettled,
  placedIdentity,
  statOf,
  stillSame,
  wallNs,
  type FileIdentity,
  type StatPart,
} from './fileIdentity.ts';
import { withFileLock } from './fileLock.ts';
import { WarmWorkbook } from './warmWorkbook.ts';
import { WarmEngine } from '../../shared/sync/warmEngine.ts';
import type { EntryChunks } from '../xlsx/rowChunks.ts';

interface FileVersion {
  size: number;
  mtimeMs: number;
}

export interface XlsxStoreOptions {
  /** how many previous versions to keep; default 5 */
  backups?: number;
  /** zlib level for rewritten sheets; default 4 (near level 6 in size at half its CPU) */
  compressionLevel?: number;
  /**
   * Keep the rows between reads (a long-running service): a read while the file is still
   * the one last read or written gives the kept rows, and every write updates them.
   */
  warm?: boolean;
  /**
   * rows from which cutForWrites cuts a sheet into pieces ahead of a form; default 10,000
   * (a smaller sheet is deflated whole by its first form in a few ms)
   */
  cutAheadRows?: number;
}

async function versionOf(path: string): Promise<FileVersion> {
  const s = await stat(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

const only = (
  tabs: ReadonlyMap<string, readonly SheetRow[]>,
  names: readonly string[] | undefined,
): Map<string, readonly SheetRow[]> =>
  new Map(names ? [...tabs].filter(([name]) => names.includes(name)) : tabs);

export class XlsxFileStore implements WorkbookStore {
  readonly label: string;
  /** the cold read keeps no rows, so the sync may free them as it validates */
  get writesByVersion(): boolean {
    return this.options.warm !== true;
  }
  /** the version of the last read: a FileVersion, or the FileIdentity when warm */
  private lastRead: unknown = null;
  private kept: WarmWorkbook | null = null;
  /** the sheets already cut into pieces for forms, per kept read (see cutForWrites) */
  private readonly cut = new WeakMap<WarmWorkbook, Set<string>>();
  /** how the kept file's sheets are cut into pieces (its own last write said), for the next patch */
  private chunks: ReadonlyMap<string, EntryChunks> | undefined;
  private loading: Promise<WarmWorkbook | Snapshot> | null = null;
  private writing: Promise<unknown> | null = null;
  /** what the warm syncs computed, reused for the customers whose rows did not change */
  private readonly engine = new WarmEngine();
  /** the date system of the workbook as last read: every serial written must use it */
  private date1904 = false;
  /** wall milliseconds of the last write, phase by phase (for the benchmarks) */
  lastWritePhases: Record<string, number> | undefined;

  constructor(
    readonly path: string,
    private readonly options: XlsxStoreOptions = {},
  ) {
    this.label = path;
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(this.path, fn);
  }

  async read(tabs?: readonly string[], progress?: (fraction: number) => void): Promise<Snapshot> {
    if (this.options.warm) return this.warmRead(tabs, progress);
    const snapshot = await this.coldRead(tabs, progress);
    this.lastRead = snapshot.version;
    return snapshot;
  }

  private async coldRead(
    tabs?: readonly string[],
    progress?: (fraction: number) => void,
  ): Promise<Snapshot> {
    const book = await readWorkbook(this.path, {
      ...(tabs ? { sheets: (name: string) => tabs.includes(name) } : {}),
      ...(progress ? { progress } : {}),
    });
    const map = new Map<string, readonly SheetRow[]>();
    for (const sheet of book.sheets) map.set(sheet.name, sheet.rows);
    this.date1904 = book.date1904;
    return {
      input: { tabs: map, epoch: book.date1904 ? 'excel1904' : 'excel1900' },
      version: book.file,
    };
  }

  /**
   * The kept rows while the file is unchanged; otherwise every tab read, and kept. A read
   * while a write is under way waits for it (the kept rows are then the file's again);
   * reads that find the file changed share one read of it.
   */
  private async warmRead(
    tabs?: readonly string[],
    progress?: (fraction: number) => void,
  ): Promise<Snapshot> {
    await this.writing?.catch(() => undefined);
    let kept = this.kept;
    if (!kept || !(await stillSame(this.path, kept.identity))) {
      this.loading ??= this.load(progress).finally(() => (this.loading = null));
      const loaded = await this.loading;
      if (loaded instanceof WarmWorkbook) kept = loaded;
      else {
        this.lastRead = loaded.version;
        return { ...loaded, input: { ...loaded.input, tabs: only(loaded.input.tabs, tabs) } };
      }
    }
    this.lastRead = kept.identity;
    this.date1904 = kept.epoch === 'excel1904';
    return { input: kept.input(tabs), version: kept.identity, engine: this.engine };
  }

  /** Reads the whole file and keeps it; a file that changed while read is only returned. */
  private async load(progress?: (fraction: number) => void): Promise<WarmWorkbook | Snapshot> {
    this.kept = null;
    this.chunks = undefined;
    // Taken before reading: a save in between leaves an identity the next check refuses.
    const identity = await identityOf(this.path);
    const cold = await this.coldRead(undefined, progress);
    if (!identity) return cold;
    this.kept = WarmWorkbook.of(cold.input, identity);
    return this.kept;
  }

  async write(
    snapshot: Snapshot,
    plan: SyncPlan,
    progress?: (fraction: number) => void,
  ): Promise<WriteOutcome> {
    const replaceSheets: Record<string, SheetContent> = {};
    const titles = new Map((plan.layouts ?? []).map((l) => [l.tab, l.titleRows]));
    for (const t of plan.newTabs) {
      const perColumn = t.formats.map((f) => (Array.isArray(f) ? undefined : numberFormatOf(f)));
      const dates = (c: number, r: number): CellFormat => {
        const f = t.formats[r];
        return Array.isArray(f)
          ? ((f[c] as CellFormat | undefined) ?? 'text')
          : ((t.formats[c] as CellFormat | undefined) ?? 'text');
      };
      replaceSheets[t.tab.name] = {
        rows: this.date1904
          ? t.rows.map((row, r) => row.map((v, c) => inWorkbookEpoch(v, dates(c, r), true)))
          : t.rows,
        numFmts: perColumn,
        colWidths: t.tab.columns.map((c) => c.width),
        headerRows: t.tab.columns.length > 0 ? 1 : 0,
        titleRows: titles.get(t.tab.name),
      };
    }
    // A list tab's change goes as row runs, not as its cells (they say the same).
    const asRuns = new Set((plan.rowEdits ?? []).map((t) => t.tab));
    const planned = asRuns.size > 0 ? plan.cells.filter((c) => !asRuns.has(c.tab)) : plan.cells;
    const cells = this.cellPatches([...planned, ...plan.ids], titles);
    // The plan's cells are now patches: emptied here, a full sync's million of them are
    // not held twice while the file is written (the caller reads only the plan's counts).
    plan.cells.length = 0;
    const patch: WorkbookPatch = {
      cells,
      replaceSheets,
      layouts: Object.fromEntries((plan.layouts ?? []).map((l) => [l.tab, l])),
      rowEdits: this.rowEditPatches(plan.rowEdits ?? []),
    };
    const cellsWritten = await this.commit(snapshot.version, patch, progress);
    return { cellsWritten, idsDeferred: 0 };
  }

  async writeCells(cells: readonly CellWrite[]): Promise<void> {
    if (!this.lastRead) throw new Error('writeCells needs a read() first');
    await this.commit(this.lastRead, { cells: this.cellPatches(cells) });
  }

  /**
   * Brings the warm engine's kept validation to the rows the last sync wrote (see
   * WarmEngine.settle), so the next form's sync validates its own rows only. A warm
   * service calls it when idle, inside exclusive(); a changed file is read first.
   */
  async settle(): Promise<void> {
    if (!this.options.warm) return;
    const read = await this.read();
    if (read.engine === this.engine) this.engine.settle(read.input);
  }

  /**
   * Rewrites a sheet as it is, in pieces, once per file read: the first form into a big
   * sheet the sync never writes (跟进记录 …) would otherwise wait while the whole sheet is
   * deflated again — seconds at 100,000 customers. A warm service calls it when idle, one
   * sheet at a time, inside exclusive(). A small sheet (options.cutAheadRows) is left to
   * its first form, which deflates it in a few ms. False when there was nothing to do.
   */
  async cutForWrites(tab: string): Promise<boolean> {
    if (!this.options.warm) return false;
    const read = await this.read();
    const kept = this.kept;
    const rows = read.input.tabs.get(tab)?.length ?? 0;
    if (!kept || rows < (this.options.cutAheadRows ?? 10_000)) return false;
    let done = this.cut.get(kept);
    if (!done) this.cut.set(kept, (done = new Set()));
    if (done.has(tab)) return false;
    await this.commit(this.lastRead, { cutSheets: [tab] });
    done.add(tab);
    return true;
  }

  /** `titles`: per tab whose look the sync decides, the rows set in bold */
  private cellPatches(
    cells: readonly CellWrite[],
    titles: ReadonlyMap<string, readonly number[] | undefined> = new Map(),
  ): Record<string, CellPatch[]> {
    const byTab: Record<string, CellPatch[]> = {};
    const titleSets = new Map<string, ReadonlySet<number> | undefined>();
    for (const c of cells) {
      let bold: boolean | undefined;
      if (titles.size > 0) {
        if (!titleSets.has(c.tab)) {
          const rows = titles.get(c.tab);
          titleSets.set(c.tab, rows && new Set(rows));
        }
        bold = titleSets.get(c.tab)?.has(c.row);
      }
      // One shape for every patch, so the patcher's reads of them stay monomorphic.
      (byTab[c.tab] ??= []).push({
        row: c.row,
        col: c.col,
        value: inWorkbookEpoch(c.value, c.format ?? 'general', this.date1904),
        numFmt: numberFormatOf(c.format),
        bold,
      });
    }
    return byTab;
  }

  /** The list tabs' row runs, their values in the workbook's date system. */
  private rowEditPatches(tabs: readonly ListTabEdits[]): Record<string, RowEditsPatch> {
    const out: Record<string, RowEditsPatch> = {};
    for (const t of tabs) {
      const fmts = t.formats;
      const inEpoch = (row: readonly CellValue[]): readonly CellValue[] =>
        this.date1904 ? row.map((v, c) => inWorkbookEpoch(v, fmts[c] ?? 'text', true)) : row;
      out[t.tab] = {
        edits: t.edits.map((e) => ({ at: e.at, remove: e.remove, insert: e.insert.map(inEpoch) })),
        numFmts: fmts.map((f) => numberFormatOf(f)),
        height: t.height,
        newHeight: t.newHeight,
      };
    }
    return out;
  }

  /** True when the file is still the version `read` was taken of. */
  private async unchanged(read: unknown): Promise<boolean> {
    if (read !== null && typeof read === 'object' && 'knownAtNs' in read)
      return stillSame(this.path, read as FileIdentity);
    const now = await versionOf(this.path);
    const was = read as FileVersion;
    return now.size === was.size && now.mtimeMs === was.mtimeMs;
  }

  /**
   * Patches into a temp file, then swaps it in if the workbook is still as read. Kept
   * rows are set aside meanwhile and take the patch only once the file holds it.
   */
  private commit(
    readVersion: unknown,
    patch: WorkbookPatch,
    progress?: (fraction: number) => void,
  ): Promise<number> {
    const done = this.place(readVersion, patch, progress);
    this.writing = done;
    return done.finally(() => {
      if (this.writing === done) this.writing = null;
    });
  }

  private async place(
    readVersion: unknown,
    patch: WorkbookPatch,
    progress?: (fraction: number) => void,
  ): Promise<number> {
    const kept = this.kept !== null && this.kept.identity === readVersion ? this.kept : null;
    const phases: Record<string, number> = {};
    let lap = performance.now();
    const mark = (phase: string): void => {
      const now = performance.now();
      phases[phase] = Math.round((phases[phase] ?? 0) + now - lap);
      lap = now;
    };
    this.lastWritePhases = phases;
    const mode = await writableModeOf(this.path);
    let crc: number | undefined;
    let cellsWritten: number;
    let chunks: ReadonlyMap<string, EntryChunks> | undefined;
    let temp: StatPart | undefined;
    let tempPath = '';
    let knownAtNs = 0n;
    try {
      cellsWritten = await replaceFile(
        this.path,
        async (path) => {
          const result = await patchWorkbook(this.path, path, patch, {
            compressionLevel: this.options.compressionLevel ?? 4,
            ...(progress ? { progress } : {}),
            // A sheet is cut into pieces the first time a write changes it; from then on
            // only the pieces holding changed rows are deflated again.
            ...(kept && this.chunks ? { chunks: this.chunks } : {}),
          });
          chunks = result.chunks;
          mark('patch');
          await applyMode(path, mode);
          if (kept) {
            tempPath = path;
            temp = await statOf(path);
          }
          return result.cellsWritten;
        },
        {
          overwrite: true,
          beforePlace: async () => {
            mark('fsync');
            if (!(await this.unchanged(readVersion)))
              throw new StaleSnapshotError(`工作簿在读取后被修改过：${this.path}`);
            mark('check');
            await this.backup();
            mark('backup');
            if (temp) crc = await this.settleTemp(tempPath, temp);
            mark('settle');
            // From the rename on, the file holds these bytes.
            knownAtNs = wallNs();
          },
        },
      );
      mark('rename');
    } catch (e) {
      // Whether or not the file was replaced, the kept rows may no longer be its content.
      this.kept = null;
      this.chunks = undefined;
      throw e;
    }
    if (this.options.warm) {
      const identity = kept && temp ? await placedIdentity(this.path, temp, knownAtNs, crc) : null;
      mark('identity');
      if (kept && identity) kept.patched(patch, identity);
      mark('rows');
      this.kept = kept && identity ? kept : null;
      this.chunks = this.kept ? chunks : undefined;
      this.lastRead = this.kept?.identity ?? null;
    } else {
      this.lastRead = await versionOf(this.path);
    }
    return cellsWritten;
  }

  /**
   * Makes the temp file's mtime a tick older than the rename to come, so that the identity
   * of the placed file is settled by its stat (see fileIdentity.ts): a big file's flush
   * takes longer than that anyway, a quick one waits the few ms left. On a coarse file
   * system (a 2 s tick) waiting costs more than reading the bytes: their CRC-32 is taken
   * instead, and the next check of the file compares it once.
   */
  private async settleTemp(path: string, temp: StatPart): Promise<number | undefined> {
    const wait = Number(temp.mtimeNs + 2n * marginOf(temp) - wallNs()) / 1e6;
    if (wait <= 0) return undefined;
    if (wait <= 60) {
      await sleep(wait);
      if (mtimeSettled(temp, wallNs())) return undefined;
    }
    return fileCrc(path);
  }

  /** Keeps the current file as the newest backup (a hard link: no copy, no window without a file). */
  private async backup(): Promise<void> {
    const keep = this.options.backups ?? 5;
    if (keep <= 0) return;
    const folder = join(dirname(this.path), '.crm-backups');
    await mkdir(folder, { recursive: true });
    const base = basename(this.path);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // An .xlsm keeps its extension, so a restored backup still opens with its macros.
    const ext = extname(this.path).toLowerCase() || '.xlsx';
    const target = join(folder, `${base}.${stamp}${ext}`);
    try {
      await link(this.path, target);
    } catch {
      await copyFile(this.path, target);
    }
    const mine = (await readdir(folder))
      .filter((f) => f.startsWith(base + '.') && f.endsWith(ext))
      .sort();
    for (const old of mine.slice(0, Math.max(0, mine.length - keep)))
      await rm(join(folder, old), { force: true });
  }
}
