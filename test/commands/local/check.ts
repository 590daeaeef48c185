import { join } from 'node:path'
import t from 'tap'
import { project } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

t.test('a valid Procfile: Foreman\'s line on stdout', async (t) => {
  const { dir, env } = project(t, { Procfile: '# app\nweb: node server.js\r\nworker: node worker.js\n' })
  const r = await runTb(t, ['local:check'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, 'valid procfile detected (web, worker)\n')
  const json = await runTb(t, ['local:check', '--json'], { cwd: dir, env })
  t.same(JSON.parse(json.stdout), {
    procfile: join(dir, 'Procfile'),
    valid: true,
    processes: [{ name: 'web', command: 'node server.js' }, { name: 'worker', command: 'node worker.js' }],
    problems: [],
  })
})

t.test('every line that cannot be used is reported with its number; exit 1', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: a\n  worker: b\nweb: c\nclock:\nrandom text\n' })
  const r = await runTb(t, ['local:check'], { cwd: dir, env })
  const path = join(dir, 'Procfile')
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.equal(r.stderr, [
    `${path}:2: cannot parse "worker: b": expected NAME: COMMAND (remove the leading whitespace)`,
    `${path}:3: duplicate process name web (first defined on line 1)`,
    `${path}:4: process clock has no command`,
    `${path}:5: cannot parse "random text": expected NAME: COMMAND`,
    `Error: ${path} has 4 problems.`,
    'Each line must be NAME: COMMAND, with a unique NAME of letters, digits, _ or -.',
    '',
  ].join('\n'))
})

t.test('missing, empty, -f and -d', async (t) => {
  const { dir, env } = project(t, { 'empty/Procfile': '# nothing\n', 'app/Procfile.dev': 'web: x\n', 'app/Procfile': 'api: y\n' })
  const missing = await runTb(t, ['local:check'], { cwd: dir, env })
  t.equal(missing.code, 1)
  t.match(missing.stderr, /^Error: No Procfile at \S+\/Procfile\./)
  const empty = await runTb(t, ['local:check', '-d', 'empty'], { cwd: dir, env })
  t.equal(empty.code, 1)
  t.match(empty.stderr, /^Error: \S+\/empty\/Procfile defines no processes\./)
  t.equal((await runTb(t, ['local:check', '-f', 'app/Procfile.dev'], { cwd: dir, env })).stdout, 'valid procfile detected (web)\n')
  t.equal((await runTb(t, ['local:check', '-d', 'app'], { cwd: dir, env })).stdout, 'valid procfile detected (api)\n')
})
