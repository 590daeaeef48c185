import { defineCommand } from '../src/cli/command.js'
import { TbError } from '../src/shared/errors.js'

export default defineCommand({
  command: 'open [path]',
  describe: "Open an app's web URL in a browser (and print it)",
  app: true,
  builder: (y) =>
    y
      .positional('path', { type: 'string', describe: 'a path to append to the URL, e.g. /admin' })
      .example('tb open -a demo', 'open http://demo.localhost:7100/')
      .example('tb open -a demo /health', 'open a path of the app'),
  async handler({ ctx, app: name, path }) {
    const app = await (await ctx.api()).apps.info(name)
    if (!app.web_url) throw new TbError(`${app.name} has no web URL.`, { hint: 'The platform runs no router: see `tb platform:status`.' })
    const url = new URL((path ?? '').replace(/^\/+/, ''), app.web_url).toString()
    ctx.out.write(url + '\n')
    const opener = browserOpener(ctx.env)
    if (!opener) return
    const { spawn } = await import('node:child_process')
    // the browser outlives tb; a missing opener is not an error: the URL is printed
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' })
    child.on('error', () => {})
    child.unref()
  },
})

/** The desktop's URL opener, when there is a desktop to open it on. */
function browserOpener(env: Record<string, string | undefined>): string | undefined {
  if (env.BROWSER) return env.BROWSER
  if (process.platform === 'darwin') return 'open'
  if (process.platform === 'win32') return undefined
  return env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : undefined
}
