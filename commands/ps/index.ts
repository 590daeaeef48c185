import { defineCommand } from '../../src/cli/command.js'
import type { Dyno } from '../../src/client/api/types.js'
import { TbError } from '../../src/shared/errors.js'

export default defineCommand({
  command: 'ps [types..]',
  describe: "List an app's dynos, grouped by process type",
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('types', { type: 'string', array: true, describe: 'only these process types (web, worker, run, …)' })
      .example('tb ps -a demo', 'every dyno with its state and since when')
      .example('tb ps web -a demo --json', 'the web dynos as JSON'),
  async handler({ ctx, app, types }) {
    const dynos = await (await ctx.api()).dynos.list(app)
    let selected = dynos
    if (types && types.length > 0) {
      selected = dynos.filter((dyno) => types.includes(dyno.type))
      const missing = types.find((type) => !selected.some((dyno) => dyno.type === type))
      if (missing) throw new TbError(`No ${missing} dynos on ${app}.`, { hint: `See them all with tb ps -a ${app}.` })
    }
    selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    if (ctx.out.json) return ctx.out.printJSON(selected)
    if (selected.length === 0) return ctx.out.info(`No dynos on ${ctx.out.app(app)}`)
    const { color } = ctx.out
    const now = Date.now()
    const state = (dyno: Dyno) => (dyno.state === 'up' ? color.green(dyno.state) : color.yellow(dyno.state))
    const since = (dyno: Dyno) => color.dim(`${dynoTime(new Date(dyno.updated_at))} ${ago(Date.parse(dyno.updated_at), now)}`)
    const lines: string[] = []
    // Heroku's layout: one-off dynos first, then the others grouped by command
    const oneOffs = selected.filter((dyno) => dyno.type === 'run').sort(byNumber)
    if (oneOffs.length > 0) {
      lines.push(`=== ${color.cyan('run')}: one-off processes (${oneOffs.length})`)
      for (const dyno of oneOffs) lines.push(`${dyno.name} (${color.cyan(dyno.size)}): ${state(dyno)} ${since(dyno)}: ${dyno.command}`)
      lines.push('')
    }
    // one line per formation slot: a dyno starting to replace another (a deploy) is shown on its slot's line
    const slots = new Map<string, Dyno[]>()
    for (const dyno of selected.filter((d) => d.type !== 'run').sort(byCreation)) slots.set(dyno.name, [...(slots.get(dyno.name) ?? []), dyno])
    const shown = [...slots.values()].map((sharing) => ({ dyno: sharing.at(-1)!, replacing: sharing.length > 1 ? sharing[0] : undefined }))
    for (const command of new Set(shown.map(({ dyno }) => dyno.command))) {
      const group = shown.filter(({ dyno }) => dyno.command === command).sort((a, b) => byNumber(a.dyno, b.dyno))
      const first = group[0].dyno
      lines.push(`=== ${color.cyan(first.type)} (${color.cyan(first.size)}): ${command} (${group.length})`)
      for (const { dyno, replacing } of group) {
        const note = replacing ? ` (v${dyno.release.version}, replacing v${replacing.release.version})` : ''
        lines.push(`${dyno.name}: ${state(dyno)}${note} ${since(dyno)}`)
      }
      lines.push('')
    }
    ctx.out.write(lines.join('\n'))
  },
})

/** Older first: a replacement runs a newer release, or was made later (or is still coming up). */
function byCreation(a: Dyno, b: Dyno): number {
  const rank = (dyno: Dyno) => (dyno.state === 'up' ? 0 : 1)
  return a.release.version - b.release.version || a.created_at.localeCompare(b.created_at) || rank(a) - rank(b)
}

function byNumber(a: Dyno, b: Dyno): number {
  return numberOf(a.name) - numberOf(b.name)
}

function numberOf(name: string): number {
  return Number(/\.(\d+)$/.exec(name)?.[1] ?? 0)
}

/** `2026/11/22 10:00:00 +0000`, in local time as Heroku's CLI prints it. */
function dynoTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const offset = -date.getTimezoneOffset()
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
  return `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`
}

/** `(~ 5s ago)`, `(~ 3m ago)`, `(~ 2h ago)`, `(~ 4d ago)` */
function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000))
  if (seconds < 60) return `(~ ${seconds}s ago)`
  if (seconds < 3600) return `(~ ${Math.floor(seconds / 60)}m ago)`
  if (seconds < 25 * 3600) return `(~ ${Math.floor(seconds / 3600)}h ago)`
  return `(~ ${Math.floor(seconds / 86400)}d ago)`
}
