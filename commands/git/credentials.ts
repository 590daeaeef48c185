import { defineCommand } from '../../src/cli/command.js'
import { UsageError } from '../../src/shared/errors.js'

const OPERATIONS = ['get', 'store', 'erase']

export default defineCommand({
  command: 'git:credentials <operation>',
  describe: "git's credential helper for apps' git URLs (git runs it; `tb git:remote` sets it up)",
  builder: (y) =>
    y
      .positional('operation', { type: 'string', describe: 'what git asks: get, store or erase', demandOption: true })
      .example('tb git:credentials get', 'git\'s question on stdin (protocol=http, host=127.0.0.1:7171, a blank line); the answer: username and password (the API key)'),
  async handler({ ctx, operation }) {
    if (!OPERATIONS.includes(operation)) throw new UsageError(`${operation} is not a credential operation: git asks get, store or erase.`)
    // tb keeps no password of git's: only get answers
    if (operation !== 'get') return
    const asked = await readCredentialRequest(ctx.stdin)
    // the platform the push reached runs already: a helper never starts one
    const api = await (await import('../../src/client/api/connect.js')).connectIfRunning(ctx)
    if (!api) return
    const platform = new URL(api.baseUrl)
    // the API's host, or Heroku's git host beside its API host (git.heroku.com for api.heroku.com)
    const hosts = [platform.host, platform.host.replace(/^api\./, 'git.')]
    if (`${asked.protocol}:` !== platform.protocol || !hosts.includes(asked.host ?? '') || !api.token) return
    ctx.out.write(`protocol=${asked.protocol}\nhost=${asked.host}\nusername=tb\npassword=${api.token}\n`)
  },
})

/** git's `key=value` lines, up to a blank line or the end. */
async function readCredentialRequest(input: NodeJS.ReadableStream): Promise<Record<string, string>> {
  const { createInterface } = await import('node:readline')
  const fields: Record<string, string> = {}
  for await (const line of createInterface({ input })) {
    if (line === '') break
    const eq = line.indexOf('=')
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return fields
}
