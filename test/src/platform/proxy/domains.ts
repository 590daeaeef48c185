// Custom hostnames through the whole platform (API, dyno manager, router on 127.0.0.1:0): a
// request with a custom Host reaches the app, a wildcard covers one level, and a hostname shared
// with an app that can't serve yet is served by the one that can; its router line is that app's.
import t from 'tap'
import { request } from 'undici'
import { allUp, nodeWebApp, releaseDir, waitForDynos, waitForLogLine } from '../../../fixtures/dynos.js'
import { startTestPlatform } from '../../../fixtures/platform.js'

t.test('a custom hostname and a wildcard route to the app at once, without a restart', async (t) => {
  const p = await startTestPlatform(t)
  await p.request('POST', '/apps', { name: 'shop' })
  await p.request('PATCH', '/apps/shop/config-vars', { GREETING: 'shop' })
  const shopId = await releaseDir(p, 'shop', nodeWebApp(t), { web: 'node server.js' })
  await waitForDynos(p.dynos, shopId, allUp({ web: 1 }))
  const get = async (host: string) => {
    const res = await request(`http://127.0.0.1:${p.routerPort}/`, { headers: { host } })
    return { status: res.statusCode, body: await res.body.text() }
  }

  t.match(await get('www.shop.test'), { status: 404, body: /There's nothing here, yet/ }, 'unknown before it is added')
  t.equal((await p.request('POST', '/apps/shop/domains', { hostname: 'www.shop.test', sni_endpoint: null })).status, 201)
  t.match(await get('www.shop.test'), { status: 200, body: /GREETING=shop/ })
  t.match(await get('WWW.Shop.Test.:80'), { status: 200, body: /GREETING=shop/ }, 'Host in any case, with a port and a trailing dot')
  await waitForLogLine(p.logs, shopId, (line) => line.includes('heroku[router]: at=info method=GET path="/" host=www.shop.test'))

  await p.request('POST', '/apps/shop/domains', { hostname: '*.example.test', sni_endpoint: null })
  t.match(await get('api.example.test'), { status: 200, body: /GREETING=shop/ }, 'the wildcard covers one level')
  t.match(await get('a.b.example.test'), { status: 404 }, 'not two')
  t.match(await get('example.test'), { status: 404 }, 'nor the domain itself')

  // an app without a release shares the hostname: the one that can serve takes every request
  await p.request('POST', '/apps', { name: 'promo' })
  await p.request('POST', '/apps/promo/domains', { hostname: 'www.shop.test', sni_endpoint: null })
  for (let i = 0; i < 5; i++) t.match(await get('www.shop.test'), { status: 200, body: /GREETING=shop/ })

  await p.request('DELETE', '/apps/shop/domains/www.shop.test')
  t.match(await get('www.shop.test'), { status: 503, body: /promo/ }, 'left to promo alone: its H81 (no release yet)')
  await p.request('DELETE', '/apps/promo/domains/www.shop.test')
  t.match(await get('www.shop.test'), { status: 404 }, 'on no app: nothing here')
})
