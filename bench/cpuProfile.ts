/**
 * The CPU profiler over a stretch of a bench, when WARM_PROFILE names a file: started here,
 * and the returned stop() writes the profile there (a no-op without WARM_PROFILE).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

export async function profileIfAsked(): Promise<() => Promise<void>> {
  const file = process.env.WARM_PROFILE;
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
