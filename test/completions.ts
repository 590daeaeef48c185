// completions/ must be what the command tree generates now: fails when a command or flag drifts.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { platformWithApp } from './fixtures/cli.js'
import { startTerminal } from './fixtures/terminal.js'
import { ROOT, TB_COMMAND, baseEnv, runTb, tempDir } from './fixtures/tb.js'

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

// Live values in real shells: each shell on a terminal, the completion script loaded as a user
// loads it, TAB typed, and the app names and releases from a running platform on the screen.
const SHELLS = {
  bash: {
    start: 'bash --norc --noprofile -i',
    setup: `source ${join(ROOT, 'completions', 'tb.bash')}; bind 'set show-all-if-ambiguous on'; PS1='READY> '`,
  },
  zsh: {
    start: 'zsh -f -i',
    setup: `autoload -Uz compinit; compinit -u -D; source ${join(ROOT, 'completions', '_tb')}; PS1='READY> '`,
  },
  fish: {
    start: 'fish --no-config',
    setup: `source ${join(ROOT, 'completions', 'tb.fish')}; function fish_prompt; echo 'READY> '; end`,
  },
} as const

for (const [shell, { start, setup }] of Object.entries(SHELLS)) {
  t.test(`${shell}: tb ps:scale -a <TAB> offers the apps, tb releases:rollback -a demo v<TAB> the versions`, async (t) => {
    if (spawnSync(shell, ['-c', 'exit 0']).status !== 0) {
      const why = `${shell} is not installed (apt-get install ${shell})`
      if (process.env.CI === 'true') t.fail(`${why}; with CI=true the completion drill must run (.ci/run installs it)`)
      else t.pass(`the ${shell} completion drill`, { skip: why })
      return
    }
    const { p, tb } = await platformWithApp(t, 'demo')
    t.equal((await tb(['apps:create', 'other'])).code, 0)
    t.equal((await tb(['config:set', 'A=1', '-a', 'demo'])).code, 0)
    t.equal((await tb(['config:set', 'B=2', '-a', 'demo'])).code, 0)
    // `tb` on PATH is the tb under test
    const bin = tempDir(t, 'tb-bin-')
    writeFileSync(join(bin, 'tb'), `#!/bin/sh\nexec ${TB_COMMAND.map((word) => `'${word}'`).join(' ')} "$@"\n`, { mode: 0o755 })
    // the wait per keystroke is measured by bench/cli-latency and bounded in test/commands/completions/values.ts: here a loaded machine must not empty the list
    const env = { ...p.env, PATH: `${bin}:/usr/bin:/bin`, SHELL: shell, TB_COMPLETION_WAIT_MS: '10000' }
    const term = startTerminal(t, start, { env, cwd: tempDir(t) })
    term.type(`${setup}\r`)
    await term.waitFor(/READY> $/m)

    term.type('tb ps:scale -a ')
    await term.waitFor(/-a $/)
    let typed = performance.now()
    term.type('\t')
    await term.waitFor(/\bdemo\s+other/)
    t.pass(`the apps, ${Math.round(performance.now() - typed)} ms after TAB (tb's start-up and a shell's drawing included)`)
    // Ctrl-U: a new line to type
    term.type('\x15tb releases:rollback -a demo v')
    await term.waitFor(/demo v$/)
    typed = performance.now()
    term.type('\t')
    await term.waitFor(/\bv1\s+v2\s+v3/)
    t.pass(`the versions, ${Math.round(performance.now() - typed)} ms after TAB`)
    t.notMatch(term.screen(), /Error|tb bug/, 'nothing but values at the prompt')
    term.type('\x15exit\r')
    await term.exited()
  })
}
