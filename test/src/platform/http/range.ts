import t from 'tap'
import { applyRange, parseRange } from '../../../../src/platform/http/range.js'

const ATTRS = ['version', 'id'] as const

t.test('parseRange reads what real clients send', async (t) => {
  const defaults = { attribute: 'version', startExclusive: false, max: 200, order: 'asc' }
  t.strictSame(parseRange(undefined, ATTRS), defaults, 'no header')
  t.strictSame(parseRange('', ATTRS), defaults, 'empty header')
  t.strictSame(parseRange('   ', ATTRS), defaults, 'blank header')
  t.strictSame(parseRange('version ..; order=desc,max=1', ATTRS), { ...defaults, max: 1, order: 'desc' })
  t.strictSame(parseRange('version ..; max=15, order=desc', ATTRS), { ...defaults, max: 15, order: 'desc' })
  t.strictSame(parseRange('id ..; max=200;', ATTRS), { ...defaults, attribute: 'id' })
  t.strictSame(parseRange('version', ATTRS), defaults, 'attribute alone')
  t.strictSame(parseRange('version 3..7', ATTRS), { ...defaults, start: '3', end: '7' })
  t.strictSame(parseRange('version ]12..; max=10, order=desc', ATTRS),
    { ...defaults, start: '12', startExclusive: true, max: 10, order: 'desc' }, 'a Next-Range we sent')
  t.strictSame(parseRange('version ..; max=5000', ATTRS), { ...defaults, max: 1000 }, 'max is capped at 1000')
  t.strictSame(parseRange('version ..; ORDER=DESC', ATTRS).order, 'asc', 'option names are case-sensitive: unknown ones are ignored')
  t.strictSame(parseRange('version ..; order=DESC', ATTRS).order, 'desc', 'order values are not')
  t.strictSame(parseRange('version ..; foo=bar, max=2', ATTRS).max, 2, 'unknown options are ignored')
})

t.test('parseRange rejects what it cannot honour with 416', async (t) => {
  const cases: [string, RegExp][] = [
    ['name ..', /can't be ranged by name: use one of version, id/],
    ['bytes=0-100', /can't be ranged by bytes/],
    ['=5', /Invalid Range header "=5"/],
    ['version 3', /bounds must read start\.\.end/],
    ['version ..; max=abc', /Invalid Range max "abc"/],
    ['version ..; max=0', /Invalid Range max "0"/],
    ['version ..; order=up', /Invalid Range order "up"/],
    ['version ..; max', /Invalid Range option "max"/],
  ]
  for (const [header, message] of cases) {
    t.throws(() => parseRange(header, ATTRS), { name: 'PlatformError', id: 'requested_range_not_satisfiable', message }, header)
  }
})

t.test('applyRange sorts, bounds and pages', async (t) => {
  const items = [3, 1, 5, 2, 4].map((version) => ({ version, id: `id-${version}` }))
  const versions = (range: string) => applyRange(items, parseRange(range, ATTRS)).items.map((i) => i.version)

  t.strictSame(versions(''), [1, 2, 3, 4, 5])
  t.strictSame(versions('version ..; order=desc'), [5, 4, 3, 2, 1])
  t.strictSame(versions('version 2..4'), [2, 3, 4], 'inclusive bounds')
  t.strictSame(versions('version ]2..4'), [3, 4], '] makes start exclusive')
  t.strictSame(versions('version 4..2; order=desc'), [4, 3, 2], 'desc runs from start down to end')
  t.strictSame(versions('version ]4..; order=desc'), [3, 2, 1])
  t.strictSame(versions('version 10..10'), [], 'nothing in range')
  t.strictSame(versions('id ]id-3..'), [4, 5], 'string attributes compare as strings')

  const first = applyRange(items, parseRange('version ..; max=2, order=desc', ATTRS))
  t.equal(first.status, 206)
  t.strictSame(first.items.map((i) => i.version), [5, 4])
  t.equal(first.contentRange, 'version 5..4; max=2, order=desc')
  t.equal(first.nextRange, 'version ]4..; max=2, order=desc')

  const second = applyRange(items, parseRange(first.nextRange!, ATTRS))
  t.strictSame(second.items.map((i) => i.version), [3, 2])
  const third = applyRange(items, parseRange(second.nextRange!, ATTRS))
  t.equal(third.status, 200, 'the last page is complete')
  t.strictSame(third.items.map((i) => i.version), [1])
  t.equal(third.nextRange, undefined)

  const all = applyRange(items, parseRange('', ATTRS))
  t.equal(all.status, 200)
  t.equal(all.contentRange, 'version 1..5; max=200, order=asc')
  t.equal(all.nextRange, undefined)

  const empty = applyRange([] as typeof items, parseRange('', ATTRS))
  t.strictSame(empty, { items: [], status: 200 }, 'an empty list has no Content-Range')

  t.throws(() => applyRange(items, parseRange('version abc..', ATTRS)), /version is a number/)
})
