import { readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { isAppName } from '../shared/ids.js'

/** The .git directory governing `cwd`, found by walking up; undefined outside a repository. */
export function findGitDir(cwd: string): string | undefined {
  let dir = resolve(cwd)
  for (;;) {
    const candidate = join(dir, '.git')
    try {
      const st = statSync(candidate)
      if (st.isDirectory()) return candidate
      // a worktree or submodule: `.git` is a file naming the real directory
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, 'utf8'))
      if (m) return resolve(dir, m[1].trim())
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** Remote name → URL from the repository's config, read directly (no git process: it is on every command's path). */
export function gitRemotes(cwd: string): Map<string, string> {
  const remotes = new Map<string, string>()
  const gitDir = findGitDir(cwd)
  if (!gitDir) return remotes
  let text: string
  try {
    text = readFileSync(join(gitDir, 'config'), 'utf8')
  } catch {
    return remotes
  }
  let current: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    const section = /^\[\s*remote\s+"([^"]+)"\s*\]$/.exec(line)
    if (section) {
      current = section[1]
      continue
    }
    if (line.startsWith('[')) {
      current = undefined
      continue
    }
    const url = /^url\s*=\s*(.+)$/.exec(line)
    if (current && url && !remotes.has(current)) remotes.set(current, url[1].trim())
  }
  return remotes
}

/** The app a platform git URL points at: `…/APP.git` on the platform's host or Heroku's. */
export function appFromGitUrl(url: string, platformHosts: string[]): string | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?([^/]+)\/|git@([^:]+):)(?:git\/)?([^/]+)\.git\/?$/.exec(url)
  if (!m || !isAppName(m[3])) return undefined
  const host = (m[1] ?? m[2]).toLowerCase().replace(/:\d+$/, '') // the platform's URL carries a port
  return platformHosts.includes(host) || host === 'git.heroku.com' || host === 'heroku.com' ? m[3] : undefined
}
