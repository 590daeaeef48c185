import t from 'tap'
import { appDir, buildApp } from '../../fixtures/builds.js'
import { platformWithApp } from '../../fixtures/cli.js'

t.test('tb builds lists the builds newest first', async (t) => {
  const { p, tb } = await platformWithApp(t, 'demo')
  const none = await tb(['builds', '-a', 'demo'])
  t.equal(none.code, 0)
  t.equal(none.stdout, '')
  t.equal(none.stderr, 'demo has no builds.\n')

  const good = await buildApp(t, p, 'demo', appDir(t, { Procfile: 'worker: sleep 1000\n' }), '60883d9e8947a57e04dc9124f25df004866a2051')
  const bad = await buildApp(t, p, 'demo', appDir(t, { README: 'nothing to run\n' }))
  const r = await tb(['builds', '-a', 'demo'])
  t.equal(r.code, 0, r.stderr)
  const rows = r.stdout.trimEnd().split('\n').map((line) => line.split('\t'))
  t.match(rows, [
    [bad.build.id, 'failed', '', /@tb\.localhost$/, /^\ds ago$/],
    [good.build.id, 'succeeded', '60883d9', /@tb\.localhost$/, /^\ds ago$/],
  ])

  const json = JSON.parse((await tb(['builds', '-a', 'demo', '--json', '-n', '1'])).stdout)
  t.strictSame(json.map((b: { id: string }) => b.id), [bad.build.id], '-n 1: the newest')
  const wrong = await tb(['builds', '-a', 'demo', '-n', '0'])
  t.equal(wrong.code, 2)
  t.equal(wrong.stderr, 'Error: --num must be a whole number from 1 to 1000, not 0.\n')
})
