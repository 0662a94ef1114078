import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';

/** Every entry's stored (compressed) bytes, by name. */
export async function rawEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await ZipArchive.open(path);
  try {
    const out = new Map<string, Buffer>();
    for (const entry of zip.entries) {
      const chunks: Buffer[] = [];
      const end = await zip.rawEnd(entry);
      for await (const c of zip.rawChunks(entry.localHeaderOffset, end)) chunks.push(c);
      // The local header holds the name, sizes and CRC too: compare from the data on.
      const all = Buffer.concat(chunks);
      out.set(entry.name, all.subarray(all.length - entry.compressedSize));
    }
    return out;
  } finally {
    await zip.close();
  }
}
