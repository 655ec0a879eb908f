/** Bad flags or input: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The run itself failed a check (invariants, SLA) and said so on stdout: exit 1, nothing more to print. */
export class RunFailed extends Error {
  override name = 'RunFailed';
}

/** The run was interrupted (SIGINT/SIGTERM) and wrote what it had: exit 130, as a shell reports Ctrl-C. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}
