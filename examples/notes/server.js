// Notes in PostgreSQL, read and written through DATABASE_URL, and a visit counter in Redis through
// REDIS_URL: `tb addons:create heroku-postgresql` (and heroku-redis) give the app both.
// No npm dependency: it runs psql and redis-cli, with the passwords in their environment.
//   GET  /notes        every note, one per line
//   POST /notes        the request body becomes a note
//   GET  /visits       counts a visit in Redis, says how many
const http = require('node:http')
const { execFile } = require('node:child_process')

const port = Number(process.env.PORT || 5000)

/** The URL without its password, and the password: for the client's environment, not its command line. */
function split(url) {
  const parsed = new URL(url)
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  return { url: parsed.toString(), password }
}

function client(program, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { env: { ...process.env, ...env }, timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message))
      else resolve(stdout)
    })
    child.stdin.end(input ?? '')
  })
}

/** Runs SQL read from stdin, so values go in as psql variables (:'name'), quoted by psql. */
function sql(script, variables = {}) {
  if (!process.env.DATABASE_URL) return Promise.reject(new Error('DATABASE_URL is not set: tb addons:create heroku-postgresql'))
  const { url, password } = split(process.env.DATABASE_URL)
  const vars = Object.entries(variables).flatMap(([name, value]) => ['-v', `${name}=${value}`])
  return client('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...vars, url], { PGPASSWORD: password }, script)
}

function redis(...args) {
  if (!process.env.REDIS_URL) return Promise.reject(new Error('REDIS_URL is not set: tb addons:create heroku-redis'))
  // -u would want the password on the command line
  const url = new URL(process.env.REDIS_URL)
  const user = url.username ? ['--user', decodeURIComponent(url.username)] : []
  return client('redis-cli', ['-h', url.hostname, '-p', url.port || '6379', ...user, ...args], { REDISCLI_AUTH: decodeURIComponent(url.password) })
}

const SCHEMA = 'CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n'

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

async function answer(req) {
  const path = new URL(req.url, 'http://localhost').pathname
  if (req.method === 'GET' && path === '/notes') return sql(`${SCHEMA}SELECT body FROM notes ORDER BY id;\n`)
  if (req.method === 'POST' && path === '/notes') {
    const body = (await readBody(req)).trim()
    await sql(`${SCHEMA}INSERT INTO notes (body) VALUES (:'body');\n`, { body })
    return `noted: ${body}\n`
  }
  if (req.method === 'GET' && path === '/visits') return `visits: ${(await redis('incr', 'visits')).trim()}\n`
  if (req.method === 'GET' && path === '/health') return 'ok\n'
  return undefined
}

const server = http.createServer((req, res) => {
  answer(req).then((text) => {
    res.writeHead(text === undefined ? 404 : 200, { 'content-type': 'text/plain' })
    res.end(text ?? 'not found\n')
  }, (err) => {
    console.error(`${req.method} ${req.url} failed: ${err.message}`)
    res.writeHead(503, { 'content-type': 'text/plain' })
    res.end(`${err.message}\n`)
  })
})

server.listen(port, () => console.log(`notes listening on port ${server.address().port}`))

process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
  server.closeIdleConnections()
})
