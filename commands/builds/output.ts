import { defineCommand } from '../../src/cli/command.js'
import { latestBuild } from '../../src/client/builds.js'
import { InterruptedError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'builds:output [build]',
  describe: "Show a build's output (the newest build's by default), following it while it runs",
  app: true,
  builder: (y) =>
    y
      .positional('build', { type: 'string', describe: 'a build id (default: the newest build)' })
      .example('tb builds:output -a demo', "the newest build's output")
      .example('tb builds:output 01234567-89ab-cdef-0123-456789abcdef -a demo > build.log', 'one build\'s output into a file'),
  async handler({ ctx, app, build: id }) {
    const api = await ctx.api()
    const build = id === undefined ? await latestBuild(api, app) : await api.builds.info(app, id)
    const [{ readLineStream }, { USER_AGENT }] = await Promise.all([import('../../src/client/api/stream.js'), import('../../src/shared/version.js')])
    const stop = new AbortController()
    const offSigint = ctx.onSignal?.('SIGINT', () => stop.abort())
    try {
      await readLineStream(build.output_stream_url, {
        userAgent: USER_AGENT,
        signal: stop.signal,
        follow: true,
        onLines: (lines) => ctx.out.write(lines.map((line) => line + '\n').join('')),
      })
    } finally {
      offSigint?.()
    }
    if (stop.signal.aborted) throw new InterruptedError()
  },
})
