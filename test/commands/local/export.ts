import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { project } from '../../fixtures/local.js'
import { runTb } from '../../fixtures/tb.js'

t.test('systemd: one unit per process and a target, in Foreman\'s layout, values quoted for systemd', async (t) => {
  const { dir, env } = project(t, {
    Procfile: 'web: node server.js --title "my $APP_NAME" 100%\nworker: ./worker\nrelease: ./migrate\n',
    '.env': 'PORT=7000\nSECRET="a\\"b\\\\c"\nNOTE=50% off\nMULTI="x\\ny"\n',
  })
  const out = join(dir, 'units')
  const r = await runTb(t, ['local:export', 'systemd', out, '-a', 'shop', '-m', 'web=2,worker=1', '-t', '20'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  t.same(readdirSync(out).sort(), ['shop-web.1.service', 'shop-web.2.service', 'shop-worker.1.service', 'shop.target'])
  t.match(r.stderr, `writing: ${join(out, 'shop-web.1.service')}\n`)
  t.equal(readFileSync(join(out, 'shop.target'), 'utf8'), '[Unit]\nWants=shop-web.1.service shop-web.2.service shop-worker.1.service\n\n[Install]\nWantedBy=multi-user.target\n')
  t.equal(readFileSync(join(out, 'shop-web.2.service'), 'utf8'), [
    '[Unit]',
    'PartOf=shop.target',
    'StopWhenUnneeded=yes',
    '',
    '[Service]',
    'User=shop',
    `WorkingDirectory=${dir}`,
    'Environment=PORT=7001',
    'Environment=PS=web.2',
    'Environment="SECRET=a\\"b\\\\c"',
    'Environment="NOTE=50%% off"',
    'Environment="MULTI=x\\ny"',
    'ExecStart=/bin/bash -lc "node server.js --title \\"my $$APP_NAME\\" 100%%"',
    'Restart=always',
    'RestartSec=14s',
    'StandardInput=null',
    'StandardOutput=journal',
    'StandardError=journal',
    'SyslogIdentifier=%n',
    'KillMode=mixed',
    'TimeoutStopSec=20',
    '',
  ].join('\n'))
  t.match(readFileSync(join(out, 'shop-worker.1.service'), 'utf8'), 'Environment=PORT=7100\n')
})

t.test('a new export replaces the app\'s old units and nothing else', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: x\nworker: y\n' })
  const out = join(dir, 'units')
  await runTb(t, ['local:export', 'systemd', out, '-m', 'web=3'], { cwd: dir, env })
  writeFileSync(join(out, 'application.service'), 'not ours\n')
  const r = await runTb(t, ['local:export', 'systemd', out, '-m', 'web=1,worker=1', '-u', 'deploy'], { cwd: dir, env })
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, `cleaning up: ${join(out, 'app-web.3.service')}\n`)
  t.same(readdirSync(out).sort(), ['app-web.1.service', 'app-worker.1.service', 'app.target', 'application.service'])
  t.match(readFileSync(join(out, 'app-web.1.service'), 'utf8'), 'User=deploy\n')
})

t.test('bad input: unknown format, bad app name, missing Procfile', async (t) => {
  const { dir, env } = project(t, { Procfile: 'web: x\n' })
  const format = await runTb(t, ['local:export', 'upstart', 'out'], { cwd: dir, env })
  t.equal(format.code, 2)
  t.equal(format.stderr, 'Error: Unknown export format upstart. Supported: systemd.\n')
  const app = await runTb(t, ['local:export', 'systemd', 'out', '-a', '../etc'], { cwd: dir, env })
  t.equal(app.code, 2)
  t.notOk(existsSync(join(dir, 'out')))
  const missing = await runTb(t, ['local:export', 'systemd', 'out', '-f', 'nope'], { cwd: dir, env })
  t.equal(missing.code, 1)
  t.match(missing.stderr, /^Error: No Procfile at/)
})
