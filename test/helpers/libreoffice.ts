/** Headless LibreOffice conversions for tests, each with a private profile. */
import { spawnSync } from 'node:child_process';
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
