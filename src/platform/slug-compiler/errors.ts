// The one error type of the slug compiler (extracting a source, running buildpacks, packing a
// slug). Its message is a single line meant for the user's build output, as Heroku prints it.
export class BuildError extends Error {
  /** what to do about it, when there is something to say */
  readonly hint?: string

  constructor(message: string, opts: ErrorOptions & { hint?: string } = {}) {
    super(message, opts)
    this.name = 'BuildError'
    this.hint = opts.hint
  }
}
