// local:restart / local:stop: ask the `tb local start` running this Procfile to act on one process type.
import type { Session } from '../shared/io.js'
import { TbError } from '../shared/errors.js'
import { controlSocketPath, openControl, sendControl, type ControlAction } from './control.js'
import { projectPaths, withDefaults, type LocalFlags } from './project.js'

const VERBS: Record<ControlAction, [string, string]> = { restart: ['Restarting', 'restarted'], stop: ['Stopping', 'stopped'] }

export async function controlLocal(ctx: Session, given: LocalFlags, action: ControlAction, name: string): Promise<void> {
  const { procfile } = projectPaths(withDefaults(given, ctx.cwd), ctx.cwd)
  const path = controlSocketPath(ctx.env, procfile)
  const socket = await openControl(path, procfile)
  const done = ctx.out.json ? undefined : ctx.out.action(`${VERBS[action][0]} ${name}`)
  const response = await sendControl(socket, { action, name })
  if (!response.ok) {
    done?.('failed')
    throw new TbError(response.error)
  }
  if (ctx.out.json) return ctx.out.printJSON(response.processes)
  done?.(`done, ${response.processes.map((p) => (p.pid ? `${p.name} (pid ${p.pid})` : p.name)).join(', ')} ${VERBS[action][1]}`)
}
