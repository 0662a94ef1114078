/** `crm-sync start` (what `npm start` runs): `serve` on data/crm.xlsx, made with sample data when missing. */
import { serveCommand } from './serve.ts';

export const startCommand = serveCommand('start', {
  workbook: 'data/crm.xlsx',
  sampleIfMissing: 200,
});
