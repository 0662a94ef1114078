export * from './definitions.ts';
export * from './values.ts';
export * from './schema.ts';
export * from './sheet.ts';
export * from './pickers.ts';
export * from './submit.ts';
export * from './api.ts';
export * from './entryDuplicates.ts';
