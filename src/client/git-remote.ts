// Changing git remotes the way Heroku's CLI does after apps:create, apps:rename and apps:destroy.
// Loaded with `await import()` (it runs git); reading remotes stays in src/git.ts, which is cheap.
import { execa } from 'execa'
import { TbError } from '../shared/errors.js'
import { findGitDir, gitRemotes } from './git.js'

async function git(cwd: string, args: string[]): Promise<void> {
  const result = await execa('git', args, { cwd, reject: false })
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
