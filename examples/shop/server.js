// The shop's web process: express with compression, static assets from public/ (read from disk
// on every request, so a fast deploy's new files are served at once), a JSON API and /health.
const express = require('express')
const compression = require('compression')
const ms = require('ms')
const { products } = require('./lib/catalog')

const app = express()
const started = Date.now()
const dyno = process.env.DYNO || 'local'

app.use(compression())
app.use(express.static('public', { etag: false, lastModified: false, maxAge: 0 }))
app.get('/api/products', (_req, res) => res.json(products))
app.get('/api/status', (_req, res) => res.json({ dyno, up: ms(Date.now() - started), release: process.env.HEROKU_RELEASE_VERSION ?? null }))
app.get('/health', (_req, res) => res.type('text').send('ok\n'))

const server = app.listen(Number(process.env.PORT || 5000), () => console.log(`${dyno} listening on ${server.address().port}`))
process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
  server.closeIdleConnections()
})
