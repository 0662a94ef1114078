/** Google mode: the Sheets store, its configuration, the add-on's ID-token check, the service. */
export {
  createSheetsStore,
  DEFAULT_MAX_PAYLOAD_BYTES,
  GoogleSheetsStore,
  type GoogleSheetsStoreOptions,
  type WriteReport,
} from './sheetsStore.ts';
export {
  clientOptionsFromEnv,
  createSheetsApi,
  type SheetsApi,
  type SheetsClientOptions,
} from './client.ts';
export { DEFAULT_RETRY, SheetsApiError, type RetryPolicy } from './retry.ts';
export {
  ConfigError,
  configPath,
  DEFAULT_CRON,
  findSpreadsheet,
  isAllowed,
  loadConfig,
  loadConfigFrom,
  parseConfig,
  type CrmConfig,
  type SpreadsheetConfig,
} from './config.ts';
export { createIdTokenAuth, spreadsheetIdOf, type Identity, type IdTokenAuth } from './idToken.ts';
export { createGoogleService, syncSpreadsheet, type GoogleService } from './service.ts';
