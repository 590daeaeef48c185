import type { Writable } from 'node:stream'
import { appOption, defineCommand, jsonOption, remoteOption } from '../../src/command.js'
import type { Context } from '../../src/context.js'
import { ChildExitError, TbError, UsageError } from '../../src/errors.js'
import { USER_AGENT } from '../../src/version.js'

/** The platform keeps the newest 1,500 lines of an app, as Heroku's logplex does. */
const MAX_LINES = 1500
const SOURCES = ['app', 'heroku']

export default defineCommand({
  command: 'logs',
  describe: "Display an app's recent log output (and follow it with --tail)",
  builder: (y) =>
    y
      .option('app', appOption)
      .option('remote', remoteOption)
      .option('num', { alias: 'n', type: 'number', default: 100, describe: `number of lines to display (at most ${MAX_LINES})`, requiresArg: true })
      .option('tail', { alias: 't', type: 'boolean', describe: 'continually stream logs (until Ctrl-C)' })
      .option('dyno-name', {
        alias: ['d', 'dyno'],
        type: 'string',
        describe: 'only show output from this dyno (such as "web.1" or "worker.2")',
        requiresArg: true,
      })
      .option('process-type', {
        alias: ['p', 'ps'],
        type: 'string',
        describe: 'only show output from this process type (such as "web" or "worker")',
        requiresArg: true,
      })
      .option('source', { alias: 's', type: 'string', describe: 'only show output from this source: app or heroku', requiresArg: true })
      .option('json', { ...jsonOption, describe: 'one JSON object per line: {time, source, dyno, message}' })
      .example('tb logs -a demo', 'the newest 100 lines')
      .example('tb logs -a demo --tail -p web', 'follow the output of every web dyno')
      .example('tb logs -a demo -n 500 -s heroku -d router', 'the router lines among the newest 500')
      .example('tb logs -a demo --json | head -1', 'the oldest of the 100 as JSON'),
  async handler(args) {
    const { ctx, num } = args
    if (!Number.isInteger(num) || num < 1 || num > MAX_LINES) {
      throw new UsageError(`--num must be a whole number from 1 to ${MAX_LINES}, not ${args.num}.`)
    }
    if (args.source !== undefined && !SOURCES.includes(args.source)) {
      throw new UsageError(`--source must be app (the app's output and release notes) or heroku (router and dyno events), not ${args.source}.`)
    }
    const dyno = args['dyno-name']
    const type = args['process-type']
    const tail = Boolean(args.tail)
    const app = await ctx.app()
    // like Heroku's CLI: one `dyno` field carries a dyno name or a process type
    const session = await (await ctx.api()).logSessions.create(app, {
      dyno: dyno ?? type,
      type,
      source: args.source,
      lines: num,
      tail,
    })
    await showStream(ctx, session.logplex_url, tail)
  },
})

/**
 * Prints the stream's lines as they come until it ends, stdout closes (`tb logs | head`: a
 * quiet exit 0, as Heroku's CLI does on EPIPE) or Ctrl-C (exit 130, the status of a shell
 * command killed by SIGINT, which is how Heroku's CLI ends; nothing printed).
 */
async function showStream(ctx: Context, url: string, follow: boolean): Promise<void> {
  const [{ readLineStream }, { LogColorizer, parseLogLine }] = await Promise.all([
    import('../../src/api/stream.js'),
    import('../../src/log-display.js'),
  ])
  const stop = new AbortController()
  let writeError: Error | undefined
  let interrupted = false
  // stays attached: a write already queued may still fail after the stream is done
  ctx.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') writeError ??= err
    stop.abort()
  })
  const offSigint = ctx.onSignal?.('SIGINT', () => {
    interrupted = true
    stop.abort()
  })

  let render: ((lines: string[]) => string) | undefined
  if (ctx.flags.json) {
    render = (lines) => lines.map((line) => JSON.stringify(parseLogLine(line) ?? { time: null, source: null, dyno: null, message: line })).join('\n')
  } else if (ctx.out.color.level > 0) {
    const colorizer = new LogColorizer(ctx.out.color)
    render = (lines) => lines.map((line) => colorizer.line(line)).join('\n')
  }

  try {
    await readLineStream(url, {
      userAgent: USER_AGENT,
      signal: stop.signal,
      follow,
      onLines(lines) {
        if (stop.signal.aborted) return
        const text = (render ? render(lines) : lines.join('\n')) + '\n'
        if (!ctx.stdout.write(text)) return drained(ctx.stdout, stop.signal)
      },
    })
  } finally {
    offSigint?.()
  }
  if (writeError) throw new TbError(`Could not write the logs: ${writeError.message}`)
  if (interrupted) throw new ChildExitError(130)
}

/** Resolves when `out` takes more, or when waiting is pointless (closed, failed, stopped). */
function drained(out: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
    out.on('error', done)
    signal.addEventListener('abort', done)
  })
}
