// `tb local:export systemd DIR`: one unit per process instance plus a target that wants them all,
// in Foreman's layout (app-web.1.service, app.target), with values quoted so systemd reads them
// back exactly (Foreman writes `"`, `%`, `$` and `'` through unescaped).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Session } from '../shared/io.js'
import { readEnvFiles } from '../envfile/index.js'
import { TbError, UsageError } from '../shared/errors.js'
import { DEFAULT_FORMATION, parseFormation, planInstances, resolveBasePort, type Instance } from '../procfile/index.js'
import { loadProcfile, projectPaths, withDefaults, type LocalFlags } from './project.js'

export const EXPORT_FORMATS = ['systemd']

export interface ExportOptions {
  app?: string
  user?: string
}

/** A double-quoted systemd word: C escapes inside quotes, `%` specifiers and `$` expansion disabled. */
function systemdQuote(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/%/g, '%%')
  return `"${escaped}"`
}

function serviceUnit(app: string, user: string, root: string, instance: Instance, env: Record<string, string>, timeout: number): string {
  const lines = [
    '[Unit]',
    `PartOf=${app}.target`,
    'StopWhenUnneeded=yes',
    '',
    '[Service]',
    `User=${user}`,
    `WorkingDirectory=${root}`,
    `Environment=PORT=${instance.port}`,
    `Environment=PS=${instance.name}`,
    // PORT and PS are per process: an env file's PORT (the base port) must not replace them
    ...Object.entries(env).filter(([key]) => key !== 'PORT' && key !== 'PS').map(([key, value]) => `Environment=${systemdQuote(`${key}=${value}`)}`),
    // `$` would be expanded by systemd itself; `$$` hands a literal `$` to the shell
    `ExecStart=/bin/bash -lc ${systemdQuote(instance.command).replace(/\$/g, '$$$$')}`,
    'Restart=always',
    'RestartSec=14s',
    'StandardInput=null',
    'StandardOutput=journal',
    'StandardError=journal',
    'SyslogIdentifier=%n',
    'KillMode=mixed',
    `TimeoutStopSec=${timeout}`,
  ]
  return lines.join('\n') + '\n'
}

export function exportLocal(ctx: Session, given: LocalFlags, format: string, location: string, options: ExportOptions): string[] {
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`Unknown export format ${format}. Supported: ${EXPORT_FORMATS.join(', ')}.`)
  const app = options.app ?? 'app'
  if (!/^[A-Za-z0-9_.-]+$/.test(app)) throw new UsageError(`--app ${app} cannot name a unit file: use letters, digits, ., _ or -.`)
  const user = options.user ?? app
  const flags = withDefaults(given, ctx.cwd)
  const paths = projectPaths(flags, ctx.cwd)
  const procfile = loadProcfile(paths.procfile)
  const env = readEnvFiles(paths.envFiles, ctx.cwd)
  const formation = flags.formation !== undefined ? parseFormation(flags.formation) : DEFAULT_FORMATION
  const instances = planInstances(procfile.entries, formation, resolveBasePort(flags.port, env, ctx.env))
  const timeout = flags.timeout ?? 5
  const dir = resolve(ctx.cwd, location)
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw new TbError(`Cannot create ${dir}: ${(err as Error).message}`)
  }
  // units of an earlier export of this app (its formation may have shrunk); nothing else
  for (const name of readdirSync(dir)) {
    if (name === `${app}.target` || (name.startsWith(`${app}-`) && name.endsWith('.service'))) {
      ctx.out.info(`cleaning up: ${join(dir, name)}`)
      rmSync(join(dir, name))
    }
  }
  const written: string[] = []
  const write = (name: string, text: string) => {
    ctx.out.info(`writing: ${join(dir, name)}`)
    writeFileSync(join(dir, name), text)
    written.push(join(dir, name))
  }
  const services = instances.map((instance) => {
    const name = `${app}-${instance.name}.service`
    write(name, serviceUnit(app, user, paths.root, instance, env, timeout))
    return name
  })
  write(`${app}.target`, ['[Unit]', `Wants=${services.join(' ')}`, '', '[Install]', 'WantedBy=multi-user.target', ''].join('\n'))
  return written
}
