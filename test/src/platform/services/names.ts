import t from 'tap'
import { isAppName } from '../../../../src/shared/ids.js'
import { randomAppName } from '../../../../src/platform/services/names.js'

t.test('random app names are readable and always valid', async (t) => {
  const names = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    const name = randomAppName()
    if (!isAppName(name) || !/^[a-z]+-[a-z]+-\d{4}$/.test(name)) t.fail(`bad name ${name}`)
    names.add(name)
  }
  t.ok(names.size > 1900, `varied: ${names.size} distinct of 2000`)
})
