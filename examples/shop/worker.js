// The shop's worker: a restock report every few seconds, until SIGTERM.
const ms = require('ms')
const { products } = require('./lib/catalog')

const every = ms(process.env.RESTOCK_EVERY || '10s')
const timer = setInterval(() => console.log(`restock check: ${products.length} products`), every)
console.log(`worker started, restock check every ${ms(every, { long: true })}`)
process.on('SIGTERM', () => {
  clearInterval(timer)
  process.exit(0)
})
