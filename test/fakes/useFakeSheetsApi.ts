/**
 * The fake Sheets API for one test file: started (and given what `prepare` loads) before
 * the file's tests, closed after them. The Google tests reach it over HTTP through the
 * real client; `fake()` is the running instance.
 */
import { afterAll, beforeAll } from 'vitest';
import { FakeSheetsApi } from './sheetsApi.ts';

export function useFakeSheetsApi(
  prepare: (fake: FakeSheetsApi) => void | Promise<void> = () => undefined,
): () => FakeSheetsApi {
  let running: FakeSheetsApi | undefined;
  beforeAll(async () => {
    running = await FakeSheetsApi.start();
    await prepare(running);
  });
  afterAll(async () => {
    await running?.close();
  });
  return () => {
    if (!running) throw new Error('the fake Sheets API is used before its beforeAll ran');
    return running;
  };
}
