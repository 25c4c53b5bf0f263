/** What the launcher tells a person at the terminal: each step, then how long it took. */
export async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`  … ${what}\n`);
  const result = await work();
  process.stdout.write(`  ✓ ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

/** A plain line of information. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
