import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import t from 'tap'
import { ensureRendezvousCertificate } from '../../../../src/platform/rendezvous/certificate.js'
import { rendezvousCertPath } from '../../../../src/shared/platform-state.js'
import { startTestPlatform } from '../../../fixtures/platform.js'
import { tempDir } from '../../../fixtures/tb.js'

t.test('made once, for the loopback addresses, and kept', async (t) => {
  const home = tempDir(t)
  const first = await ensureRendezvousCertificate(home)
  const second = await ensureRendezvousCertificate(home)
  t.ok(first.cert.equals(second.cert) && first.key.equals(second.key), 'the second call finds the first one\'s')
  t.ok(readFileSync(rendezvousCertPath(home)).equals(first.cert))
  const cert = new X509Certificate(first.cert)
  t.equal(cert.subjectAltName, 'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost')
  t.ok(cert.checkIP('127.0.0.1'))
  t.strictSame(readdirSync(home).sort(), ['rendezvous-cert.pem', 'rendezvous-key.pem'], 'nothing left of the making')
})

t.test('an openssl that fails: the first line it wrote to stderr, and nothing half made', async (t) => {
  const home = tempDir(t)
  const bin = tempDir(t, 'tb-fake-openssl-')
  writeFileSync(join(bin, 'openssl'), '#!/bin/sh\necho "req: Unknown option or cipher: ec" >&2\necho "req: Use -help for summary." >&2\nexit 1\n', { mode: 0o755 })
  const path = process.env.PATH
  process.env.PATH = `${bin}:${path}`
  t.teardown(() => {
    process.env.PATH = path
  })
  await t.rejects(ensureRendezvousCertificate(home), { message: 'could not make the TLS certificate for tb run: req: Unknown option or cipher: ec' })
  t.strictSame(readdirSync(home), [])
})

t.test('without openssl: a clear reason, and the platform runs without attached dynos, saying why', async (t) => {
  const home = tempDir(t)
  const path = process.env.PATH
  process.env.PATH = tempDir(t, 'tb-empty-path-')
  t.teardown(() => {
    process.env.PATH = path
  })
  await t.rejects(ensureRendezvousCertificate(home), { message: 'could not make the TLS certificate for tb run: the openssl command is not installed' })
  t.strictSame(readdirSync(home), [], 'nothing half made')

  const p = await startTestPlatform(t)
  process.env.PATH = path
  await p.request('POST', '/apps', { name: 'demo' })
  const res = await p.request('POST', '/apps/demo/dynos', { command: 'bash', attach: true })
  t.equal(res.status, 422)
  t.strictSame(res.body, {
    id: 'invalid_params',
    message: 'Attached one-off dynos are not available: the platform could not make the TLS certificate for tb run: the openssl command is not installed. Use tb run:detached, or fix that and restart the platform.',
  })
  t.strictSame((await p.request('GET', '/apps/demo/dynos')).body, [], 'no dyno was made')
})
