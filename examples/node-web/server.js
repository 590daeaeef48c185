// A minimal web dyno: listens on $PORT, says which dyno answered and the GREETING config var,
// and answers GET /health for health checks. Stops cleanly on SIGTERM (finishing open requests).
const http = require('node:http')

const port = Number(process.env.PORT || 5000)
const dyno = process.env.DYNO || 'local'

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname
  if (req.method === 'GET' && path === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('ok\n')
  } else if (req.method === 'GET' && path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(`Hello from ${dyno} (GREETING=${process.env.GREETING ?? ''})\n`)
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found\n')
  }
})

server.listen(port, () => console.log(`${dyno} listening on port ${server.address().port}`))

process.on('SIGTERM', () => {
  console.log(`${dyno} received SIGTERM, shutting down`)
  server.close(() => process.exit(0))
  server.closeIdleConnections()
})
