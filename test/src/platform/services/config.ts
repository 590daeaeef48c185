import t from 'tap'
import { CONFIG_SIZE_LIMIT, configSize } from '../../../../src/platform/services/config.js'
import { testServices } from '../../../fixtures/store.js'

function setup(t: Parameters<typeof testServices>[0]) {
  const { services } = testServices(t)
  const app = services.apps.create({ name: 'demo' })
  const descriptions = () => services.releases.list('demo').slice(1).map((r) => `v${r.version} ${r.description}`)
  return { services, app, descriptions }
}

t.test('every change is a release that says what it did, and returns the whole config', async (t) => {
  const { services, descriptions } = setup(t)
  t.strictSame(services.config.get('demo'), {})
  t.strictSame(services.config.update('demo', { A: '1', B: 'two' }), { A: '1', B: 'two' })
  t.strictSame(services.config.update('demo', { B: null }), { A: '1' })
  t.strictSame(services.config.update('demo', { C: '', A: null }), { C: '' })
  t.strictSame(descriptions(), ['v2 Set A, B config vars', 'v3 Remove B config vars', 'v4 Set C and remove A config vars'])
  t.strictSame(services.config.get('demo'), { C: '' })
  t.strictSame(services.releases.find('demo', 3).config, { A: '1' }, 'each release keeps its snapshot')
})

t.test('a change that changes nothing makes no release', async (t) => {
  const { services, descriptions } = setup(t)
  services.config.update('demo', { A: '1' })
  t.strictSame(services.config.update('demo', {}), { A: '1' })
  t.strictSame(services.config.update('demo', { MISSING: null }), { A: '1' }, 'removing an absent key')
  t.strictSame(services.config.update('demo', { A: '1' }), { A: '1' }, 'setting a key, even to its value, is a change')
  t.strictSame(descriptions(), ['v2 Set A config vars', 'v3 Set A config vars'])
})

t.test('a config release keeps the current slug', async (t) => {
  const { services } = setup(t)
  const slug = services.slugs.create('demo', { processTypes: { web: 'x' } })
  services.releases.releaseSlug('demo', slug.id)
  services.config.update('demo', { A: '1' })
  t.match(services.releases.find('demo', 'v3'), { slugId: slug.id, config: { A: '1' }, current: true })
})

t.test('names and values are checked before anything is written', async (t) => {
  const { services, descriptions } = setup(t)
  for (const key of ['1ABC', 'WITH-DASH', 'WITH SPACE', '', 'É']) {
    t.throws(() => services.config.update('demo', { OK: 'x', [key]: 'v' }), {
      id: 'invalid_params', message: `Config var name ${JSON.stringify(key)} is invalid: use letters, digits and underscores, not starting with a digit.`,
    }, JSON.stringify(key))
  }
  const kinds: [unknown, string][] = [[1, 'a number'], [true, 'a boolean'], [['x'], 'an array'], [{ a: 1 }, 'an object'], [undefined, 'a undefined']]
  for (const [value, described] of kinds) {
    t.throws(() => services.config.update('demo', { KEY: value }), {
      id: 'invalid_params', message: `Config var KEY must be a string (or null to remove it), not ${described}.`,
    }, described)
  }
  t.throws(() => services.config.update('demo', { OK: 'x', NUL: 'a\0b' }), {
    id: 'invalid_params', message: 'Config var NUL has a NUL character in its value: a process environment cannot carry one (it ends the value): no dyno could start with it.',
  })
  t.throws(() => services.config.update('nope', { A: '1' }), { id: 'not_found', message: "Couldn't find that app." })
  t.strictSame(descriptions(), [])
})

t.test('all keys and values together are limited to 32 KB', async (t) => {
  const { services, descriptions } = setup(t)
  t.equal(configSize({ AB: 'cde', 'É': 'é' }), 9, 'bytes of UTF-8, keys and values')
  const exactly = { BIG: 'x'.repeat(CONFIG_SIZE_LIMIT - 3) }
  t.equal(services.config.update('demo', exactly).BIG.length, CONFIG_SIZE_LIMIT - 3, 'exactly the limit is fine')
  t.throws(() => services.config.update('demo', { C: '1' }), {
    id: 'invalid_params', message: 'Config vars are limited to 32 KB in total (keys and values); this change would make them 32.0 KB.',
  })
  t.throws(() => services.config.update('demo', { MORE: 'y'.repeat(2048) }), {
    id: 'invalid_params', message: 'Config vars are limited to 32 KB in total (keys and values); this change would make them 34.0 KB.',
  })
  t.strictSame(services.config.update('demo', { BIG: null, C: '1' }), { C: '1' }, 'a change that shrinks it is fine')
  t.equal(descriptions().length, 2)
})
