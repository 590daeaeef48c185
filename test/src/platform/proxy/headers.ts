// The header rules on their own: hostnames, request ids, what is forwarded and what is dropped.
import t from 'tap'
import { backendRequestHead, backendRequestHeaders, clientResponseHeaders, hostnameOf, requestIdFor } from '../../../../src/platform/proxy/headers.js'
import { parseRequestHead } from '../../../../src/platform/proxy/http1.js'

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
  t.match(requestIdFor(undefined), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 4 uuid')
  const ids = new Set(Array.from({ length: 600 }, () => requestIdFor(undefined)))
  t.equal(ids.size, 600, 'each one new, past a refill of the random bytes')
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

t.test('the fast path\'s backend head: the client\'s lines as they came, minus hop-by-hop and router-set ones, then the router\'s', async (t) => {
  const buf = Buffer.from('\r\nPOST /cart?x=1 HTTP/1.1\r\nHost: shop.localhost\r\nConnection: keep-alive, X-Secret\r\nx-secret: 1\r\n' +
    'Keep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nTE: trailers\r\nX-Request-Start: 1\r\nX-Forwarded-Proto: https\r\n' +
    'X-Forwarded-Port: 1\r\nX-Forwarded-For: 203.0.113.7\r\nVia: 1.0 corp\r\nx-keep:  as is \r\n\r\n5\r\nhello\r\n0\r\n\r\n', 'latin1')
  const head = parseRequestHead(buf)!
  t.equal(backendRequestHead(buf, head, { ...forwarding, forwardedFor: '203.0.113.7, 127.0.0.1' }).toString('latin1'),
    'POST /cart?x=1 HTTP/1.1\r\nHost: shop.localhost\r\nTransfer-Encoding: chunked\r\nx-keep:  as is \r\n' +
    `X-Request-ID: ${'r'.repeat(20)}\r\nX-Forwarded-For: 203.0.113.7, 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 7272\r\n` +
    'X-Request-Start: 1700000000000\r\nVia: 1.0 corp, 1.1 tb-router\r\n\r\n')
})
