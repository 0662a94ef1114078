/** The HTTP layer's logger: injected, so a server can route it and a test can read it. */
/** Where the service reports what went wrong; the request only learns that it did. */
export interface Logger {
  error(message: string, error?: unknown): void;
}

export const stderrLogger: Logger = {
  error(message, error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : error;
    process.stderr.write(
      `[${new Date().toISOString()}] ${message}${detail === undefined ? '' : `\n${String(detail)}`}\n`,
    );
  },
};
