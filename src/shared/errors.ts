// Typed errors: each carries its exit code, so one place (main.ts) maps any failure to output.

export class TbError extends Error {
  exitCode = 1
  /** a line telling the user what to do next, printed after the message */
  hint?: string
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.hint = opts.hint
  }
}

/** Wrong flags, arguments or input the user typed: exit 2. */
export class UsageError extends TbError {
  override exitCode = 2
}

/** Missing or rejected credentials: exit 4. */
export class AuthError extends TbError {
  override exitCode = 4
}

/** The user interrupted (Ctrl-C): exit 130. */
export class InterruptedError extends TbError {
  override exitCode = 130
  constructor(message = 'Interrupted') {
    super(message)
  }
}

/** The API answered with an error status: carries the server's {id, message}. */
export class ApiError extends TbError {
  readonly status: number
  readonly id: string
  readonly body: unknown
  constructor(status: number, id: string, message: string, body?: unknown) {
    super(message)
    this.status = status
    this.id = id
    this.body = body
    if (status === 401) this.exitCode = 4
  }
}

/** The API endpoint could not be reached at all. */
export class ConnectionError extends TbError {}

/** The command passes on a child process's exit code (tb local start, local:run): nothing to print. */
export class ChildExitError extends TbError {
  constructor(code: number) {
    super(`exited with code ${code}`)
    this.exitCode = code
  }
}
