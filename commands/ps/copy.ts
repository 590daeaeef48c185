import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'ps:copy <file>',
  describe: "Copy a file out of a running dyno's directory",
  app: true,
  json: true,
  builder: (y) =>
    y.positional('file', { type: 'string', demandOption: true, describe: "the file, relative to the dyno's directory" })
      .option('dyno', { alias: 'd', type: 'string', default: 'web.1', describe: 'the running dyno to copy from', requiresArg: true })
      .option('output', { alias: 'o', type: 'string', describe: 'where to write it (default: its name, in this directory)', requiresArg: true })
      .example('tb ps:copy log/app.log -d web.1 -a demo', './app.log')
      .example('tb ps:copy tmp/dump.json -d worker.1 -o dump-worker.json -a demo', 'to a name of your own'),
  async handler({ ctx, app, file, dyno, output }) {
    const { copyFromDyno } = await import('../../src/client/run/exec.js')
    const done = ctx.out.action(`Copying ${file} from ${dyno} on ${ctx.out.app(app)}`)
    const copied = await copyFromDyno(ctx, { app, dyno, path: file, output })
    done(`done, ${copied.size} bytes`)
    if (ctx.out.json) ctx.out.printJSON({ path: file, dyno, output: copied.output, size: copied.size })
    else ctx.out.info(`Written to ${copied.output}.`)
  },
})
