#!/usr/bin/env node
// Wall time of `tb deploy examples/node-web` from the command's start until the app answers
// through the router (upload → build → release → web up), and of `tb ps:scale web=10` until all
// ten web dynos are up. A fresh TB_HOME each run; the platform is started first so its start-up
// is not counted. Usage: node bench/deploy.mjs [runs=3]
import { spawnSync } from 'node:child_process'
import { get } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[2] ?? 3)
const root = fileURLToPath(new URL('..', import.meta.url))
const tb = join(root, 'bin', 'tb.cjs')

async function once() {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-deploy-'))
  const env = { PATH: process.env.PATH, HOME: dir, TB_HOME: join(dir, 'tb'), NO_COLOR: '1', TB_PLATFORM_PORT: '0', TB_ROUTER_PORT: '0' }
  const run = (...args) => {
    const r = spawnSync(process.execPath, [tb, ...args], { env, encoding: 'utf8', cwd: root })
    if (r.status !== 0) throw new Error(`tb ${args.join(' ')} failed: ${r.stderr}`)
    return r.stdout
  }
  try {
    run('platform:start')
    run('apps:create', 'bench')
    const state = JSON.parse(readFileSync(join(env.TB_HOME, 'platform.json'), 'utf8'))
    const key = readFileSync(join(env.TB_HOME, 'api-key'), 'utf8').trim()
    const api = async (path) => {
      const res = await fetch(state.apiUrl + path, { headers: { authorization: `Bearer ${key}`, accept: 'application/vnd.heroku+json; version=3' } })
      return res.json()
    }
    // fetch() drops a Host header: ask through node:http
    const answers = () =>
      new Promise((resolve) => {
        get({ host: '127.0.0.1', port: state.routerPort, path: '/', headers: { host: 'bench.localhost' } }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode === 200))
        }).on('error', () => resolve(false))
      })
    const until = async (check) => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        if (await check()) return
        await new Promise((r) => setTimeout(r, 5))
      }
      throw new Error('timed out')
    }

    let started = performance.now()
    run('deploy', 'examples/node-web', '-a', 'bench')
    const deployed = performance.now() - started
    await until(answers)
    const serving = performance.now() - started

    started = performance.now()
    run('ps:scale', 'web=10', '-a', 'bench')
    await until(async () => (await api('/apps/bench/dynos')).filter((d) => d.type === 'web' && d.state === 'up').length === 10)
    const scaled = performance.now() - started
    return { deployed, serving, scaled }
  } finally {
    spawnSync(process.execPath, [tb, 'platform:stop'], { env })
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = []
for (let i = 0; i < runs; i++) results.push(await once())
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`runs: ${runs}`)
console.log(`tb deploy examples/node-web: command done   median ${median(results.map((r) => r.deployed)).toFixed(0)} ms`)
console.log(`                             app answering  median ${median(results.map((r) => r.serving)).toFixed(0)} ms`)
console.log(`tb ps:scale web=10 until all ten are up     median ${median(results.map((r) => r.scaled)).toFixed(0)} ms`)
