import { randomBytes } from 'node:crypto'
import { get, type IncomingMessage } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { SESSION_TTL_MS } from '../../../../src/platform/logs/sessions.js'
import { startPlatform } from '../../../../src/platform/server.js'
import { SharedPlatform, startTestPlatform, type TestPlatform } from '../../../fixtures/platform.js'
import { tempDir, WORKER_COMMAND } from '../../../fixtures/tb.js'

type Test = Parameters<typeof tempDir>[0]

// tests of the platform's stop, clock or restart start their own; the others make apps of their own names
const shared = new SharedPlatform(t)

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 (app|heroku)\[[\w.]+\]: /
const messages = (text: string) => text.split('\n').filter(Boolean).map((line) => line.replace(LINE, ''))

async function createApp(p: TestPlatform, name = 'demo'): Promise<string> {
  const res = await p.request('POST', '/apps', { name })
  return res.body.id
}

async function createSession(p: TestPlatform, body: unknown, app = 'demo'): Promise<string> {
  const res = await p.request('POST', `/apps/${app}/log-sessions`, body)
  if (res.status !== 201) throw new Error(`log session: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.logplex_url
}

/** A streaming GET whose text can be awaited as it grows. */
interface OpenStream {
  res: IncomingMessage
  text(): string
  /** resolves once the text so far passes `done`; rejects if the stream ends first */
  until(done: (text: string) => boolean): Promise<string>
  /** the whole text, once the server ended the response */
  ended: Promise<string>
}

function openStream(t: Test, url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers }, (res) => {
      let text = ''
      let finished = false
      const waiters: { done: (text: string) => boolean; resolve: (text: string) => void; reject: (err: Error) => void }[] = []
      const check = () => {
        for (const waiter of [...waiters]) {
          if (waiter.done(text)) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(text)
          } else if (finished) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.reject(new Error(`the stream ended first: ${JSON.stringify(text)}`))
          }
        }
      }
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
        check()
      })
      const ended = new Promise<string>((resolveEnd) => res.on('end', () => {
        finished = true
        check()
        resolveEnd(text)
      }))
      res.on('error', () => {})
      resolve({
        res,
        text: () => text,
        until: (done) => new Promise((resolveWait, rejectWait) => {
          waiters.push({ done, resolve: resolveWait, reject: rejectWait })
          check()
        }),
        ended,
      })
    })
    req.on('error', reject)
    t.teardown(() => req.destroy())
  })
}

t.test('a log session: 201 with a logplex_url that streams the backlog as text/plain, once', async (t) => {
  const p = await shared.platform()
  const appId = await createApp(p, 'log-once')
  p.logs.append(appId, { source: 'app', dyno: 'web.1', message: 'listening on 5342' })
  const res = await p.request('POST', '/apps/log-once/log-sessions', {})
  t.equal(res.status, 201)
  t.strictSame(Object.keys(res.body).sort(), ['created_at', 'id', 'logplex_url', 'updated_at'])
  t.match(res.body.logplex_url, new RegExp(`^${p.url}/streams/log-sessions/[\\w-]{32}$`))

  // no credentials: the URL's secret is the key, as with Heroku's logplex URLs
  const stream = await fetch(res.body.logplex_url)
  t.equal(stream.status, 200)
  t.match(stream.headers.get('content-type'), /^text\/plain/)
  const text = await stream.text()
  for (const line of text.trimEnd().split('\n')) t.match(line, LINE)
  const { email } = p.services().account.get()
  t.strictSame(messages(text), [`Initial release by user ${email}`, `Release v1 created by user ${email}`, 'listening on 5342'])

  const again = await fetch(res.body.logplex_url)
  t.equal(again.status, 404, 'the URL is good for one read')
  t.match(await again.text(), /does not exist, was already read or has expired/)
  t.equal((await fetch(`${p.url}/streams/log-sessions/nonsense`)).status, 404, 'an unknown secret is 404')
})

t.test('Accept: text/event-stream gets the same lines as SSE events', async (t) => {
  const p = await shared.platform()
  const appId = await createApp(p, 'log-sse')
  p.logs.append(appId, { source: 'heroku', dyno: 'router', message: 'at=info method=GET path="/" status=200' })
  const url = await createSession(p, { lines: 1 }, 'log-sse')
  const res = await fetch(url, { headers: { Accept: 'text/event-stream' } })
  t.match(res.headers.get('content-type'), /^text\/event-stream/)
  const body = await res.text()
  t.match(body, /^data: \S+ heroku\[router\]: at=info method=GET path="\/" status=200\n\n$/)
})

t.test('lines: the newest N that pass the filter (default 100, at most 1,500)', async (t) => {
  const p = await shared.platform()
  const appId = await createApp(p, 'log-lines')
  for (let i = 1; i <= 1600; i++) p.logs.append(appId, { source: 'app', dyno: i % 2 ? 'web.1' : 'worker.1', message: `line ${i}` })
  const read = async (body: unknown) => (await (await fetch(await createSession(p, body, 'log-lines'))).text()).trimEnd().split('\n')
  const byDefault = await read({})
  t.equal(byDefault.length, 100)
  t.match(byDefault.at(-1), / app\[worker\.1\]: line 1600$/)
  t.equal((await read({ lines: 5 })).length, 5)
  const most = await read({ lines: 1500 })
  t.equal(most.length, 1500)
  t.match(most[0], / line 101$/, 'the ring holds the newest 1,500')
  t.strictSame(messages((await read({ lines: 3, type: 'web' })).join('\n')), ['line 1595', 'line 1597', 'line 1599'])
})

t.test('filters: dyno (older clients) or dyno_name, type, source', async (t) => {
  const p = await shared.platform()
  const appId = await createApp(p, 'log-filters')
  const lines: [source: 'app' | 'heroku', dyno: string][] = [['app', 'web.1'], ['app', 'web.2'], ['heroku', 'web.1'], ['heroku', 'router'], ['app', 'worker.1']]
  for (const [source, dyno] of lines) p.logs.append(appId, { source, dyno, message: `${source} ${dyno}` })
  const read = async (body: unknown) => messages(await (await fetch(await createSession(p, body, 'log-filters'))).text())
  t.strictSame(await read({ dyno: 'web.1' }), ['app web.1', 'heroku web.1'])
  t.strictSame(await read({ dyno_name: 'web.1' }), ['app web.1', 'heroku web.1'])
  t.strictSame(await read({ dyno: 'web' }), ['app web.1', 'app web.2', 'heroku web.1'], "Heroku's CLI sends a process type as dyno")
  t.strictSame(await read({ type: 'web', source: 'app' }), ['app web.1', 'app web.2'])
  t.strictSame(await read({ source: 'heroku' }), ['heroku web.1', 'heroku router'])
  const { email } = p.services().account.get()
  t.strictSame(await read({ source: 'app', dyno: 'api' }), [`Initial release by user ${email}`, `Release v1 created by user ${email}`])
  t.strictSame(await read({ dyno: '', source: 'heroku' }), ['heroku web.1', 'heroku router'], 'an empty field filters nothing')
})

t.test('bad parameters are 422 invalid_params; an unknown app is 404', async (t) => {
  const p = await shared.platform()
  await createApp(p, 'log-refused')
  for (const body of [{ lines: 0 }, { lines: 1501 }, { lines: 2.5 }, { lines: '10' }, { tail: 'yes' }, { dyno: 5 }, { source: ['app'] }, []]) {
    const res = await p.request('POST', '/apps/log-refused/log-sessions', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.equal(res.body.id, 'invalid_params')
  }
  const lines = await p.request('POST', '/apps/log-refused/log-sessions', { lines: 0 })
  t.match(lines.body.message, /^lines must be a whole number from 1 to 1500/)
  const unknown = await p.request('POST', '/apps/nope/log-sessions', {})
  t.equal(unknown.status, 404)
  t.equal(unknown.body.id, 'not_found')
})

t.test('tail: the backlog, then new matching lines as they come, until the app is destroyed', async (t) => {
  const p = await shared.platform()
  const appId = await createApp(p, 'log-tail')
  p.logs.append(appId, { source: 'app', dyno: 'web.1', message: 'before' })
  const stream = await openStream(t, await createSession(p, { tail: true, dyno: 'web', lines: 1 }, 'log-tail'))
  t.match(stream.res.headers['content-type'], /^text\/plain/)
  await stream.until((text) => text.endsWith(': before\n'))
  p.logs.append(appId, { source: 'app', dyno: 'worker.1', message: 'not for this reader' })
  p.logs.append(appId, { source: 'app', dyno: 'web.2', message: 'after' })
  const text = await stream.until((text) => text.includes(': after\n'))
  t.strictSame(messages(text), ['before', 'after'], 'the stream stays open and brings only matching lines')
  t.equal((await p.request('DELETE', '/apps/log-tail')).status, 200)
  t.strictSame(messages(await stream.ended), ['before', 'after'], 'destroying the app ends it')
})

t.test('tail over SSE, and stopping the platform ends open streams', async (t) => {
  const p = await startTestPlatform(t)
  const appId = await createApp(p)
  const stream = await openStream(t, await createSession(p, { tail: true, source: 'heroku' }), { Accept: 'text/event-stream' })
  t.match(stream.res.headers['content-type'], /^text\/event-stream/)
  p.logs.append(appId, { source: 'heroku', dyno: 'web.1', message: 'State changed from starting to up' })
  await stream.until((text) => text.endsWith('heroku[web.1]: State changed from starting to up\n\n'))
  await p.close()
  t.match(await stream.ended, /^data: \S+ heroku\[web\.1\]: State changed from starting to up\n\n$/)
})

t.test('a session not read within a few minutes expires', async (t) => {
  let now = Date.now()
  const p = await startTestPlatform(t, { clock: () => new Date(now) })
  await createApp(p)
  const fresh = await createSession(p, {})
  const stale = await createSession(p, {})
  now += SESSION_TTL_MS - 1000
  t.equal((await fetch(fresh)).status, 200, 'good within its time')
  now += 2000
  const res = await fetch(stale)
  t.equal(res.status, 404)
  t.match(await res.text(), /expired/)
})

t.test('the lines survive a restart of the platform on the same TB_HOME', async (t) => {
  const home = join(tempDir(t), 'tb-home')
  const apiKey = randomBytes(16).toString('hex')
  const api = async (url: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return res.json()
  }
  const first = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
  const app = await api(first.url, 'POST', '/apps', { name: 'demo' })
  for (let i = 1; i <= 2000; i++) first.logs.append(app.id, { source: 'app', dyno: 'web.1', message: `line ${i}` })
  const before = await (await fetch((await api(first.url, 'POST', '/apps/demo/log-sessions', { lines: 1500 })).logplex_url)).text()
  await first.close()

  const second = await startPlatform({ home, apiKey, workerCommand: WORKER_COMMAND })
  t.teardown(() => second.close())
  const session = await api(second.url, 'POST', '/apps/demo/log-sessions', { lines: 1500 })
  const after = await (await fetch(session.logplex_url)).text()
  t.equal(after.trimEnd().split('\n').length, 1500)
  t.equal(after, before, 'the same 1,500 lines, times and all')
})
