import t from 'tap'
import { DYNO_SIZES, findDynoSize } from '../../../../src/platform/services/catalog.js'

t.test('dyno sizes by Heroku name in any case, or by id', async (t) => {
  t.strictSame(DYNO_SIZES.map((s) => s.name), ['Eco', 'Basic', 'Standard-1X', 'Standard-2X', 'Performance-M', 'Performance-L'])
  for (const [asked, name] of [
    ['eco', 'Eco'], ['basic', 'Basic'], ['standard-1x', 'Standard-1X'], ['Standard-1X', 'Standard-1X'],
    ['STANDARD-2X', 'Standard-2X'], ['performance-m', 'Performance-M'], [' performance-l ', 'Performance-L'],
  ]) {
    t.equal(findDynoSize(asked)?.name, name, asked)
  }
  t.equal(findDynoSize(DYNO_SIZES[2].id)?.name, 'Standard-1X')
  for (const unknown of ['', 'free', 'hobby', 'standard-3x', 'private-m']) t.equal(findDynoSize(unknown), undefined, unknown)
})
