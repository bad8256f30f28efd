import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (fd 2), so stdout stays free for `--json` documents. Level from WEISU_LOG_LEVEL;
 * by default info for services and redirected output (what a data team greps), warn on a terminal, where a
 * person reads the progress bar and summary instead; silent under tests.
 */
export function createLogger(bindings: Record<string, unknown> = {}): Logger {
  const level = process.env.WEISU_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : process.stderr.isTTY ? 'warn' : 'info');
  return pino(
    { level, base: { app: 'weisu', ...bindings }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
}

export const rootLogger: Logger = createLogger();
