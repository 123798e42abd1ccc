import { runCli } from './run.js';

/*
 * Process entry of the `agent-storage` CLI (see bin/agent-storage.mjs): real streams and
 * environment in, exit code out. The first SIGINT/SIGTERM asks the running command to stop at
 * the next page or session (a partial export file is removed); a second one ends the process.
 */

const interrupt = new AbortController();
const onSignal = () => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: interrupt.signal,
  });
} catch (error) {
  process.stderr.write(`agent-storage: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
