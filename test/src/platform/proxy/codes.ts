import t from 'tap'
import { errorPage, noSuchAppPage, ROUTER_CODES, routerLogLine, type RouterCode } from '../../../../src/platform/proxy/codes.js'

t.test('a served request\'s router line, in Heroku\'s format', async (t) => {
  t.equal(routerLogLine({
    method: 'GET', path: '/a?b=1', host: 'demo.localhost', requestId: 'req-1', fwd: '127.0.0.1', dyno: 'web.1',
    connectMs: 0.4, serviceMs: 12.6, status: 200, bytes: 512,
  }), 'at=info method=GET path="/a?b=1" host=demo.localhost request_id=req-1 fwd="127.0.0.1" dyno=web.1 connect=0ms service=13ms status=200 bytes=512 protocol=http')
})

t.test('an error\'s line names its code and description; fields no dyno filled stay empty', async (t) => {
  t.equal(routerLogLine({ code: 'H12', method: 'POST', path: '/slow', host: 'demo.localhost', requestId: 'r', fwd: '::1', dyno: 'web.2', connectMs: 1, serviceMs: 30000, status: 503, bytes: 0 }),
    'at=error code=H12 desc="Request timeout" method=POST path="/slow" host=demo.localhost request_id=r fwd="::1" dyno=web.2 connect=1ms service=30000ms status=503 bytes=0 protocol=http')
  t.equal(routerLogLine({ code: 'H80', method: 'GET', path: '/', host: 'demo.localhost', requestId: 'r', fwd: '127.0.0.1', status: 503 }),
    'at=info code=H80 desc="Maintenance mode" method=GET path="/" host=demo.localhost request_id=r fwd="127.0.0.1" dyno= connect= service= status=503 bytes= protocol=http')
})

t.test('quotes in a path or fwd cannot break the line', async (t) => {
  t.match(routerLogLine({ method: 'GET', path: '/"x"', host: 'h', requestId: 'r', fwd: 'a"b', status: 200 }), 'path="/%22x%22" host=h request_id=r fwd="a%22b"')
})

t.test('every code has Heroku\'s status and level; client hang-ups, maintenance and blank apps are info', async (t) => {
  const info = Object.entries(ROUTER_CODES).filter(([, c]) => c.at === 'info').map(([code]) => code)
  t.strictSame(info.sort(), ['H27', 'H80', 'H81'])
  t.equal(ROUTER_CODES.H26.status, 400)
  t.equal(ROUTER_CODES.H27.status, 499)
  for (const code of ['H10', 'H12', 'H13', 'H14', 'H17', 'H18', 'H20', 'H21', 'H80', 'H81', 'H99'] as const) t.equal(ROUTER_CODES[code].status, 503, code)
})

t.test('the pages a visitor sees', async (t) => {
  const page = (code: RouterCode, app?: string) => errorPage(code, app) ?? ''
  t.match(page('H10', 'demo'), /<title>Application Error<\/title>[\s\S]*<code>tb logs --tail -a demo<\/code>/)
  t.match(page('H12'), /<code>tb logs --tail -a APP<\/code>/, 'no app name: a placeholder')
  t.match(page('H80'), /<title>Offline for Maintenance<\/title>/)
  t.match(page('H81', 'demo'), /<title>Welcome to your new app!<\/title>[\s\S]*<code>demo<\/code> has no release with code yet/)
  t.match(page('H26'), /<title>Bad Request<\/title>/)
  t.equal(errorPage('H27'), undefined, 'nobody is left to read a page for H27')
  t.match(page('H10', '<script>"&\''), /&lt;script&gt;&quot;&amp;&#39;/, 'the app name is escaped')
  t.notMatch(page('H10', '<script>'), /<script>/)
})

t.test('an unknown host gets "There\'s nothing here, yet."', async (t) => {
  const named = noSuchAppPage('nope.localhost', 7100)
  t.match(named, /<title>No such app<\/title>/)
  t.match(named, /No app answers at <code>nope\.localhost<\/code>/)
  t.match(named, /http:\/\/NAME\.localhost:7100/)
  t.match(noSuchAppPage('<b>', 7100), /<code>&lt;b&gt;<\/code>/)
  t.match(noSuchAppPage(undefined, 80), /The request named no host\. Open an app at <code>http:\/\/NAME\.localhost:80<\/code>\./)
})
