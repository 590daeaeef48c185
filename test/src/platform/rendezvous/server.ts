// The rendezvous at the socket level, as Heroku's CLI meets it: TLS, the secret line, the
// greeting, raw input and output, the exit status trailer; secrets that are refused.
import { readFileSync, statSync } from 'node:fs'
import { connect, type TLSSocket } from 'node:tls'
import t, { type Test } from 'tap'
import { rendezvousCertPath, rendezvousKeyPath } from '../../../../src/shared/platform-state.js'
import { packSlug, processAlive, waitForDynos, waitForLogLine, writeTree } from '../../../fixtures/dynos.js'
import { startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'
import { started } from '../../../fixtures/processes.js'
import { tempDir } from '../../../fixtures/tb.js'

const TRAILER = (code: number) => `\uFFFF heroku-command-exit-status: ${code}\n`
const REFUSED = 'rendezvous refused: this attach URL is unknown, used already or expired: run the command again.\r\n'

async function deployed(t: Test, opts: Parameters<typeof startTestPlatform>[1] = {}): Promise<{ p: TestPlatform; appId: string }> {
  const p = await startTestPlatform(t, { dynos: { stopGraceMs: 3000 }, ...opts })
  const appId = (await p.request('POST', '/apps', { name: 'demo' })).body.id
  const dir = writeTree(tempDir(t, 'tb-app-'), { 'README': 'a one-off app\n' })
  const slug = await packSlug(p.services(), p.home, 'demo', dir, {})
  t.equal((await p.request('POST', '/apps/demo/releases', { slug })).status, 201)
  return { p, appId }
}

/** A TLS connection to an attach URL, trusting the platform's certificate; what it receives, as text. */
interface Dialed {
  socket: TLSSocket
  text(): string
  /** resolves with everything received once it matches */
  until(pattern: RegExp): Promise<string>
  closed: Promise<string>
}

async function dial(t: Test, p: TestPlatform, attachUrl: string, secret = new URL(attachUrl).pathname.slice(1)): Promise<Dialed> {
  const url = new URL(attachUrl)
  const socket = connect({ host: url.hostname, port: Number(url.port), ca: readFileSync(rendezvousCertPath(p.home)) })
  t.teardown(() => socket.destroy())
  let received = ''
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = []
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    received += chunk
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(received)) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(received)
    }
  })
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)))
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve)
    socket.once('error', reject)
  })
  socket.write(`${secret}\r\n`)
  return {
    socket,
    text: () => received,
    until: (pattern) => (pattern.test(received) ? Promise.resolve(received) : new Promise((resolve) => waiters.push({ pattern, resolve }))),
    closed,
  }
}

t.test('an attached dyno: attach_url, then greeting, raw output and the exit status trailer; it starts only once attached', async (t) => {
  const { p, appId } = await deployed(t)
  const created = await p.request('POST', '/apps/demo/dynos', { command: 'echo "$DYNO says $GREETING"; exit 3', attach: true, force_no_tty: true, env: { GREETING: 'hi' } })
  t.equal(created.status, 201)
  const { name, attach_url: attachUrl } = created.body
  t.match(attachUrl, /^rendezvous:\/\/127\.0\.0\.1:\d+\/[\w-]{32}$/)
  t.match(p.dynos.find(appId, name), { state: 'starting', pid: null }, 'nothing runs before the client comes')

  const session = await dial(t, p, attachUrl)
  t.equal(await session.closed, `rendezvous\r\n${name} says hi\n${TRAILER(3)}`)
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  const lines = p.logs.backlog(appId, {}, 1500)!.map((line) => line.replace(/^\S+ /, ''))
  t.notOk(lines.some((line) => line.startsWith(`app[${name}]`)), 'an attached dyno\'s output is its client\'s only')
  t.ok(lines.includes(`heroku[${name}]: Process exited with status 3`))

  t.equal(statSync(rendezvousKeyPath(p.home)).mode & 0o777, 0o600, 'the key is the platform\'s alone')
  t.equal(statSync(rendezvousCertPath(p.home)).mode & 0o777, 0o600)
})

t.test('stdin passes through; its end (the client half-closes) is the end of the process\'s input', async (t) => {
  const { p } = await deployed(t)
  const { attach_url: attachUrl } = (await p.request('POST', '/apps/demo/dynos', { command: 'cat; echo "<eof>"', attach: true, force_no_tty: true })).body
  const session = await dial(t, p, attachUrl)
  await session.until(/^rendezvous\r\n/)
  session.socket.write('one\ntwo')
  session.socket.end()
  t.equal(await session.closed, `rendezvous\r\none\ntwo<eof>\n${TRAILER(0)}`)
})

t.test('on pipes, a Ctrl-D byte ends the input as Heroku\'s CLI marks it (it never half-closes); what follows is dropped', async (t) => {
  const { p } = await deployed(t)
  const { attach_url: attachUrl } = (await p.request('POST', '/apps/demo/dynos', { command: 'cat; echo "<eof>"', attach: true, force_no_tty: true })).body
  const session = await dial(t, p, attachUrl)
  await session.until(/^rendezvous\r\n/)
  session.socket.write('one\n')
  await session.until(/one\n/)
  session.socket.write('two\x04three')
  t.equal(await session.closed, `rendezvous\r\none\ntwo<eof>\n${TRAILER(0)}`, 'the process saw its input end with the socket still open')
})

t.test('a secret is good once: reused, unknown or expired, the connection is refused with a line and closed', async (t) => {
  const { p, appId } = await deployed(t, { rendezvous: { secretTtlMs: 300 } })
  const { name, attach_url: attachUrl } = (await p.request('POST', '/apps/demo/dynos', { command: 'echo once', attach: true, force_no_tty: true })).body
  const first = await dial(t, p, attachUrl)
  t.equal(await first.closed, `rendezvous\r\nonce\n${TRAILER(0)}`)
  t.equal(await (await dial(t, p, attachUrl)).closed, REFUSED, 'used already')
  t.equal(await (await dial(t, p, attachUrl, 'x'.repeat(32))).closed, REFUSED, 'unknown')
  await waitForDynos(p.dynos, appId, (list) => !list.some((d) => d.name === name))

  const late = (await p.request('POST', '/apps/demo/dynos', { command: 'echo never', attach: true })).body
  t.match(p.dynos.find(appId, late.name), { state: 'starting' })
  await waitForLogLine(p.logs, appId, (line) => line.endsWith(`heroku[${late.name}]: Error R13 (Attach error) -> Failed to attach to process`))
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  t.equal(await (await dial(t, p, late.attach_url)).closed, REFUSED, 'expired')
  const lines = p.logs.backlog(appId, {}, 1500)!.filter((line) => line.includes(`[${late.name}]`)).map((line) => line.replace(/^\S+ /, ''))
  t.strictSame(lines, [
    `heroku[${late.name}]: Error R13 (Attach error) -> Failed to attach to process`,
    `heroku[${late.name}]: State changed from starting to down`,
  ], 'the dyno never ran')
})

t.test('a client that goes away from a terminal hangs up: its dyno stops', async (t) => {
  const { p, appId } = await deployed(t)
  const { name, attach_url: attachUrl } = (await p.request('POST', '/apps/demo/dynos', { command: 'echo ready; exec sleep 1000', attach: true })).body
  const session = await dial(t, p, attachUrl)
  await session.until(/ready\r\n/)
  const [dyno] = await waitForDynos(p.dynos, appId, (list) => list.some((d) => d.name === name && d.state === 'up'))
  session.socket.destroy()
  await waitForDynos(p.dynos, appId, (list) => list.length === 0)
  t.notOk(processAlive(dyno.pid!), 'its process is gone')
  const lines = p.logs.backlog(appId, {}, 1500)!.filter((line) => line.includes(`heroku[${name}]`)).map((line) => line.replace(/^\S+ /, ''))
  t.same(lines.slice(-3), [`heroku[${name}]: Stopping all processes with SIGTERM`, `heroku[${name}]: Process exited with status 143`, `heroku[${name}]: State changed from up to down`])
})

t.test('on a terminal: the client\'s size, tb-window-size records, Ctrl-C and Ctrl-D as keys', async (t) => {
  const { p } = await deployed(t)
  // Ctrl-C ends the first cat (the trap runs once it has), Ctrl-D the second
  const command = 'stty size; read word; stty size; trap "echo interrupted" INT; echo waiting; cat; cat; echo "cat saw the end"; exit 4'
  const { attach_url: attachUrl, name } = (await p.request('POST', '/apps/demo/dynos', { command, attach: true, env: { COLUMNS: 100, LINES: '30' } })).body
  const session = await dial(t, p, attachUrl)
  await session.until(/30 100\r\n/)
  session.socket.write('\uFFFF tb-window-size: 120x40\ngo\r')
  await session.until(/waiting\r\n/)
  t.match(session.text(), /go\r\n40 120\r\n/, 'the record resized the terminal and was not typed')
  // sooner, the key could land between the shell's fork and cat's exec, where it is lost
  t.ok(await started(['cat'], `DYNO=${name}`), 'cat runs')
  session.socket.write('\x03')
  await session.until(/interrupted\r\n/)
  session.socket.write('\x04')
  const transcript = await session.closed
  t.match(transcript, /cat saw the end\r\n\uFFFF heroku-command-exit-status: 4\n$/)
})

t.test('a client that doesn\'t trust the certificate fails its handshake; the platform closes all the same', async (t) => {
  const { p } = await deployed(t)
  const url = new URL((await p.request('POST', '/apps/demo/dynos', { command: 'true', attach: true })).body.attach_url)
  const failed = await new Promise<NodeJS.ErrnoException>((resolve) => connect({ host: url.hostname, port: Number(url.port) }).on('error', resolve))
  t.equal(failed.code, 'DEPTH_ZERO_SELF_SIGNED_CERT')
  await p.close()
})
