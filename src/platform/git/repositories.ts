// Each app's git repository, for `git push` and `git clone` over smart HTTP: a bare repository
// at TB_HOME/repos/<app id>.git (by id, so a rename keeps it), made at its first use and removed
// with its app. Every git process the platform runs on them gets its configuration from the
// environment, not from files: no user's or system's git config applies, receive-pack takes
// pushes, and its pre-receive hook is the platform's (TB_HOME/git-hooks/pre-receive, which runs
// `tb platform:start --worker git-hook`, written at every start with this daemon's command line).
import { execFile } from 'node:child_process'
import { access, chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { shellWord } from '../../shared/quote.js'
import type { PlatformEvents } from '../events.js'
import { GIT_HOOK_WORKER, REPOSITORY_VARIABLE } from './hook-protocol.js'
import { reportUnexpected } from '../unexpected.js'

const run = promisify(execFile)

export interface GitRepositoriesOptions {
  home: string
  /** the argv prefix that runs `tb platform:start --worker` */
  workerCommand: readonly string[]
  events: PlatformEvents
  /** the largest pack a push may send (receive.maxInputSize) */
  maxPushBytes: number
}

export class GitRepositories {
  /** GIT_PROJECT_ROOT: every app's repository is in it */
  readonly root: string
  private readonly hooks: string
  private backendPath?: string
  /** repositories being made, by app id: two first pushes at once make it once */
  private readonly making = new Map<string, Promise<string>>()
  private readonly removing = new Set<Promise<void>>()
  private readonly onApp = ({ appId, change }: { appId: string; change: string }) => {
    if (change !== 'destroyed') return
    const removal = rm(this.path(appId), { recursive: true, force: true })
      .catch((err: unknown) => reportUnexpected(`removing the git repository of destroyed app ${appId}`, err))
      .finally(() => this.removing.delete(removal))
    this.removing.add(removal)
  }

  constructor(private readonly opts: GitRepositoriesOptions) {
    this.root = join(opts.home, 'repos')
    this.hooks = join(opts.home, 'git-hooks')
    opts.events.on('app', this.onApp)
  }

  /** At start: the hook with this daemon's command line, and where git's own http-backend is. */
  async prepare(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 })
    await mkdir(this.hooks, { recursive: true, mode: 0o700 })
    const hook = join(this.hooks, 'pre-receive')
    // from the daemon's directory, as its other workers run (a command line may name files relative
    // to it); git runs the hook in the repository, which the hook's git commands get back
    const script = [
      '#!/bin/sh',
      `${REPOSITORY_VARIABLE}=$PWD; export ${REPOSITORY_VARIABLE}`,
      `cd ${shellWord(process.cwd())} || exit 1`,
      `exec ${[...this.opts.workerCommand, GIT_HOOK_WORKER].map(shellWord).join(' ')}`,
    ]
    await writeFile(hook, script.join('\n') + '\n', { mode: 0o700 })
    await chmod(hook, 0o700)
    try {
      this.backendPath = join((await run('git', ['--exec-path'], { env: this.env() })).stdout.trim(), 'git-http-backend')
    } catch (err) {
      // no git on this machine: every other part of the platform works; git URLs answer 503
      reportUnexpected('finding git (git push and git clone need it)', err)
    }
  }

  /** git's http-backend, when this machine has git. */
  get backend(): string | undefined {
    return this.backendPath
  }

  path(appId: string): string {
    return join(this.root, `${appId}.git`)
  }

  /** The app's repository, made (empty, branch main) when it has none yet. */
  ensure(appId: string): Promise<string> {
    const path = this.path(appId)
    let made = this.making.get(appId)
    if (!made) {
      made = access(path)
        .catch(() => run('git', ['init', '--quiet', '--bare', '--template=', '--initial-branch=main', path], { env: this.env() }))
        .then(() => path)
        .finally(() => this.making.delete(appId))
      this.making.set(appId, made)
    }
    return made
  }

  /** HEAD names `branch` (so a clone checks out what was last deployed, main or master). */
  async setHead(appId: string, branch: string): Promise<void> {
    await run('git', ['symbolic-ref', 'HEAD', `refs/heads/${branch}`], { cwd: this.path(appId), env: this.env() })
  }

  /**
   * The environment of every git process on the repositories: the daemon's own (the hook runs tb,
   * which needs it), but of git's only the platform's config.
   */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const config: [string, string][] = [
      ['core.hooksPath', this.hooks],
      ['http.receivepack', 'true'],
      ['receive.maxInputSize', String(this.opts.maxPushBytes)],
      // Heroku takes force pushes (`git push -f heroku main`); objects a push did not keep go at gc
      ['receive.denyNonFastForwards', 'false'],
    ]
    const inherited = Object.entries(process.env).filter((entry): entry is [string, string] => !entry[0].startsWith('GIT_') && entry[1] !== undefined)
    const env: Record<string, string> = {
      ...Object.fromEntries(inherited),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_COUNT: String(config.length),
      ...extra,
    }
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key
      env[`GIT_CONFIG_VALUE_${i}`] = value
    })
    return env
  }

  async close(): Promise<void> {
    this.opts.events.off('app', this.onApp)
    await Promise.all(this.removing)
  }
}
