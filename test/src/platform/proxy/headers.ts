// The header rules on their own: hostnames, request ids, what is forwarded and what is dropped.
import t from 'tap'
import { backendRequestHeaders, clientResponseHeaders, hostnameOf, requestIdFor } from '../../../../src/platform/proxy/headers.js'

t.test('hostnameOf: lower case, without port or trailing dot', async (t) => {
  t.equal(hostnameOf('Shop.LocalHost:5000'), 'shop.localhost')
  t.equal(hostnameOf('shop.localhost.'), 'shop.localhost')
  t.equal(hostnameOf('www.example.com'), 'www.example.com')
  t.equal(hostnameOf('[::1]:8080'), '[::1]')
  t.equal(hostnameOf(''), undefined)
  t.equal(hostnameOf(undefined), undefined)
})

t.test('requestIdFor keeps 20–200 characters of [A-Za-z0-9+=/-], else makes a uuid', async (t) => {
  t.equal(requestIdFor('a'.repeat(20)), 'a'.repeat(20))
  t.not(requestIdFor('a'.repeat(19)), 'a'.repeat(19))
  t.not(requestIdFor(['a'.repeat(30), 'b'.repeat(30)]), 'a'.repeat(30), 'a repeated header is not trusted')
  t.match(requestIdFor(undefined), /^[0-9a-f-]{36}$/)
})

const forwarding = { requestId: 'r'.repeat(20), forwardedFor: '127.0.0.1', port: 7272, startedAt: 1700000000000 }

function named(list: string[]): string[] {
  return list.filter((_, i) => i % 2 === 0)
}

t.test('hop-by-hop headers and the ones Connection names stay behind', async (t) => {
  const raw = [
    'Host', 'shop.localhost', 'Connection', 'keep-alive, X-Secret', 'Keep-Alive', 'timeout=5', 'X-Secret', '1',
    'Transfer-Encoding', 'chunked', 'TE', 'trailers', 'Expect', '100-continue', 'X-Request-Start', '1',
    'Accept', 'text/html', 'Cookie', 'a=1',
  ]
  const headers = { connection: 'keep-alive, X-Secret', via: undefined }
  const out = backendRequestHeaders(raw, headers, forwarding, false)
  t.same(named(out), [
    'Host', 'Accept', 'Cookie',
    'X-Request-ID', 'X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Port', 'X-Request-Start', 'Via',
  ])
  t.equal(out[out.indexOf('X-Request-Start') + 1], '1700000000000', "the client's X-Request-Start is replaced")
})

t.test('an upgrade keeps Connection and Upgrade', async (t) => {
  const raw = ['Host', 'chat.localhost', 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Key', 'k']
  const out = backendRequestHeaders(raw, { connection: 'Upgrade' }, forwarding, true)
  t.same(named(out).slice(0, 4), ['Host', 'Connection', 'Upgrade', 'Sec-WebSocket-Key'])
})

t.test('response headers: hop-by-hop dropped, Via appended', async (t) => {
  t.same(clientResponseHeaders({
    'content-type': 'text/plain', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked',
    'set-cookie': ['a=1', 'b=2'], via: '1.1 app-cache',
  }), { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], via: '1.1 app-cache, 1.1 tb-router' })
})
