// The router's HTTP/1.1 reading: request heads (limits, smuggling cases), response heads, chunked bodies.
import t, { type Test } from 'tap'
import { CHUNKED, ChunkedScanner, clientResponseHead, HeadError, MAX_HEAD_BYTES, MAX_HEADERS, parseRequestHead, parseResponseHead, UNTIL_CLOSE } from '../../../../src/platform/proxy/http1.js'

const req = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'))
const res = (text: string) => parseResponseHead(Buffer.from(text, 'latin1'), 0, '1.1 tb-router')
/** the head the client gets for a dyno's response head, as text */
const relayed = (text: string, close = false) => {
  const buf = Buffer.from(text, 'latin1')
  return clientResponseHead(buf, parseResponseHead(buf, 0, '1.1 tb-router')!, close).toString('latin1')
}

/** The HeadError `read` throws, to check its status too. */
function headError(read: () => unknown): HeadError | undefined {
  try {
    read()
  } catch (err) {
    if (err instanceof HeadError) return err
    throw err
  }
  return undefined
}

function rejects(t: Test, text: string, status: 400 | 431, why: string) {
  t.equal(headError(() => req(text))?.status, status, why)
}

t.test('a request head: its parts, framing and the headers the router reads', async (t) => {
  t.equal(req('GET / HTTP/1.1\r\nHost: a'), undefined, 'incomplete: undefined')
  const text = '\r\nPOST /cart?x=1 HTTP/1.1\r\nHost: Shop.localhost\r\nContent-Length: 5\r\nX-Forwarded-For: 1.2.3.4\r\n' +
    'x-forwarded-for: 5.6.7.8\r\nVia:  1.0 corp \t\r\nX-Request-ID: abc\r\n\r\nhello'
  const head = req(text)!
  t.match(head, {
    method: 'POST', target: '/cart?x=1', minor: 1, host: 'Shop.localhost', contentLength: 5, close: false, upgrade: false,
    forwardedFor: '1.2.3.4, 5.6.7.8', via: '1.0 corp', requestId: 'abc',
  })
  t.equal(head.length, text.indexOf('hello'), 'the head ends before the body')
  t.equal(req('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n')!.contentLength, CHUNKED)
  t.equal(req('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n')!.close, true)
  t.equal(req('GET / HTTP/1.0\r\n\r\n')!.close, true, 'HTTP/1.0 closes unless it asks for keep-alive')
  t.equal(req('GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n')!.upgrade, true)
  t.equal(req('GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n')!.upgrade, false, 'Upgrade without Connection: upgrade is no upgrade')
})

t.test('what the router reads on the bytes, without strings: Connection tokens, methods, hosts and targets that repeat', async (t) => {
  const connection = (value: string) => req(`GET / HTTP/1.1\r\nHost: a\r\nConnection: ${value}\r\n\r\n`)!
  t.match(connection('CLOSE'), { close: true, connection: undefined }, 'tokens in any case')
  t.match(connection(' keep-alive ,\tClose'), { close: true }, 'comma-separated, whitespace around them')
  t.match(connection('closed'), { close: false, connection: 'closed' }, 'a longer token is another header name')
  t.match(connection('keep-alive, X-Secret'), { close: false, connection: 'keep-alive, X-Secret' }, 'named headers: the value is kept for them')
  t.match(req('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n'), { close: true }, 'several Connection lines')
  t.match(req('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n'), { close: false }, 'HTTP/1.0 asking for keep-alive')
  t.match(req('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, UPGRADE\r\nUpgrade: websocket\r\n\r\n'), { upgrade: true })
  t.match(res('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive, close\r\n\r\n'), { persistent: false })
  t.match(res('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: closer\r\nCloser: 1\r\n\r\n'), { persistent: true, relayed: [17, 36] }, 'a named header is dropped, the connection kept')
  const framing = (value: string) => res(`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${value}\r\n\r\n`)!.contentLength
  t.equal(framing('Chunked '), CHUNKED, 'chunked in any case, whitespace after it')
  t.equal(framing('gzip,\tchunked'), CHUNKED, 'chunked last')
  t.equal(framing('chunked, gzip'), UNTIL_CLOSE, 'chunked not last: the body ends with the connection')
  t.equal(framing('xchunked'), UNTIL_CLOSE, 'a look-alike')
  t.equal(framing('gzip, x chunked'), UNTIL_CLOSE, 'a token with chunked at its end')
  t.equal(res('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n')!.contentLength, CHUNKED, 'the last of several lines')
  t.equal(req('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n')!.contentLength, CHUNKED)
  for (const method of ['GET', 'POST', 'PUT', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS', 'get', 'PROPFIND', 'GETS']) {
    t.equal(req(`${method} / HTTP/1.1\r\nHost: a\r\n\r\n`)!.method, method, `the method ${method}, case kept`)
  }
  // one host and target repeat (a string reused), then others: each head still reads its own
  for (const [host, target] of [['a.localhost', '/'], ['a.localhost', '/'], ['b.localhost', '/x'], ['a.localhos', '/'], ['a.localhost', '/y']]) {
    t.match(req(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`), { host, target }, `${host} ${target}`)
  }
})

t.test('request heads the router refuses: 400, or 431 past its limits', async (t) => {
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400, 'Content-Length and Transfer-Encoding')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', 400, 'two Content-Lengths')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n', 400, 'a repeated Content-Length')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n', 400, 'a negative Content-Length')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1e3\r\n\r\n', 400, 'a Content-Length that is not digits')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 400, 'a Transfer-Encoding not ending in chunked')
  rejects(t, 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n', 400, 'a look-alike of chunked')
  rejects(t, 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n', 400, 'obsolete line folding')
  rejects(t, 'GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n', 400, 'whitespace before the colon')
  rejects(t, 'GET / HTTP/1.1\nHost: a\n\n', 400, 'bare LF, before the head is complete')
  rejects(t, 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n', 400, 'a bare CR in a value')
  rejects(t, 'GET / HTTP/1.1\r\nHost: a\r\nX: \x00\r\n\r\n', 400, 'NUL in a value')
  rejects(t, 'GET / HTTP/1.1\r\n\r\n', 400, 'no Host')
  rejects(t, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, 'two Hosts')
  rejects(t, 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 400, 'a space in the target')
  rejects(t, 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', 400, 'another version')
  rejects(t, 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n', 400, 'a method that is not a token')
  rejects(t, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`, 431, 'a head over the size limit')
  rejects(t, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(MAX_HEAD_BYTES)}`, 431, 'an incomplete head already over it')
  rejects(t, `GET / HTTP/1.1\r\nHost: a\r\n${'X: y\r\n'.repeat(MAX_HEADERS)}\r\n`, 431, 'too many headers')
})

t.test('a response head: status line, framing, hop-by-hop headers dropped and Via appended', async (t) => {
  const head = res('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\nVia: 1.0 app\r\nX-Kept: yes\r\n\r\nhello')!
  t.match(head, { status: 200, contentLength: 5, persistent: true })
  t.equal(relayed('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\nVia: 1.0 app\r\nX-Kept: yes\r\n\r\nhello'),
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Kept: yes\r\nVia: 1.0 app, 1.1 tb-router\r\n\r\n')
  t.equal(relayed('HTTP/1.1 404 Not Found\r\nX-A:  a \r\nx-b:b\r\nKeep-Alive: timeout=5\r\nX-C: c\r\n\r\n', true),
    'HTTP/1.1 404 Not Found\r\nX-A:  a \r\nx-b:b\r\nX-C: c\r\nVia: 1.1 tb-router\r\nConnection: close\r\n\r\n', 'other lines pass as they are')
  t.equal(relayed('HTTP/1.1 200\r\n\r\n'), 'HTTP/1.1 200\r\nVia: 1.1 tb-router\r\n\r\n', 'no reason phrase')
  t.equal(res('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')!.contentLength, CHUNKED)
  t.match(res('HTTP/1.1 200 OK\r\n\r\n'), { contentLength: UNTIL_CLOSE }, 'no framing: the body ends when the dyno closes')
  t.match(res('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'), { persistent: false })
  t.match(res('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), { persistent: false })
  t.equal(relayed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nVia: 1.1 tb-router\r\n\r\n')
  t.equal(relayed('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n'), 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nVia: 1.1 tb-router\r\n\r\n', 'the same length twice is one')
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n')))
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n')))
  t.ok(headError(() => res('NOT HTTP AT ALL\r\n\r\n')))
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n')))
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\n\r\n')), 'a control character in a value')
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nX-Bad: a\nX-Smuggled: b\r\n\r\n')), 'a bare LF')
  t.ok(headError(() => res('HTTP/1.1 20x OK\r\n\r\n')), 'a status that is not three digits')
  t.ok(headError(() => res('HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n')))
})

t.test('a chunked body is scanned to its end, fed in any pieces, and malformed ones refused', async (t) => {
  const body = Buffer.from('5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\nNEXT')
  for (const size of [1, 2, 7, body.length]) {
    const scanner = new ChunkedScanner()
    let taken = 0
    for (let at = 0; at < body.length && !scanner.done; at += size) taken += scanner.scan(body.subarray(at, at + size))
    t.equal(taken, body.length - 'NEXT'.length, `the body ends before what follows it (pieces of ${size})`)
    t.equal(scanner.dataBytes, 15)
  }
  for (const bad of ['zz\r\n', '5\nhello', '5\r\nhelloXX', '1234567890abc\r\n', '0\r\n\r\r']) {
    t.ok(headError(() => new ChunkedScanner().scan(Buffer.from(bad))), JSON.stringify(bad))
  }
})
