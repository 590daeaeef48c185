// The router in front of real dyno processes: spreading, the headers it adds, bodies, log lines.
import { Readable } from 'node:stream'
import t from 'tap'
import { Agent, request } from 'undici'
import { appRoute, client, spawnDyno, startDyno, startTestRouter } from '../../../fixtures/router.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

t.test('300 requests spread over three web dynos', async (t) => {
  const dynos = await Promise.all(['web.1', 'web.2', 'web.3'].map((name) => spawnDyno(t, name)))
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', dynos.map((d) => d.backend)))
  const get = client(t)
  const served = new Map<string, number>()
  const failed: number[] = []
  for (let batch = 0; batch < 30; batch++) {
    const replies = await Promise.all(Array.from({ length: 10 }, () => get(r.router, 'shop.localhost')))
    for (const reply of replies) {
      if (reply.status !== 200) failed.push(reply.status)
      const dyno = JSON.parse(reply.body).dyno as string
      served.set(dyno, (served.get(dyno) ?? 0) + 1)
    }
  }
  t.same(failed, [], 'every request answered 200')
  t.same([...served.keys()].sort(), ['web.1', 'web.2', 'web.3'])
  for (const [dyno, count] of served) t.ok(count >= 50, `${dyno} served ${count} of 300`)
  t.equal(r.lines.length, 300, 'one router line per request')
})

t.test('a canary dyno takes the app\'s canary share of 200 requests, the other dyno the rest', async (t) => {
  const [stable, canary] = await Promise.all(['web.1', 'web.2'].map((name) => spawnDyno(t, name)))
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [stable.backend, { ...canary.backend, canary: true }], { canaryPercent: 20 }))
  const get = client(t)
  const served = new Map<string, number>()
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(Array.from({ length: 10 }, () => get(r.router, 'shop.localhost')))
    for (const reply of replies) {
      const dyno = reply.status === 200 ? JSON.parse(reply.body).dyno as string : `status ${reply.status}`
      served.set(dyno, (served.get(dyno) ?? 0) + 1)
    }
  }
  t.same(Object.fromEntries(served), { 'web.1': 160, 'web.2': 40 })
})

t.test('the backend sees the router headers; the client sees Via', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const get = client(t)
  const before = Date.now()
  const reply = await get(r.router, `shop.localhost:${r.router.port}`, '/orders?page=2', {
    headers: { 'x-forwarded-for': '203.0.113.7', via: '1.0 corp-proxy', 'x-forwarded-proto': 'https' },
  })
  const seen = JSON.parse(reply.body)
  t.equal(reply.status, 200)
  t.equal(seen.url, '/orders?page=2')
  t.equal(seen.headers.host, `shop.localhost:${r.router.port}`, 'Host reaches the app unchanged')
  t.match(seen.headers['x-request-id'], UUID)
  t.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1')
  t.equal(seen.headers['x-forwarded-proto'], 'http')
  t.equal(seen.headers['x-forwarded-port'], String(r.router.port))
  t.ok(Number(seen.headers['x-request-start']) >= before && Number(seen.headers['x-request-start']) <= Date.now())
  t.equal(seen.headers.via, '1.0 corp-proxy, 1.1 tb-router')
  t.equal(reply.headers.via, '1.1 tb-router')
  t.equal(reply.headers['x-dyno'], 'web.1')
})

t.test('X-Request-ID is kept when valid, replaced otherwise', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const get = client(t)
  const idOf = async (id: string) => JSON.parse((await get(r.router, 'shop.localhost', '/', { headers: { 'x-request-id': id } })).body).headers['x-request-id']
  const valid = 'abcDEF0123456789+/=-xyz'
  t.equal(await idOf(valid), valid)
  t.equal(await idOf('x'.repeat(200)), 'x'.repeat(200))
  t.match(await idOf('too-short'), UUID, 'under 20 characters')
  t.match(await idOf('x'.repeat(201)), UUID, 'over 200 characters')
  t.match(await idOf('has spaces and ; semicolons in it'), UUID, 'characters outside the set')
  const line = await r.line(1)
  t.match(line, `request_id=${valid} `, 'the log line carries the same id')
})

t.test('request bodies pass through, fixed length and chunked', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const get = client(t)
  const posted = JSON.parse((await get(r.router, 'shop.localhost', '/orders', { method: 'POST', body: 'a'.repeat(100_000) })).body)
  t.equal(posted.method, 'POST')
  t.equal(posted.body.length, 100_000)
  const put = JSON.parse((await get(r.router, 'shop.localhost', '/orders/1', {
    method: 'PUT', body: Readable.from([Buffer.from('chunked '), Buffer.from('body')]),
  })).body)
  t.equal(put.body, 'chunked body')
  t.equal(put.headers['transfer-encoding'], 'chunked')
})

t.test('HEAD gets headers and no body', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const reply = await client(t)(r.router, 'shop.localhost', '/', { method: 'HEAD' })
  t.equal(reply.status, 200)
  t.equal(reply.body, '')
  t.match(await r.line(1), /^id-shop at=info method=HEAD .* status=200 bytes=0 protocol=http$/)
})

t.test('the router line has Heroku\'s format', async (t) => {
  const dyno = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const reply = await client(t)(r.router, 'Shop.Localhost:9', '/a?b=1', { headers: { 'x-forwarded-for': '198.51.100.2' } })
  const line = await r.line(1)
  t.match(line, new RegExp(
    '^id-shop at=info method=GET path="/a\\?b=1" host=shop\\.localhost request_id=[0-9a-f-]{36} ' +
    'fwd="198\\.51\\.100\\.2, 127\\.0\\.0\\.1" dyno=web\\.1 connect=\\d+ms service=\\d+ms status=200 ' +
    `bytes=${Buffer.byteLength(reply.body)} protocol=http$`))
})

t.test('a streamed response reaches the client chunk by chunk', async (t) => {
  let finish!: () => void
  const more = new Promise<void>((resolve) => { finish = resolve })
  const dyno = await startDyno(t, 'web.1', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: first\n\n')
    more.then(() => res.end('data: last\n\n'))
  })
  const r = await startTestRouter(t)
  r.setApp(appRoute('shop', [dyno.backend]))
  const agent = new Agent()
  t.teardown(() => agent.destroy())
  const res = await request(`${r.router.url}/events`, { dispatcher: agent, headers: { host: 'shop.localhost' } })
  const chunks = res.body[Symbol.asyncIterator]()
  // the backend has not ended: the first chunk can only arrive if the router did not wait for the rest
  t.equal(String((await chunks.next()).value), 'data: first\n\n')
  finish()
  t.equal(String((await chunks.next()).value), 'data: last\n\n')
  t.equal((await chunks.next()).done, true)
})

t.test('one app\'s hung dyno does not hold up another app', async (t) => {
  const hung = await spawnDyno(t, 'web.1')
  const fine = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  r.setApp(appRoute('stuck', [hung.backend]))
  r.setApp(appRoute('shop', [fine.backend]))
  const get = client(t)
  const stuck = get(r.router, 'stuck.localhost', '/hang').catch((err: Error) => err)
  const replies = await Promise.all(Array.from({ length: 20 }, () => get(r.router, 'shop.localhost')))
  t.same(replies.map((reply) => reply.status), Array(20).fill(200))
  t.equal(r.router.inFlight(hung.backend), 1, 'the hung request is still waiting')
  await r.router.close()
  t.type(await stuck, Error, 'closing the router cuts the hung request')
})

t.test('apps sharing a hostname share its traffic', async (t) => {
  const blue = await spawnDyno(t, 'web.1')
  const green = await spawnDyno(t, 'web.1')
  const r = await startTestRouter(t)
  const get = client(t)
  const pidsServing = async () => {
    const replies = await Promise.all(Array.from({ length: 12 }, () => get(r.router, 'www.example.com')))
    t.same(replies.map((reply) => reply.status), Array(12).fill(200))
    return [...new Set(replies.map((reply) => JSON.parse(reply.body).pid as number))].sort()
  }
  r.routes.set('www.example.com', [appRoute('blue', [blue.backend]), appRoute('green', [green.backend])])
  t.same(await pidsServing(), [blue.child.pid, green.child.pid].sort())
  t.ok(r.lines.some((line) => line.startsWith('id-blue ')) && r.lines.some((line) => line.startsWith('id-green ')),
    'each app logs the requests its dynos served')

  r.routes.set('www.example.com', [appRoute('blue', [blue.backend], { maintenance: true }), appRoute('green', [green.backend])])
  t.same(await pidsServing(), [green.child.pid], 'an app in maintenance steps aside while another serves')

  r.routes.set('www.example.com', [appRoute('blue', [blue.backend], { maintenance: true })])
  t.equal((await get(r.router, 'www.example.com')).status, 503)
  t.match(r.lines.at(-1), 'id-blue at=info code=H80')
})
