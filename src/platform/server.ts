// The embedded platform's API server: Heroku's Platform API v3 over the state in TB_HOME.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AddonServers } from './addons/index.js'
import { BuildRunner, type BuildLimits } from './build-runner/runner.js'
import { DynoManager, type DynoManagerOptions } from './dynos/manager.js'
import { createRequestHandler, type ResponseInfo } from './http/handler.js'
import type { RawHandler } from './http/raw.js'
import { RouteTable, type Handler } from './http/route-table.js'
import { droppedNotice, LogDrains, type LogDrainsOptions } from './logs/drains.js'
import { LogRouter } from './logs/log-router.js'
import { Rendezvous, type RendezvousOptions } from './rendezvous/server.js'
import { registerRoutes } from './routes/index.js'
import { registerGitRoutes } from './routes/git.js'
import { GitRepositories } from './git/repositories.js'
import { SourceUploads } from './services/source-uploads.js'
import type { DeploySettings } from './model.js'
import { createServices } from './services/index.js'
import type { ProxyOptions } from './proxy/index.js'
import { startProxyThread, type ProxyThreadOptions } from './proxy/thread.js'
import { APP_HOST_SUFFIX, AppRoutes } from './proxy/apps.js'
import { openStore } from './store/index.js'
import { isLoopbackHost } from '../shared/loopback.js'
import { reportUnexpected } from './unexpected.js'

export interface PlatformOptions {
  /** state dir (TB_HOME): platform.db lives here; created if missing */
  home: string
  /** the Bearer token every request must carry */
  apiKey: string
  /** loopback only; default 127.0.0.1 */
  host?: string
  /** default 0: any free port */
  port?: number
  /** the apps' HTTP port (`<app>.localhost:<routerPort>`); default 0: any free port */
  routerPort?: number
  /** the router's hold and request timeouts (Heroku's by default) and how its log lines are batched; tests make them short */
  router?: Pick<ProxyOptions, 'holdTimeoutMs' | 'requestTimeoutMs'> & Pick<ProxyThreadOptions, 'logShipping'>
  /** the time of every record written; for tests */
  clock?: () => Date
  /** sees every JSON response before it is sent; for tests */
  onResponse?: (info: ResponseInfo) => void
  /** source, slug and time limits of builds (Heroku's by default); tests make them tiny. Its `slug` limits hold at dyno starts too. */
  buildLimits?: Partial<BuildLimits>
  /** the argv prefix that runs `tb platform:start --worker` (worker-process.ts): builds and slug unpacking run there */
  workerCommand: readonly string[]
  /** the router in a process of its own (the daemon's), not a thread (in-process platforms): see proxy/thread.ts */
  routerProcess?: boolean
  /** the dyno manager's timings (boot timeout, stop grace, drain bound, restart backoff, memory checks, uptime check) and one-off cap; tests make them small */
  dynos?: Pick<DynoManagerOptions, 'bootTimeoutMs' | 'stopGraceMs' | 'drainTimeoutMs' | 'restartPolicy' | 'memoryCheckMs' | 'memoryQuotas' | 'maxOneOffDynos' | 'uptimeMs'>
  /** an app's deploy settings until it changes them (tb's defaults otherwise); tests shorten the watch */
  deployDefaults?: Partial<DeploySettings>
  /** how long an attach URL (tb run) waits for its client; tests make it short */
  rendezvous?: Pick<RendezvousOptions, 'secretTtlMs'>
  /** how many lines each log drain may hold before dropping; tests make it small */
  drains?: Pick<LogDrainsOptions, 'bufferLines'>
}

export interface Platform {
  url: string
  port: number
  routerPort: number
  /** every app's log stream (what dynos, the router and builds write to) */
  logs: LogRouter
  /** every app's dynos */
  dynos: DynoManager
  /** the add-ons' PostgreSQL cluster and Redis servers */
  addons: AddonServers
  close(): Promise<void>
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const host = opts.host ?? '127.0.0.1'
  if (!isLoopbackHost(host)) throw new Error(`The platform listens on loopback only (127.0.0.1, ::1, localhost), not ${host}.`)
  if (!opts.apiKey) throw new Error('The platform needs an API key.')

  const store = openStore(opts.home)
  let url = ''
  let routerPort = 0
  let server: Server | undefined
  const closers: (() => Promise<void>)[] = []
  try {
    const services = createServices(store, opts.clock ?? (() => new Date()), undefined, opts.deployDefaults)
    services.account.get()
    const router = new RouteTable<Handler>()
    const raw = new RouteTable<RawHandler>()
    // subsystems stop in reverse order of start, before the store closes
    // first, so every later subsystem can log through it; so it closes last, after they stopped
    const logs = new LogRouter(store, services.events, { clock: opts.clock })
    closers.push(() => logs.close())
    // the add-ons' servers outlive every dyno: they stop after them
    const addons = new AddonServers({ home: opts.home, services, logs })
    closers.push(() => addons.close())
    // fed every line by the log router; closed before it, holding back nothing
    const drains = new LogDrains(services.logDrains, services.events, { ...opts.drains, logs })
    const untap = logs.tap((appId, line) => drains.deliver(appId, line))
    closers.push(async () => {
      untap()
      drains.close()
    })
    // before an up web dyno is stopped, the router lets its requests in flight finish
    let drain: DynoManagerOptions['drain']
    const dynos = new DynoManager({
      ...opts.dynos,
      home: opts.home,
      services,
      store,
      logs,
      workerCommand: opts.workerCommand,
      slugLimits: opts.buildLimits?.slug,
      clock: opts.clock,
      drain: (appId, backend) => drain?.(appId, backend) ?? Promise.resolve(),
    })
    closers.push(() => dynos.close())
    // after the dyno manager, which runs release phases: so it stops first
    const builds = new BuildRunner({ services, home: opts.home, limits: opts.buildLimits, logs, dynos, workerCommand: opts.workerCommand, outputSecret: opts.apiKey })
    await builds.recover()
    const uploads = new SourceUploads(services.sources, opts.home)
    await uploads.recover()
    closers.push(() => builds.close())
    // attached one-off dynos (tb run) connect here; its connections go before their dynos stop
    const rendezvous = await Rendezvous.start({ ...opts.rendezvous, home: opts.home, host, logs })
    closers.push(() => rendezvous.close())
    const webUrl = (name: string) => (routerPort ? `http://${name}${APP_HOST_SUFFIX}:${routerPort}/` : null)
    const routeContext = { services, raw, baseUrl: () => url, webUrl, home: opts.home, logs, builds, uploads, dynos, rendezvous, addons }
    registerRoutes(router, routeContext)
    // each app's git repository at its git_url: git push builds and releases
    const git = new GitRepositories({ home: opts.home, workerCommand: opts.workerCommand, events: services.events, maxPushBytes: builds.limits.sourceBytes })
    closers.push(() => git.close())
    await git.prepare()
    registerGitRoutes(routeContext, git, opts.apiKey)
    server = createServer(createRequestHandler({
      router,
      raw,
      apiKey: opts.apiKey,
      onResponse: opts.onResponse,
      onError: (err, request) => reportUnexpected(`API ${request}`, err),
      durability: store,
    }))
    const port = await listen(server, opts.port ?? 0, host)
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    const routes = new AppRoutes(services, dynos)
    // on a thread or process of its own: a saturated router leaves the API responsive
    const proxy = await startProxyThread({
      ...opts.router,
      ...(opts.routerProcess && { processCommand: opts.workerCommand }),
      host,
      port: opts.routerPort ?? 0,
      routes: () => routes.table(),
      // taken in a slice at a time: a batch of thousands of lines never holds up the API
      logLines: (appId, lines, timesUs) => logs.appendLines(appId, { source: 'heroku', dyno: 'router' }, lines, timesUs),
      // as logplex tells of lines it could not keep up with; queued behind the batch's lines
      logsDropped: (appId, count, sinceUs) => logs.appendLines(appId, { source: 'heroku', dyno: 'logplex' }, droppedNotice('L12', count, new Date(sinceUs / 1000))),
      onChange: (listener) => routes.onChange(listener),
    })
    routerPort = proxy.port
    // the dyno bounds the wait (drainTimeoutMs); a request cut by its stop ends the wait too
    drain = (_appId, backend) => proxy.idle(backend)
    closers.push(async () => {
      routes.close()
      await proxy.close()
    })
    // only once listening: a taken port (the daemon then tries another) must leave nothing running
    // dynos find their databases answering
    await addons.start()
    await dynos.start()
    const api = server
    return { url, port, routerPort, logs, dynos, addons, close: () => close(api, store, closers) }
  } catch (err) {
    // a taken port or a failed start: stop what already runs, so the daemon can try again
    await close(server, store, closers)
    throw err
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function close(server: Server | undefined, store: { close(): void }, closers: (() => Promise<void>)[]): Promise<void> {
  try {
    for (const closer of [...closers].reverse()) await closer()
    if (server?.listening) {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        // idle keep-alive sockets would hold close() open until they time out
        server.closeIdleConnections()
      })
    }
  } finally {
    store.close()
  }
}
