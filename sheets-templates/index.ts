export * from './types.ts';
export * from './values.ts';
export * from './settings.ts';
export * from './tabs.ts';
