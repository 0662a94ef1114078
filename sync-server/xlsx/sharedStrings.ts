/** The shared-strings table (`<si>` items, plain or rich text), read as a stream. */
import { ByteScanner, pushText, scanEntry } from './byteScanner.ts';
import { decodeText } from './xmlText.ts';
import { rootPrefix, runText } from './xmlScan.ts';
import type { ZipArchive, ZipEntry } from './zipRead.ts';

/** The shared strings of a workbook, in index order. */
export async function readSharedStrings(zip: ZipArchive, entry: ZipEntry): Promise<string[]> {
  const scanner = new SharedStringScanner();
  await scanEntry(zip, entry, scanner);
  return scanner.strings;
}

class SharedStringScanner extends ByteScanner {
  readonly strings: string[] = [];
  private prefix: string | null = null;
  private siOpen = '<si';
  private siClose = '</si>';
  private tOpen = '<t';
  private tClose = '</t>';

  protected scan(): void {
    if (this.prefix === null) {
      if (this.buf.indexOf('>') < 0) return;
      const p = (this.prefix = rootPrefix(this.buf));
      this.siOpen = `<${p}si`;
      this.siClose = `</${p}si>`;
      this.tOpen = `<${p}t`;
      this.tClose = `</${p}t>`;
    }
    const buf = this.buf;
    const { siOpen, siClose } = this;
    let pos = this.pos;
    for (;;) {
      const lt = buf.indexOf(siOpen, pos);
      if (lt < 0) {
        pos = Math.max(pos, buf.length - siOpen.length);
        break;
      }
      if (lt + siOpen.length >= buf.length) {
        pos = lt;
        break;
      }
      const d = buf.charCodeAt(lt + siOpen.length);
      if (d !== 62 && d !== 32 && d !== 47 && d !== 9 && d !== 10 && d !== 13) {
        pos = lt + 1;
        continue;
      }
      const gt = buf.indexOf('>', lt);
      if (gt < 0) {
        pos = lt;
        break;
      }
      if (buf.charCodeAt(gt - 1) === 47) {
        this.strings.push('');
        pos = gt + 1;
        continue;
      }
      const close = buf.indexOf(siClose, gt + 1);
      if (close < 0) {
        pos = lt;
        break;
      }
      this.strings.push(this.siText(gt + 1, close));
      pos = close + siClose.length;
    }
    this.pos = pos;
  }

  /** Text of an `<si>`: the plain single-`<t>` case inline, rich text the long way. */
  private siText(from: number, to: number): string {
    const { buf, tOpen, tClose } = this;
    if (buf.startsWith(tOpen, from)) {
      const d = buf.charCodeAt(from + tOpen.length);
      if (d === 62 || d === 32) {
        const gt = d === 62 ? from + tOpen.length : buf.indexOf('>', from);
        if (gt > 0 && gt < to && buf.charCodeAt(gt - 1) !== 47) {
          const end = buf.indexOf('<', gt + 1);
          if (end >= 0 && buf.startsWith(tClose, end) && end + tClose.length === to) {
            return decodeText(this.utf8(gt + 1, end));
          }
        }
      }
    }
    const xml = this.utf8(from, to);
    return runText(xml, 0, xml.length);
  }
}

/** Decodes a sharedStrings part held in memory, whole or in pieces; for tests. */
export function scanSharedStringsXml(xml: string | readonly string[]): string[] {
  const scanner = new SharedStringScanner();
  pushText(scanner, xml);
  return scanner.strings;
}
