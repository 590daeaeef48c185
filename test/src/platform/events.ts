import t from 'tap'
import { PlatformEvents } from '../../../src/platform/events.js'

t.test('any number of listeners without a leak warning', async (t) => {
  const events = new PlatformEvents()
  const warnings: Error[] = []
  const onWarning = (w: Error) => warnings.push(w)
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  let calls = 0
  for (let i = 0; i < 50; i++) events.on('formation', () => calls++)
  events.emit('formation', { appId: 'a' })
  // a warning is emitted on the next tick: give it that tick
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(calls, 50)
  t.strictSame(warnings.filter((w) => w.name === 'MaxListenersExceededWarning'), [])
})
