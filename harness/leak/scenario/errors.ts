/** A scenario file that cannot be run: names the file, the line and the field. Exit code 2. */
export class ScenarioError extends Error {
  readonly code = 'ERR_SCENARIO';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ScenarioError';
  }
}
