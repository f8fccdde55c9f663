// Runs the CLI's `main` (src/entry/cli.ts, compiled or not) on this process: arguments, stdio,
// environment, working directory → exit code. Shared by bin/kiosque.mjs and bin/kiosque-dev.mjs.
// Must not: import the CLI itself (each bin chooses which one runs).

/** After `main` returns, the process may take this long to end on its own before it is ended. */
const EXIT_GRACE_MS = 2000;

export async function runCli(main) {
  const code = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // The command is over (for `serve`: the server is closed). A handle left open (a socket, a
  // timer) must not keep a stopped service alive: say so and exit. Unref'd, so a clean exit
  // never waits for it.
  setTimeout(() => {
    process.stderr.write(`kiosque: still running ${EXIT_GRACE_MS} ms after the command ended; exiting\n`);
    process.exit(code);
  }, EXIT_GRACE_MS).unref();
}
