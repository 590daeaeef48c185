import { defineCommand } from '../../src/cli/command.js'
import { TbError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'config:pull',
  describe: "Write an app's config vars into a local .env file (local-only vars are kept)",
  app: true,
  builder: (y) =>
    y
      .option('file', { alias: 'f', type: 'string', default: '.env', describe: 'the env file to write', requiresArg: true })
      .option('overwrite', { alias: 'o', type: 'boolean', describe: "replace local values that differ with the app's" })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'print nothing but errors' })
      .example('tb config:pull -a demo', "add the app's vars that .env lacks")
      .example('tb config:pull -a demo --overwrite --file .env.production', 'mirror the app into another file'),
  async handler({ ctx, app, file, overwrite, quiet }) {
    const { writeFileSync } = await import('node:fs')
    const { resolve } = await import('node:path')
    const { parseEnv, readEnvText } = await import('../../src/envfile/index.js')
    const { ENV_KEY, updateEnvText } = await import('../../src/envfile/write.js')
    const remote = await (await ctx.api()).configVars.info(app)

    const path = resolve(ctx.cwd, file)
    const text = readEnvText(file, ctx.cwd, { optional: true })
    const local = text === undefined ? {} : parseEnv(text)

    const updates: Record<string, string> = {}
    const kept: string[] = []
    const unwritable: string[] = []
    for (const [key, value] of Object.entries(remote)) {
      if (!ENV_KEY.test(key)) unwritable.push(key)
      else if (!(key in local) || (overwrite && local[key] !== value)) updates[key] = value
      else if (local[key] !== value) kept.push(key)
    }
    const report = (message: string) => {
      if (!quiet) ctx.out.info(message)
    }
    if (unwritable.length && !quiet) ctx.out.warn(`Skipped ${unwritable.join(', ')}: a .env file cannot hold such a name.`)
    if (kept.length && !quiet) ctx.out.warn(`Kept the local value of ${kept.join(', ')}; use --overwrite to take ${app}'s.`)

    const changed = Object.keys(updates)
    if (changed.length === 0 && text !== undefined) return report(`${file} already has every config var of ${ctx.out.app(app)}.`)
    try {
      writeFileSync(path, updateEnvText(text ?? '', updates), { mode: 0o600 })
    } catch (err) {
      throw new TbError(`Cannot write ${file}: ${(err as Error).message}`)
    }
    report(`Wrote ${changed.length} config var${changed.length === 1 ? '' : 's'} of ${ctx.out.app(app)} to ${file}${changed.length ? ` (${changed.join(', ')})` : ''}.`)
  },
})
