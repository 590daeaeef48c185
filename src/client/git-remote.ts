// Changing git remotes the way Heroku's CLI does after apps:create, apps:rename and apps:destroy.
// Loaded with `await import()` (it runs git); reading remotes stays in src/git.ts, which is cheap.
import { execa } from 'execa'
import { TbError } from '../shared/errors.js'
import type { Session } from '../shared/io.js'
import { shellWord } from '../shared/quote.js'
import { findGitDir, gitRemotes } from './git.js'

/** Runs git; `env`, when given, is its whole environment (a credential helper it runs reads the platform from it). */
async function git(cwd: string, args: string[], env?: Record<string, string | undefined>): Promise<void> {
  const result = await execa('git', args, { cwd, reject: false, ...(env ? { env, extendEnv: false } : {}) })
  if (result.failed) {
    const detail = String(result.stderr || result.shortMessage || result.message).trim().split('\n')[0]
    throw new TbError(`git ${args.join(' ')} failed: ${detail}`)
  }
}

export const inGitRepo = (cwd: string): boolean => findGitDir(cwd) !== undefined

/** Names of the remotes whose URL is `url`. */
export function remotesPointingAt(cwd: string, url: string): string[] {
  return [...gitRemotes(cwd)].filter(([, u]) => u === url).map(([name]) => name)
}

export const addRemote = (cwd: string, name: string, url: string) => git(cwd, ['remote', 'add', name, url])
export const setRemoteUrl = (cwd: string, name: string, url: string) => git(cwd, ['remote', 'set-url', name, url])
export const removeRemote = (cwd: string, name: string) => git(cwd, ['remote', 'remove', name])

/** Where git's credential config for a remote URL lives: its origin (`credential.http://127.0.0.1:7171.helper`). */
const helperKey = (url: string) => `credential.${new URL(url).origin}.helper`

/**
 * The config that makes `tb git:credentials` git's only credential helper for `url`'s origin: an
 * empty helper first clears any a user's or system's config named, so git never prompts.
 */
export function credentialHelperConfig(url: string, self: readonly string[]): [string, string][] {
  const key = helperKey(url)
  return [[key, ''], [key, `!${self.map(shellWord).join(' ')} git:credentials`]]
}

/** Sets tb as the repository's credential helper for `url` (replacing what it had for that origin). */
export async function setCredentialHelper(cwd: string, url: string, self: readonly string[]): Promise<void> {
  const result = await execa('git', ['config', '--local', '--unset-all', helperKey(url)], { cwd, reject: false })
  // 5: there was none
  if (result.failed && result.exitCode !== 5) await git(cwd, ['config', '--local', '--unset-all', helperKey(url)])
  for (const [key, value] of credentialHelperConfig(url, self)) await git(cwd, ['config', '--local', '--add', key, value])
}

/** Clones `url` into `dir` (relative to `cwd`) with `remote` as the origin's name and tb as its credential helper. */
export async function clone(session: Pick<Session, 'cwd' | 'env' | 'self'>, url: string, dir: string, remote: string): Promise<void> {
  const config = credentialHelperConfig(url, session.self).flatMap(([key, value]) => ['--config', `${key}=${value}`])
  await git(session.cwd, ['clone', '--quiet', '--origin', remote, ...config, url, dir], session.env)
}
