import { defineCommand } from '../../src/cli/command.js'
import { liveRelease } from '../../src/client/deploys.js'

export default defineCommand({
  command: 'config:push',
  describe: "Send a local .env file's vars to an app (only vars the app lacks, unless --overwrite)",
  app: true,
  builder: (y) =>
    y
      .option('file', { alias: 'f', type: 'string', default: '.env', describe: 'the env file to read', requiresArg: true })
      .option('overwrite', { alias: 'o', type: 'boolean', describe: "replace the app's values that differ from the file's" })
      .option('clean', { alias: 'c', type: 'boolean', describe: 'also remove the app vars the file does not have' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'print nothing but errors' })
      .example('tb config:push -a demo', "add the vars of .env the app lacks")
      .example('tb config:push -a demo --overwrite --clean', 'make the app match .env exactly'),
  async handler({ ctx, app, file, overwrite, clean, quiet }) {
    const { parseEnv, readEnvText } = await import('../../src/envfile/index.js')
    const local = parseEnv(readEnvText(file, ctx.cwd, { hint: 'Name the file with --file PATH, or create one with `tb config:pull`.' }))
    const api = await ctx.api()
    const remote = await api.configVars.info(app)

    const changes: Record<string, string | null> = {}
    const kept: string[] = []
    for (const [key, value] of Object.entries(local)) {
      if (!(key in remote) || (overwrite && remote[key] !== value)) changes[key] = value
      else if (remote[key] !== value) kept.push(key)
    }
    if (clean) for (const key of Object.keys(remote)) if (!(key in local)) changes[key] = null
    if (kept.length && !quiet) {
      const one = kept.length === 1
      ctx.out.warn(`${kept.join(', ')} differ${one ? 's' : ''} on ${app} and ${one ? 'was' : 'were'} not pushed; use --overwrite to replace ${one ? 'it' : 'them'}.`)
    }

    const setting = Object.keys(changes).filter((key) => changes[key] !== null)
    const unsetting = Object.keys(changes).filter((key) => changes[key] === null)
    if (setting.length + unsetting.length === 0) {
      if (!quiet) ctx.out.info(`Nothing to push: ${ctx.out.app(app)} already has the vars of ${file}.`)
      return
    }
    const names = (keys: string[]) => keys.map((k) => ctx.out.color.green(k)).join(', ')
    const parts = [setting.length ? `setting ${names(setting)}` : '', unsetting.length ? `unsetting ${names(unsetting)}` : '']
    const what = parts.filter(Boolean).join(', ')
    const done = quiet ? () => {} : ctx.out.action(`${what[0].toUpperCase()}${what.slice(1)} and restarting ${ctx.out.app(app)}`)
    await api.configVars.update(app, changes)
    const release = await liveRelease(ctx, api, app, await api.releases.latest(app), done)
    done(`done, v${release.version}`)
  },
})
