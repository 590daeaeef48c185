// What the pre-receive hook (hook.ts) and the platform's push route (routes/git.ts) say to each
// other: the hook POSTs the pushed commit's tree (a tar.gz) naming the commit and branch in
// headers; the answer is the build's output, one line each, then one line of the outcome, which
// starts with the push's secret so that no line of a build's own output can pass for it.

/** The hidden worker kind the pre-receive hook runs (`tb platform:start --worker git-hook`). */
export const GIT_HOOK_WORKER = 'git-hook'

/** The hook's script passes the repository (git's working directory for it) to the hook under this name. */
export const REPOSITORY_VARIABLE = 'TB_GIT_REPOSITORY'

/** The push's one-time URL, which the hook calls back (it has no API key), under this name. */
export const PUSH_URL_VARIABLE = 'TB_GIT_PUSH_URL'

export const PUSH_COMMIT_HEADER = 'tb-push-commit'
export const PUSH_BRANCH_HEADER = 'tb-push-branch'

export function pushResultLine(token: string, released: boolean): string {
  return `${token} ${released ? 'released' : 'failed'}`
}

/** The outcome a line gives, or undefined when it is a line of the build's output. */
export function pushResultOf(line: string, token: string): 'released' | 'failed' | undefined {
  if (line === pushResultLine(token, true)) return 'released'
  if (line === pushResultLine(token, false)) return 'failed'
  return undefined
}
