// Log drains against receivers on 127.0.0.1: a syslog TCP server reading RFC 6587 octet-counted
// frames, an HTTP server reading Logplex's POSTs, and drains that are down (refused, or a server
// that stops reading) while `tb logs --tail` keeps getting every line.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import t, { type Test } from 'tap'
import { platformCli } from '../../../fixtures/cli.js'
import { within } from '../../../fixtures/deadline.js'
import { waitForLogLine } from '../../../fixtures/dynos.js'
import { startPlatformProcess } from '../../../fixtures/platform.js'
import { tempDir } from '../../../fixtures/tb.js'
import { ensureRendezvousCertificate } from '../../../../src/platform/rendezvous/certificate.js'
import { rendezvousCertPath } from '../../../../src/shared/platform-state.js'

const WAIT_MS = 30_000
const BURST = 10_000

/** Splits `<len> <msg>` frames off a byte stream; a malformed count fails the test. */
function octetFrames(onFrame: (message: string) => void) {
  let pending = Buffer.alloc(0)
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    for (;;) {
      const space = pending.indexOf(0x20)
      if (space === -1) return
      const length = Number(pending.toString('latin1', 0, space))
      if (!Number.isInteger(length) || length <= 0) throw new Error(`bad octet count ${JSON.stringify(pending.toString('latin1', 0, space))}`)
      if (pending.length < space + 1 + length) return
      onFrame(pending.toString('utf8', space + 1, space + 1 + length))
      pending = pending.subarray(space + 1 + length)
    }
  }
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

/** A syslog receiver (over TLS with `tls`): every message of every connection, in arrival order. */
async function syslogServer(t: Test, tls?: { cert: Buffer; key: Buffer }) {
  const messages: string[] = []
  const sockets = new Set<Socket>()
  const watchers = new Set<() => void>()
  const onConnection = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.on('data', octetFrames((message) => {
      messages.push(message)
      for (const watch of watchers) watch()
    }))
  }
  const server = tls ? createTlsServer(tls, onConnection) : createServer(onConnection)
  const port = await listen(server)
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  /** resolves once a message passes `test` */
  const until = (what: string, test: (message: string) => boolean) => within(WAIT_MS, what, new Promise<void>((resolve) => {
    const check = () => {
      if (!messages.some(test)) return
      watchers.delete(check)
      resolve()
    }
    watchers.add(check)
    check()
  }), () => `${messages.length} messages, the last: ${messages.at(-1)}`)
  return { port, messages, until }
}

/** A port nothing listens on: connections to it are refused. */
async function refusedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A server that accepts connections and never reads from them: its drain's writes back up. */
async function stalledServer(t: Test): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    socket.pause()
    sockets.add(socket)
  })
  const port = await listen(server)
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return port
}

/** One platform for the whole file: each test has apps of its own. */
const cli = await platformCli(t)

/** Creates the app; its id. */
async function createApp(name: string): Promise<string> {
  const created = await cli.p.request('POST', '/apps', { name })
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${JSON.stringify(created.body)}`)
  return created.body.id
}

function burst(id: string, count: number, label: string): void {
  for (let i = 1; i <= count; i++) cli.p.logs.append(id, { source: 'app', dyno: 'web.1', message: `${label} ${i}` })
}

t.test('tb drains:add, drains and drains:remove keep an app\'s drains in Heroku\'s shapes', async (t) => {
  await createApp('demo')
  const added = await cli.tb(['drains:add', 'syslog://127.0.0.1:5140', '-a', 'demo', '--json'])
  t.equal(added.code, 0, added.stderr)
  const drain = JSON.parse(added.stdout)
  t.match(drain, { url: 'syslog://127.0.0.1:5140', token: /^d\.[0-9a-f-]{36}$/, addon: null, app: { name: 'demo' } })
  t.equal((await cli.tb(['drains:add', 'https://user:secret@logs.example.test/heroku?x=1', '-a', 'demo'])).code, 0)

  const listed = await cli.tb(['drains', '-a', 'demo'])
  t.equal(listed.code, 0, listed.stderr)
  t.match(listed.stdout, /^https:\/\/user:secret@logs\.example\.test\/heroku\?x=1 \(d\.[0-9a-f-]{36}\)\nsyslog:\/\/127\.0\.0\.1:5140 \(d\./, 'by URL')
  const json = JSON.parse((await cli.tb(['drains', '-a', 'demo', '--json'])).stdout)
  t.equal(json.length, 2)

  const byUrl = await cli.p.request('GET', `/apps/demo/log-drains/${encodeURIComponent('syslog://127.0.0.1:5140')}`)
  t.equal(byUrl.status, 200)
  t.equal(byUrl.body.id, drain.id, 'found by its url-encoded URL')
  t.equal((await cli.p.request('GET', `/apps/demo/log-drains/${drain.token}`)).body.id, drain.id, 'and by its token')

  const again = await cli.tb(['drains:add', 'syslog://127.0.0.1:5140', '-a', 'demo'])
  t.equal(again.code, 1)
  t.match(again.stderr, /demo already drains to syslog:\/\/127\.0\.0\.1:5140/)

  const removed = await cli.tb(['drains:remove', 'syslog://127.0.0.1:5140', '-a', 'demo'])
  t.equal(removed.code, 0, removed.stderr)
  t.match(removed.stderr, /Successfully removed drain syslog:\/\/127\.0\.0\.1:5140/)
  t.equal((await cli.p.request('DELETE', `/apps/demo/log-drains/${json[0].id}`)).status, 200, 'removed by id')
  t.match((await cli.tb(['drains', '-a', 'demo'])).stderr, /demo has no log drains/)
  const missing = await cli.tb(['drains:remove', 'syslog://127.0.0.1:5140', '-a', 'demo'])
  t.equal(missing.code, 1)
  t.match(missing.stderr, /Couldn't find that log drain: demo has no drain syslog:\/\/127\.0\.0\.1:5140/)

  const refusals: [string, RegExp][] = [
    ['ftp://logs.example.test', /the scheme ftp is not one a drain speaks/],
    ['syslog://logs.example.test', /a syslog drain needs a port/],
    ['not a url', /is invalid: use syslog:\/\/host:port/],
  ]
  for (const [url, message] of refusals) {
    const res = await cli.p.request('POST', '/apps/demo/log-drains', { url })
    t.equal(res.status, 422, url)
    t.match(res.body, { id: 'invalid_params', message }, url)
  }
})

t.test('a syslog drain on 127.0.0.1 gets every line of a 10,000-line burst, in order, as RFC 5424 in octet-counted frames', async (t) => {
  const id = await createApp('burst')
  const receiver = await syslogServer(t)
  const drain = JSON.parse((await cli.tb(['drains:add', `syslog://127.0.0.1:${receiver.port}`, '-a', 'burst', '--json'])).stdout)
  burst(id, BURST, 'line')
  await receiver.until(`line ${BURST} over syslog`, (m) => m.endsWith(` line ${BURST}`))
  const ours = receiver.messages.filter((m) => m.includes(' app web.1 - - line '))
  t.equal(ours.length, BURST, 'every line arrived')
  t.ok(ours.every((m, i) => m.endsWith(` line ${i + 1}`)), 'in order')
  const syslog = /^<190>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (\S+) app web\.1 - - line 1$/.exec(ours[0])
  t.ok(syslog, `RFC 5424: ${ours[0]}`)
  t.equal(syslog?.[1], drain.token, 'the drain token as HOSTNAME')
})

t.test('with its drains down, an app\'s log and tb logs --tail get every line, and the drops are reported as L10', async (t) => {
  const id = await createApp('down')
  // its peer: the same bursts, the same tail, no drains
  const calmId = await createApp('calm')
  for (const url of [`syslog://127.0.0.1:${await refusedPort()}`, `syslog://127.0.0.1:${await stalledServer(t)}`]) {
    t.equal((await cli.tb(['drains:add', url, '-a', 'down'])).code, 0)
  }
  const tail = cli.startTb(['logs', '--tail', '-a', 'down', '-n', '1'])
  const calmTail = cli.startTb(['logs', '--tail', '-a', 'calm', '-n', '1'])
  await tail.untilStdout((out) => out.length > 0, WAIT_MS)
  await calmTail.untilStdout((out) => out.length > 0, WAIT_MS)

  // the writer's time for a burst, the two apps' rounds interleaved: dead drains must add no waiting
  const timed = (app: string, label: string) => {
    const started = performance.now()
    burst(app, BURST, label)
    return performance.now() - started
  }
  let calm = 0
  let down = 0
  // 3 rounds: 30,000 lines, past the drains' 20,000-line buffers
  for (const round of [1, 2, 3]) {
    // each goes first in turn
    if (round % 2 === 1) calm += timed(calmId, `calm${round}`)
    down += timed(id, `down${round}`)
    if (round % 2 === 0) calm += timed(calmId, `calm${round}`)
  }
  t.comment(`three 10,000-line bursts: ${calm.toFixed(0)} ms into an app without drains, ${down.toFixed(0)} ms into one with two dead drains (ratio ${(down / calm).toFixed(2)})`)
  // appending never does I/O: what dead drains cost the writer is queueing, and the collector's
  // work on the up to 20,000 lines each holds (measured 1.0 to 3.5 times the peer's time on a busy machine)
  t.ok(down < calm * 6, 'dead drains cost the writer no waiting, only their queueing')

  await tail.untilStdout((out) => out.includes('app[web.1]: down3 10000\n'), WAIT_MS)
  const lines = tail.stdout().split('\n').filter((line) => / app\[web\.1\]: down\d /.test(line))
  t.equal(lines.length, 3 * BURST, 'tb logs --tail got every line')
  t.ok(lines.every((line, i) => line.endsWith(`down${Math.floor(i / BURST) + 1} ${(i % BURST) + 1}`)), 'in order')

  const report = await waitForLogLine(cli.p.logs, id, (line) => line.includes('heroku[logplex]: Error L10 (output buffer overflow)'))
  t.match(report, /Error L10 \(output buffer overflow\): \d+ messages dropped since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\.$/)
  t.equal(cli.p.logs.backlog(calmId, { source: 'heroku' }, 1500)?.filter((line) => line.includes('L10')).length, 0, 'nothing dropped where nothing drains')
})

interface Post {
  headers: IncomingHttpHeaders
  body: string
}

t.test('an HTTP drain gets POSTs in Logplex\'s framing, and a refused POST is sent again with the same frame id', async (t) => {
  const id = await createApp('web')
  const posts: Post[] = []
  let refuseNext = true
  const watchers = new Set<() => void>()
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      posts.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.statusCode = refuseNext ? 503 : 204
      refuseNext = false
      res.end()
      for (const watch of watchers) watch()
    })
  })
  const port = await listen(server)
  t.teardown(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  const drain = JSON.parse((await cli.tb(['drains:add', `http://127.0.0.1:${port}/logs?app=web`, '-a', 'web', '--json'])).stdout)
  const count = 1200
  burst(id, count, 'http')

  const received = () => posts.slice(1).reduce((sum, post) => sum + Number(post.headers['logplex-msg-count']), 0)
  await within(WAIT_MS, `${count} lines over HTTP`, new Promise<void>((resolve) => {
    const check = () => {
      if (received() >= count) resolve()
    }
    watchers.add(check)
    check()
  }), () => `${posts.length} POSTs, ${received()} lines accepted`)

  t.equal(posts[1].headers['logplex-frame-id'], posts[0].headers['logplex-frame-id'], 'the refused batch came again under its frame id')
  t.equal(posts[1].body, posts[0].body)
  const accepted = posts.slice(1)
  t.equal(new Set(accepted.map((post) => post.headers['logplex-frame-id'])).size, accepted.length, 'a frame id per batch')
  const messages: string[] = []
  for (const post of accepted) {
    t.equal(post.headers['content-type'], 'application/logplex-1')
    t.equal(post.headers['logplex-drain-token'], drain.token)
    const frames: string[] = []
    octetFrames((message) => frames.push(message))(Buffer.from(post.body))
    t.equal(frames.length, Number(post.headers['logplex-msg-count']), 'Logplex-Msg-Count is the frames in the body')
    t.ok(frames.length <= 500, 'at most 500 lines a POST')
    messages.push(...frames)
  }
  t.equal(messages.length, count)
  t.ok(messages.every((m, i) => m.endsWith(` http ${i + 1}\n`)), 'every line in order, each ending with the newline its count includes')
  t.match(messages[0], /^<190>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 host app web\.1 - http 1\n$/, 'Logplex\'s line')
})

t.test('a syslog+tls drain gets the app\'s lines over TLS, checking the receiver\'s certificate', async (t) => {
  // a receiver with a certificate for 127.0.0.1, which a platform of its own trusts (NODE_EXTRA_CA_CERTS is read at start)
  const certDir = tempDir(t, 'tb-drain-cert-')
  const { cert, key } = await ensureRendezvousCertificate(certDir)
  const receiver = await syslogServer(t, { cert, key })
  const home = join(tempDir(t, 'tb-drain-home-'), 'tb-home')
  const apiKey = 'drain-tls-key'
  const extraCa = process.env.NODE_EXTRA_CA_CERTS
  process.env.NODE_EXTRA_CA_CERTS = rendezvousCertPath(certDir)
  let url: string
  try {
    url = (await startPlatformProcess(t, home, apiKey)).url
  } finally {
    if (extraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS
    else process.env.NODE_EXTRA_CA_CERTS = extraCa
  }
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WAIT_MS),
    })
    t.ok(res.ok, `${method} ${path}: ${res.status}`)
    return res.json()
  }
  await call('POST', '/apps', { name: 'secure' })
  const drain = await call('POST', '/apps/secure/log-drains', { url: `syslog+tls://127.0.0.1:${receiver.port}` })
  await call('PATCH', '/apps/secure/config-vars', { SECRET_SAUCE: '1' })
  const released = (m: string) => / app api - - Release v2 created by user /.test(m)
  await receiver.until('the release line over TLS', released)
  const { messages } = receiver
  const line = messages.find(released)!
  t.match(line, new RegExp(`^<45>1 \\S+ ${drain.token} app api - - Release v2 created by user `), 'RFC 5424, the platform\'s words at syslog.notice')
  t.ok(messages.some((m) => m.includes(' app api - - Set SECRET_SAUCE config vars by user ')), 'and the lines before it')
})
