// A minimal worker dyno: one log line a second; on SIGTERM it finishes the current tick and exits 0.
const dyno = process.env.DYNO || 'worker'
let ticks = 0

const timer = setInterval(() => {
  ticks += 1
  console.log(`${dyno} tick ${ticks}`)
}, 1000)

console.log(`${dyno} started`)

process.on('SIGTERM', () => {
  clearInterval(timer)
  console.log(`${dyno} received SIGTERM after ${ticks} ticks, exiting`)
  process.exit(0)
})
