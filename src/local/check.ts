// `tb local:check`: Foreman's `valid procfile detected (web, worker)`, but every line that would be
// skipped or misread is reported with its number, and makes the check fail.
import type { Session } from '../shared/io.js'
import { TbError } from '../shared/errors.js'
import { openProcfile, projectPaths, withDefaults, type LocalFlags } from './project.js'

export function checkProcfile(ctx: Session, given: LocalFlags): void {
  const { procfile: path } = projectPaths(withDefaults(given, ctx.cwd), ctx.cwd)
  const procfile = openProcfile(path)
  const names = procfile.entries.map((e) => e.name)
  if (ctx.out.json) {
    ctx.out.printJSON({
      procfile: path,
      valid: procfile.problems.length === 0 && names.length > 0,
      processes: procfile.entries.map(({ name, command }) => ({ name, command })),
      problems: procfile.problems.map(({ line, message }) => ({ line, message })),
    })
  } else {
    for (const { line, message } of procfile.problems) ctx.stderr.write(`${path}:${line}: ${message}\n`)
  }
  if (procfile.problems.length) {
    const count = procfile.problems.length
    throw new TbError(`${path} has ${count} problem${count === 1 ? '' : 's'}.`, { hint: 'Each line must be NAME: COMMAND, with a unique NAME of letters, digits, _ or -.' })
  }
  if (names.length === 0) throw new TbError(`${path} defines no processes.`, { hint: 'Add lines like `web: node server.js`.' })
  if (!ctx.out.json) ctx.out.write(`valid procfile detected (${names.join(', ')})\n`)
}
