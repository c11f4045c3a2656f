/**
 * Ctrl-C or SIGTERM during a long run (bench, soak): say so, clean up, exit 130. Returns what
 * removes the handlers again once the run has ended on its own.
 */
export function cleanUpOnSignals(progress: (line: string) => void, cleanup: () => Promise<void>): () => void {
  const onSignal = () => {
    progress('interrupted; stopping');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
