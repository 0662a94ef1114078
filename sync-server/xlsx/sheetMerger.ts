/**
 * The sheet stream merge: a worksheet part streamed through with a sorted list of row
 * updates merged into `<sheetData>`, or a new sheet generated from its rows.
 */
import { MAX_PENDING_BYTES } from './byteScanner.ts';
import { columnLetters, extentOf, formatRange, parseRange, refColumn, union } from './cellRef.ts';
import { CellWriter } from './cellWriter.ts';
import { TRANSITIONAL, type Dialect } from './dialect.ts';
import { MAX_COLS } from './limits.ts';
import { NEW_SHEET_TAIL, newSheetHead } from './newSheet.ts';
import {
  PatchError,
  type PatchCellX,
  type PatchResult,
  type PatchRowX,
  type SheetJob,
} from './patchTypes.ts';
import { OrphanedFormulas } from './sharedFormulas.ts';
import type { StyleBook } from './styleBook.ts';
import {
  digitsAtBytes,
  markupEnd,
  findElement,
  findElements,
  newTagScan,
  parseAttributes,
  rawAttributes,
  refColumnBytes,
  rootPrefix,
  scanTagBytes,
  setAttr,
  tagEnd,
  type RawAttr,
} from './xmlScan.ts';

const HEAD = 0;
const BODY = 1;
const TAIL = 2;

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

function isQuote(ch: number): boolean {
  return ch === 34 || ch === 39;
}

/**
 * Streams one worksheet part through, merging a sorted list of row updates into
 * `<sheetData>`. Text between the updated rows is passed on as the same string slices
 * it arrived in; only rows that change are taken apart and rebuilt.
 */
export class SheetMerger {
  out: string[] = [];
  private buf = '';
  private tail = '';
  private pos = 0;
  private copyFrom = 0;
  private state = HEAD;
  private p = '';
  private rowOpen = '<row';
  private rowClose = '</row>';
  private cOpen = '<c';
  private cClose = '</c>';
  private sheetDataClose = '</sheetData';
  private next = 0;
  private rowNo = 0;
  private colStyles: Int32Array | null = null;
  private readonly headerStyles = new Map<number, number>();
  private readonly orphans = new OrphanedFormulas();
  private readonly cells: CellWriter;
  private readonly scan = newTagScan();
  private readonly cellScan = newTagScan();
  /** `buf` as bytes, made when first scanned: tags and numbers are read from them */
  private bytes: Buffer | null = null;

  constructor(
    private readonly job: SheetJob,
    styles: StyleBook,
    private readonly result: PatchResult,
    private readonly dialect: Dialect = TRANSITIONAL,
  ) {
    this.cells = new CellWriter(styles, job.content);
  }

  /** The pending text as bytes; `buf` is a byte string, so an index means the same in both. */
  private get view(): Buffer {
    return (this.bytes ??= Buffer.from(this.buf, 'latin1'));
  }

  private get replacing(): boolean {
    return this.job.mode === 'replace';
  }

  push(text: string): void {
    // The same bound as the reader's (byteScanner.ts), for the same reason.
    if (this.buf.length - this.pos > MAX_PENDING_BYTES)
      throw new PatchError(
        `${this.job.name}: 有一行（或一段标记）超过 ${MAX_PENDING_BYTES / 2 ** 20} MB 仍未结束，文件可能已损坏或是恶意构造的`,
      );
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.bytes = null;
    this.pos = 0;
    this.copyFrom = 0;
    if (this.state === HEAD) this.head();
    if (this.state === BODY) this.body();
    if (this.state === TAIL) {
      if (this.job.edits?.tail) {
        // The tail is small: held whole until the end, then edited as text.
        this.tail += this.buf.slice(this.copyFrom);
        this.copyFrom = this.buf.length;
      } else this.flush(this.buf.length);
      this.pos = this.buf.length;
    } else if (this.state === BODY) {
      if (!this.replacing) this.flush(this.pos);
    }
  }

  finish(): void {
    if (this.state !== TAIL)
      throw new PatchError(`${this.job.name}: malformed sheet (no sheetData)`);
    if (this.job.edits?.tail) this.out.push(this.job.edits.tail(this.tail, this.p));
    this.buf = '';
    this.bytes = null;
    this.pos = 0;
  }

  private flush(to: number): void {
    if (to > this.copyFrom) this.out.push(this.buf.slice(this.copyFrom, to));
    this.copyFrom = to;
  }

  /** What has been produced since the last call. */
  take(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private setPrefix(p: string): void {
    this.p = p;
    this.rowOpen = `<${p}row`;
    this.rowClose = `</${p}row>`;
    this.cOpen = `<${p}c`;
    this.cClose = `</${p}c>`;
    this.cells.p = p;
    this.orphans.setPrefix(p);
    this.sheetDataClose = `</${p}sheetData`;
  }

  /** Everything up to `<sheetData>` is small; it is buffered whole and edited as text. */
  private head(): void {
    const buf = this.buf;
    if (buf.indexOf('>') < 0) return;
    const p = rootPrefix(buf);
    const open = `<${p}sheetData`;
    let at = buf.indexOf(open);
    while (at >= 0) {
      const d = buf.charCodeAt(at + open.length);
      if (isSpace(d) || d === 62 || d === 47) break;
      at = buf.indexOf(open, at + 1);
    }
    if (at < 0) return;
    const gt = tagEnd(buf, at);
    if (gt < 0) return;
    this.setPrefix(p);
    let head = buf.slice(0, at);
    head = this.editHead(head);
    if (this.job.edits?.head) head = this.job.edits.head(head, p);
    const selfClosing = buf.charCodeAt(gt - 1) === 47;
    if (selfClosing) {
      this.out.push(head, buf.slice(at, gt + 1).replace(/\s*\/>$/, '>'));
      this.emitRemaining();
      this.out.push(`</${p}sheetData>`);
      this.state = TAIL;
      this.copyFrom = gt + 1;
      return;
    }
    this.out.push(head, buf.slice(at, gt + 1));
    this.state = BODY;
    this.pos = gt + 1;
    this.copyFrom = gt + 1;
  }

  private editHead(head: string): string {
    const cols = findElement(head, 'cols');
    if (cols) {
      for (const m of findElements(head, 'col', cols.innerStart, cols.innerEnd)) {
        const a = parseAttributes(m.tag);
        const style = a.get('style');
        if (style === undefined) continue;
        const min = Math.max(1, Number(a.get('min') ?? 1));
        const max = Math.min(MAX_COLS, Number(a.get('max') ?? min));
        this.colStyles ??= new Int32Array(MAX_COLS).fill(-1);
        for (let c = min; c <= max; c++) this.colStyles[c - 1] = Number(style);
      }
    }
    const dim = findElement(head, 'dimension');
    if (!dim) return head;
    const patchExtent = extentOf(this.job.rows);
    let ref: string;
    if (this.replacing) {
      ref = patchExtent ? formatRange(patchExtent) : 'A1';
    } else {
      if (!patchExtent) return head;
      const old = parseRange(parseAttributes(dim.tag).get('ref') ?? '');
      ref = formatRange(old ? union(old, patchExtent) : patchExtent);
    }
    return (
      head.slice(0, dim.start) +
      setAttr(dim.tag, 'ref', ref) +
      head.slice(dim.start + dim.tag.length)
    );
  }

  private body(): void {
    const buf = this.buf;
    const rows = this.job.rows;
    let pos = this.pos;
    for (;;) {
      if (!this.replacing && this.next >= rows.length && this.rowNo >= this.orphans.lastRow) {
        // Nothing left to change: copy through to the end of sheetData.
        const close = buf.indexOf(this.sheetDataClose, pos);
        if (close < 0) {
          pos = Math.max(pos, buf.length - this.sheetDataClose.length);
          break;
        }
        this.closeSheetData(close);
        return;
      }
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      if (lt + this.rowOpen.length >= buf.length) {
        pos = lt;
        break;
      }
      if (buf.startsWith(this.rowOpen, lt)) {
        const d = buf.charCodeAt(lt + this.rowOpen.length);
        if (isSpace(d) || d === 62 || d === 47) {
          if (!scanTagBytes(this.view, lt + this.rowOpen.length, this.scan)) {
            pos = lt;
            break;
          }
          const gt = this.scan.end - 1;
          const selfClosing = this.scan.selfClosing;
          const close = selfClosing ? gt + 1 : buf.indexOf(this.rowClose, gt + 1);
          if (close < 0) {
            pos = lt;
            break;
          }
          const rowEnd = selfClosing ? gt + 1 : close + this.rowClose.length;
          this.row(lt, gt, close, rowEnd, selfClosing);
          pos = rowEnd;
          continue;
        }
      }
      if (buf.startsWith(this.sheetDataClose, lt)) return this.closeSheetData(lt);
      // Anything else between rows (a comment, a processing instruction) is passed over.
      pos = markupEnd(buf, lt);
      if (pos < 0) {
        this.pos = lt;
        return;
      }
    }
    this.pos = pos;
  }

  private closeSheetData(at: number): void {
    if (this.replacing) this.copyFrom = at;
    else this.flush(at);
    this.emitRemaining();
    this.state = TAIL;
    this.pos = at;
  }

  private emitRemaining(): void {
    const rows = this.job.rows;
    while (this.next < rows.length) {
      const row = rows[this.next++];
      if (row) this.out.push(this.newRow(row));
    }
  }

  /** One `<row>`; `this.scan` holds its start tag's attributes. */
  private row(lt: number, gt: number, close: number, rowEnd: number, selfClosing: boolean): void {
    const buf = this.buf;
    const hasRef = this.scan.r >= 0;
    const r = hasRef ? digitsAtBytes(this.view, this.scan.r) : -1;
    const rowNo = r > 0 ? r : this.rowNo + 1;
    this.rowNo = rowNo;

    if (this.replacing) {
      if (rowNo <= (this.job.content?.headerRows ?? 1)) this.captureStyles(gt, close, rowNo);
      this.copyFrom = rowEnd;
      return;
    }
    const rows = this.job.rows;
    let patchRow = rows[this.next];
    while (patchRow && patchRow.row < rowNo) {
      this.flush(lt);
      this.out.push(this.newRow(patchRow));
      patchRow = rows[++this.next];
    }
    const hit = patchRow && patchRow.row === rowNo ? patchRow : null;
    if (hit) this.next++;
    let orphaned = false;
    if (this.orphans.size > 0 && rowNo <= this.orphans.lastRow && !selfClosing)
      orphaned = this.orphans.hasFormula(buf, gt, close);
    if (!hit && hasRef && !orphaned) return;
    const tag = buf.slice(lt, gt + 1);
    this.flush(lt);
    this.out.push(this.mergeRow(tag, gt, close, selfClosing, rowNo, hit, !hasRef));
    this.copyFrom = rowEnd;
  }

  private captureStyles(gt: number, close: number, rowNo: number): void {
    const buf = this.buf;
    let col = -1;
    let at = gt + 1;
    for (;;) {
      const c = buf.indexOf(this.cOpen, at);
      if (c < 0 || c >= close) return;
      const d = buf.charCodeAt(c + this.cOpen.length);
      if (!(isSpace(d) || d === 62 || d === 47)) {
        at = c + 1;
        continue;
      }
      const cgt = tagEnd(buf, c);
      const a = parseAttributes(buf.slice(c, cgt + 1));
      const ref = a.get('r');
      const rc = ref ? refColumn(ref, 0, ref.length) : -1;
      col = rc >= 0 ? rc : col + 1;
      const s = a.get('s');
      if (s !== undefined) this.headerStyles.set(rowNo * MAX_COLS + col, Number(s));
      at = cgt + 1;
    }
  }

  private mergeRow(
    tag: string,
    gt: number,
    close: number,
    selfClosing: boolean,
    rowNo: number,
    patch: PatchRowX | null,
    addRef: boolean,
  ): string {
    const buf = this.buf;
    const p = this.p;
    const cells = patch?.cells ?? [];
    const parts: string[] = [];
    let rowStyle: number | undefined;
    // A plain start tag (no spans to widen, no row style, nothing to add) stays as written.
    if (
      !selfClosing &&
      !addRef &&
      isQuote(tag.charCodeAt(tag.length - 2)) &&
      tag.indexOf('spans') < 0 &&
      tag.indexOf('customFormat') < 0
    ) {
      parts.push(tag);
    } else {
      const attrs = rawAttributes(tag, this.rowOpen.length, tag.length);
      const customFormat = attrs.find((a) => a.name === 'customFormat');
      const rowS = attrs.find((a) => a.name === 's');
      rowStyle =
        customFormat && (customFormat.value === '1' || customFormat.value === 'true') && rowS
          ? Number(rowS.value)
          : undefined;
      let start = `<${p}row`;
      if (addRef) start += ` r="${rowNo}"`;
      for (const a of attrs) {
        if (a.name === 'spans' && cells.length > 0) {
          const m = /^\s*([0-9]+):([0-9]+)/.exec(a.value);
          const first = (cells[0]?.col ?? 0) + 1;
          const last = (cells[cells.length - 1]?.col ?? 0) + 1;
          const lo = m ? Math.min(Number(m[1]), first) : first;
          const hi = m ? Math.max(Number(m[2]), last) : last;
          start += ` spans="${lo}:${hi}"`;
        } else {
          start += a.text;
        }
      }
      parts.push(start + '>');
    }

    const scan = this.cellScan;
    const cOpen = this.cOpen;
    let k = 0;
    let col = -1;
    let at = gt + 1;
    // Cells that stay as they are pass through as one slice, from `copy` on.
    let copy = at;
    if (!selfClosing) {
      for (;;) {
        const lt = buf.indexOf('<', at);
        if (lt < 0 || lt >= close) {
          parts.push(buf.slice(copy, close));
          break;
        }
        const d = buf.charCodeAt(lt + cOpen.length);
        const isCell = buf.startsWith(cOpen, lt) && (isSpace(d) || d === 62 || d === 47);
        if (!isCell) {
          // Anything after the cells (extLst) stays after them.
          const firstChild = buf.charCodeAt(lt + 1) !== 47 && !buf.startsWith('<!--', lt);
          if (firstChild) {
            parts.push(buf.slice(copy, lt));
            while (k < cells.length) this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
            parts.push(buf.slice(lt, close));
            copy = close;
            break;
          }
          at = buf.startsWith('<!--', lt) ? buf.indexOf('-->', lt) + 3 : tagEnd(buf, lt) + 1;
          continue;
        }
        if (!scanTagBytes(this.view, lt + cOpen.length, scan) || scan.end > close) {
          throw new PatchError(`${this.job.name}: malformed cell in row ${rowNo}`);
        }
        const cgt = scan.end - 1;
        const hasRef = scan.r >= 0;
        const rc = hasRef ? refColumnBytes(this.view, scan.r, cgt) : -1;
        col = rc >= 0 ? rc : col + 1;
        const cEnd = scan.selfClosing
          ? scan.end
          : buf.indexOf(this.cClose, scan.end) + this.cClose.length;
        const before = k < cells.length && (cells[k]?.col ?? 0) < col;
        const hit = !before && k < cells.length && cells[k]?.col === col;
        const formula =
          this.orphans.size > 0 &&
          !scan.selfClosing &&
          this.orphans.hasFormula(buf, scan.end, cEnd);
        if (!before && !hit && hasRef && !formula) {
          at = cEnd;
          continue;
        }
        parts.push(buf.slice(copy, lt));
        while (k < cells.length && (cells[k]?.col ?? 0) < col) {
          this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
        }
        const content = scan.selfClosing ? '' : buf.slice(cgt + 1, cEnd - this.cClose.length);
        const pc = cells[k];
        if (pc && pc.col === col) {
          k++;
          const ctag = buf.slice(lt, cgt + 1);
          const cattrs = rawAttributes(ctag, cOpen.length, ctag.length);
          parts.push(this.replaceCell(cattrs, content, pc, rowNo, rowStyle));
        } else {
          let text = buf.slice(lt, cEnd);
          if (formula)
            text = this.orphans.detach(text, cgt - lt + 1, content, rowNo, col, () => {
              this.result.formulasDetached++;
            });
          if (!hasRef) text = text.replace(/^<([^\s/>]+)/, `<$1 r="${columnLetters(col)}${rowNo}"`);
          parts.push(text);
        }
        at = cEnd;
        copy = cEnd;
      }
    }
    while (k < cells.length) this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
    parts.push(`</${p}row>`);
    return parts.join('');
  }

  private pushNewCell(
    parts: string[],
    cell: PatchCellX | undefined,
    rowNo: number,
    rowStyle: number | undefined,
  ): void {
    if (!cell) return;
    this.result.cellsWritten++;
    if (cell.value === null) return;
    const colStyle = this.colStyles?.[cell.col];
    const base = rowStyle ?? (colStyle !== undefined && colStyle >= 0 ? colStyle : undefined);
    parts.push(this.cells.cellXml(rowNo, cell, base, ''));
  }

  private replaceCell(
    attrs: RawAttr[],
    content: string,
    cell: PatchCellX,
    rowNo: number,
    rowStyle: number | undefined,
  ): string {
    this.result.cellsWritten++;
    if (this.orphans.overwritten(content, rowNo, cell.col)) this.result.formulasRemoved++;
    const sAttr = attrs.find((a) => a.name === 's');
    let base: number | undefined = sAttr ? Number(sAttr.value) : undefined;
    if (base === undefined) {
      const colStyle = this.colStyles?.[cell.col];
      base = rowStyle ?? (colStyle !== undefined && colStyle >= 0 ? colStyle : undefined);
    }
    // The value and its kind are ours now; value metadata and dynamic-array flags
    // described the old value and would point at nothing.
    let kept = '';
    for (const a of attrs) {
      if (
        a.name !== 'r' &&
        a.name !== 's' &&
        a.name !== 't' &&
        a.name !== 'cm' &&
        a.name !== 'vm'
      ) {
        kept += a.text;
      }
    }
    return this.cells.cellXml(rowNo, cell, base, kept);
  }

  private newRow(row: PatchRowX): string {
    const parts: string[] = [`<${this.p}row r="${row.row}">`];
    for (const cell of row.cells) {
      this.result.cellsWritten++;
      if (cell.value === null) continue;
      let base: number | undefined;
      if (cell.header) base = this.headerStyles.get(row.row * MAX_COLS + cell.col);
      if (base === undefined) {
        const colStyle = this.colStyles?.[cell.col];
        if (colStyle !== undefined && colStyle >= 0) base = colStyle;
      }
      parts.push(this.cells.cellXml(row.row, cell, base, ''));
    }
    if (parts.length === 1) return '';
    parts.push(`</${this.p}row>`);
    return parts.join('');
  }

  /** A sheet the patch creates: the whole part is generated. */
  generateNew(): void {
    const head = newSheetHead(this.job.rows, this.job.content, this.dialect);
    const edits = this.job.edits;
    this.out.push(edits?.head ? edits.head(head, '') : head, '<sheetData>');
    this.setPrefix('');
    for (const row of this.job.rows) this.out.push(this.newRow(row));
    this.out.push(edits?.tail ? edits.tail(NEW_SHEET_TAIL, '') : NEW_SHEET_TAIL);
  }
}
