// completions/ must be what the command tree generates now: fails when a command or flag drifts.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { ROOT, baseEnv, runTb, tempDir } from './fixtures/tb.js'

const files = { bash: 'tb.bash', zsh: '_tb', fish: 'tb.fish' } as const

for (const [shell, file] of Object.entries(files)) {
  t.test(`completions/${file} matches \`tb completions ${shell}\``, async (t) => {
    const r = await runTb(t, ['completions', shell], { env: baseEnv(tempDir(t)) })
    t.equal(r.code, 0, r.stderr)
    t.equal(readFileSync(join(ROOT, 'completions', file), 'utf8'), r.stdout, 'run `npm run completions` after changing commands')
  })
}

t.test('bash completes command names (with colons) and a command\'s flags', async (t) => {
  // the way bash calls it: COMP_LINE/COMP_POINT, with ':' among the word breaks
  const complete = (line: string) =>
    execFileSync('bash', ['-c', `source completions/tb.bash
COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
_tb; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n')
  t.same(complete('tb platform:st'), ['start', 'status', 'stop'], 'the part after the colon')
  t.same(complete('tb platform:start --f'), ['--foreground'])
  t.same(complete('tb platform:start -'), ['--foreground', '--help', '--port', '--router-port'])
})

t.test('an unknown shell is a usage error', async (t) => {
  const r = await runTb(t, ['completions', 'tcsh'], { env: baseEnv(tempDir(t)) })
  t.equal(r.code, 2)
  t.match(r.stderr, /Invalid values/)
})
