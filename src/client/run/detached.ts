// `tb run:detached CMD…`: a one-off dyno whose output goes to the app's log as `app[run.N]`.
// With --tail its log lines are shown until it has ended.
import type { ClientSession } from '../session.js'
import { parseLogLine } from '../../shared/log-line.js'
import type { OneOffRequest } from './attached.js'
import { commandLine } from './command-line.js'

export async function runDetached(ctx: ClientSession, request: OneOffRequest & { tail: boolean }): Promise<void> {
  const command = commandLine(request.words)
  const api = await ctx.api()
  const started = ctx.out.action(`Running \`${command}\` on ${ctx.out.app(request.app)}`)
  const dyno = await api.dynos.create(request.app, {
    command,
    attach: false,
    env: request.env,
    size: request.size,
    type: request.type,
  })
  started(`up, ${dyno.name}`)
  if (ctx.out.json) ctx.out.printJSON(dyno)
  if (!request.tail) {
    ctx.out.info(`Use tb logs -a ${request.app} -d ${dyno.name} to view the output.`)
    return
  }
  const session = await api.logSessions.create(request.app, { dyno: dyno.name, lines: 1500, tail: true })
  const { showLogStream } = await import('../logs/stream.js')
  await showLogStream(ctx, session.logplex_url, {
    follow: true,
    // an earlier dyno that had the same name (run.1234) logged before this one was created
    skip: (line) => (parseLogLine(line)?.time ?? '') < dyno.created_at.replace(/Z$/, ''),
    // its last words: `State changed from up to complete` (or `to down` when it was stopped)
    last: (line) => {
      const parsed = parseLogLine(line)
      return parsed?.source === 'heroku' && parsed.dyno === dyno.name && /^State changed from \w+ to (complete|down)$/.test(parsed.message)
    },
  })
}
