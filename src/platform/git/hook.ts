// The pre-receive hook of every app's repository, in its own process (`tb platform:start --worker
// git-hook`, a grandchild of git's http-backend, so never on the daemon's event loop). git gives
// it the pushed refs on stdin, with the pushed objects still in quarantine: it archives the commit
// pushed to main (or else master) with git itself, sends it to the daemon at its push URL (the
// push's one-time secret: the hook has no API key), and prints the build's output as it comes,
// which git relays to the pusher as `remote:` lines. It fails when the build or its release did:
// git then refuses the push, and the branch stays where it was.
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { PUSH_BRANCH_HEADER, PUSH_COMMIT_HEADER, PUSH_URL_VARIABLE, pushResultOf, REPOSITORY_VARIABLE } from './hook-protocol.js'

const ZERO = /^0+$/
const BUILT_BRANCHES = ['main', 'master']

/** Runs the hook; resolves with why the push is refused, or undefined to let it through. */
export async function runPreReceiveHook(input: NodeJS.ReadableStream, print: (line: string) => void, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const pushUrl = env[PUSH_URL_VARIABLE]
  if (!pushUrl) return 'This repository takes pushes through the platform only (git push to the app\'s git_url).'
  const updates: { commit: string; branch: string }[] = []
  for await (const line of createInterface({ input })) {
    const [, commit, ref] = line.trim().split(/\s+/)
    const branch = ref?.replace(/^refs\/heads\//, '')
    if (commit && ref?.startsWith('refs/heads/')) updates.push({ commit, branch: branch! })
  }
  const update = BUILT_BRANCHES.map((name) => updates.find((u) => u.branch === name)).find((u) => u !== undefined)
  if (!update) {
    print(`Pushed to ${updates.map((u) => u.branch).join(', ') || 'no branch'}: only main and master are built and released.`)
    return undefined
  }
  if (ZERO.test(update.commit)) return `${update.branch} is what the app is built from: it can't be deleted.`
  print(`-----> Building ${update.branch} (${update.commit.slice(0, 7)})...`)
  return build(pushUrl, env[REPOSITORY_VARIABLE] ?? '.', update, print)
}

function build(pushUrl: string, repository: string, update: { commit: string; branch: string }, print: (line: string) => void): Promise<string | undefined> {
  const token = new URL(pushUrl).pathname.split('/').at(-1) ?? ''
  return new Promise((resolve) => {
    let archiveError = ''
    const archive = spawn('git', ['archive', '--format=tar.gz', update.commit], { cwd: repository, stdio: ['ignore', 'pipe', 'pipe'] })
    archive.stderr.setEncoding('utf8').on('data', (chunk: string) => (archiveError += chunk))
    archive.once('error', (err) => resolve(`git archive could not run: ${err.message}`))
    const call = request(pushUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/gzip', [PUSH_COMMIT_HEADER]: update.commit, [PUSH_BRANCH_HEADER]: update.branch },
    }, (res) => {
      if (res.statusCode !== 200) {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).once('end', () => resolve(text.trim() || `the platform answered ${res.statusCode}`))
        return
      }
      let outcome: 'released' | 'failed' | undefined
      const lines = createInterface({ input: res })
      lines.on('line', (line) => {
        const result = pushResultOf(line, token)
        if (result) outcome = result
        else print(line)
      })
      lines.once('close', () => {
        if (outcome === 'released') resolve(undefined)
        else resolve(outcome === 'failed' ? 'Push rejected: the build or its release failed (see above).' : 'Push rejected: the platform stopped answering mid-build.')
      })
    })
    call.once('error', (err) => resolve(`Push rejected: the platform could not be reached (${err.message}).`))
    archive.stdout.pipe(call)
    archive.once('close', (code) => {
      if (code !== 0) {
        call.destroy()
        resolve(`git archive ${update.commit} failed: ${archiveError.trim().split('\n').at(-1) ?? `exit ${code}`}`)
      }
    })
  })
}
