/** Headless LibreOffice conversions for tests, each with a private profile. */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/** Converts `file` to `format` (e.g. 'xlsx') into `outDir`; returns the new file's path. */
export function convertWithLibreOffice(file: string, format: string, outDir: string): string {
  const profile = join(outDir, '.lo-profile');
  const run = spawnSync(
    'soffice',
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--norestore',
      '--convert-to',
      format,
      '--outdir',
      outDir,
      file,
    ],
    { encoding: 'utf8', timeout: 240_000 },
  );
  if (run.status !== 0) throw new Error(`soffice failed (${run.status}): ${run.stderr}`);
  return join(outDir, basename(file, extname(file)) + '.' + format.split(':')[0]);
}

/** Pixels of a PPM (P6) near a colour. */
function countColour(ppm: Buffer, [r, g, b]: [number, number, number]): number {
  const header = ppm.toString('latin1', 0, 40).match(/^P6\s+(\d+)\s+(\d+)\s+255\s/)!;
  let at = header[0].length;
  let n = 0;
  for (; at + 2 < ppm.length; at += 3)
    if (
      Math.abs(ppm[at]! - r) < 12 &&
      Math.abs(ppm[at + 1]! - g) < 12 &&
      Math.abs(ppm[at + 2]! - b) < 12
    )
      n++;
  return n;
}

/**
 * The pages of a PDF that show the sync's charts (the orange of a second slice and the
 * blue of the bars), each saved as `page-<n>.png` in `saveDir` to be looked at, with the
 * text of each.
 */
export function chartPages(pdf: string, workDir: string, saveDir: string): string[] {
  execFileSync('pdftoppm', ['-r', '30', pdf, join(workDir, 'p')]);
  const drawn = readdirSync(workDir)
    .filter((f) => f.endsWith('.ppm'))
    .sort()
    .filter((p) => {
      const ppm = readFileSync(join(workDir, p));
      return countColour(ppm, [0xed, 0x7d, 0x31]) > 50 && countColour(ppm, [0x44, 0x72, 0xc4]) > 50;
    });
  mkdirSync(saveDir, { recursive: true });
  const texts = drawn.map((p) => {
    const n = Number(/-(\d+)\.ppm$/.exec(p)![1]);
    const png = join(workDir, `chart-${n}`);
    const page = ['-f', String(n), '-l', String(n)];
    execFileSync('pdftoppm', ['-r', '70', ...page, '-png', '-singlefile', pdf, png]);
    copyFileSync(`${png}.png`, join(saveDir, `page-${n}.png`));
    return execFileSync('pdftotext', [...page, pdf, '-'], { encoding: 'utf8' });
  });
  return texts;
}
