/**
 * SIGTERM / SIGINT abort the returned signal: the current stage finishes or rolls back and the command ends
 * cleanly. A second signal exits at once — DuckDB's write-ahead log keeps the store consistent even then.
 */
export function stopSignal(log: { warn: (obj: object, msg: string) => void }): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const ctl = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (ctl.signal.aborted) process.exit(130);
    log.warn(
      { event: 'signal', signal: sig },
      `${sig}: finishing the current stage, then stopping (send again to exit now)`,
    );
    ctl.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: ctl.signal,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
