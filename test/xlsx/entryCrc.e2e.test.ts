import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';
import { ZipFileWriter } from '../../sync-server/xlsx/zipStream.ts';

const MIB = 1 << 20;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Text of `size` bytes that does not repeat in short runs, as a sheet's rows do not. */
function text(size: number): string {
  let s = '';
  for (let i = 0; s.length < size; i++)
    s += `<row r="${i}"><c><v>${(i * 7919) % 100_003}</v></c></row>`;
  return s.slice(0, size);
}

describe('a streamed zip entry', () => {
  // An entry is deflated in segments that end once they hold 2 MiB. When the last write
  // fills a segment, the entry ends with an empty segment that only finishes the stream.
  for (const [label, sizes] of [
    ['whose last write ends a segment', [2 * MIB]],
    ['written in pieces, the last of them ending a segment', [MIB, MIB]],
    ['past a segment, the last write ending the second', [2 * MIB + 5, 2 * MIB]],
    ['written as one piece larger than a segment', [3 * MIB + 17]],
    ['ending inside a segment', [MIB + 17]],
  ] as const) {
    it(`keeps its CRC-32, ${label}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'entry-crc-'));
      dirs.push(dir);
      const path = join(dir, 'out.zip');
      const zip = await ZipFileWriter.create(path);
      await zip.begin('sheet.xml');
      const parts = sizes.map((n, i) => text(n + i));
      for (const part of parts) {
        // Past the writer's own buffer, each write reaches the entry as one piece.
        await zip.write(part);
      }
      await zip.finish();

      const content = Buffer.from(parts.join(''), 'latin1');
      const archive = await ZipArchive.open(path);
      try {
        const entry = archive.find('sheet.xml')!;
        expect(entry.uncompressedSize).toBe(content.length);
        expect(entry.crc32 >>> 0).toBe(crc32(content) >>> 0);
        // The reader checks the CRC as it reads.
        expect((await archive.readBytes(entry)).equals(content)).toBe(true);
      } finally {
        await archive.close();
      }
    });
  }
});
