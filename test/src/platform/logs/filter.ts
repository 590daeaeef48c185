import t from 'tap'
import { matches, type LogFilter } from '../../../../src/platform/logs/filter.js'

const web1 = { source: 'app', dyno: 'web.1' }
const router = { source: 'heroku', dyno: 'router' }
const webhook = { source: 'app', dyno: 'webhook.1' }
const api = { source: 'app', dyno: 'api' }

t.test('each given field must match; no field matches everything', async (t) => {
  const cases: [LogFilter, { source: string; dyno: string }, boolean][] = [
    [{}, web1, true],
    [{}, router, true],
    [{ source: 'app' }, web1, true],
    [{ source: 'app' }, router, false],
    [{ source: 'heroku' }, router, true],
    [{ dyno: 'web.1' }, web1, true],
    [{ dyno: 'web.2' }, web1, false],
    [{ dyno: 'web' }, web1, true],
    [{ dyno: 'web' }, webhook, false],
    [{ dyno: 'web.' }, web1, false],
    [{ dyno: 'router' }, router, true],
    [{ dyno: 'api' }, api, true],
    [{ type: 'web' }, web1, true],
    [{ type: 'web' }, webhook, false],
    [{ type: 'webhook' }, webhook, true],
    [{ type: 'web' }, router, false],
    [{ type: 'web', source: 'heroku' }, web1, false],
    [{ type: 'web', dyno: 'web.1', source: 'app' }, web1, true],
    [{ type: 'worker', dyno: 'web.1' }, web1, false],
  ]
  for (const [filter, entry, expected] of cases) t.equal(matches(filter, entry), expected, `${JSON.stringify(filter)} ${entry.source}[${entry.dyno}]`)
})
