import t from 'tap'
import { formatLogLine, formatLogTime, logLineHead, parseLogLine, type LogLine } from '../../../src/shared/log-line.js'

const TIME = '2026-11-22T10:00:00.123456+00:00'

t.test("formatLogTime: RFC 3339 in UTC with microseconds and Heroku's +00:00", async (t) => {
  const start = Date.UTC(2026, 10, 22, 10, 0, 0, 123)
  t.equal(formatLogTime(start * 1000 + 456), TIME)
  t.equal(formatLogTime(Date.UTC(2026, 0, 1) * 1000 + 7), '2026-01-01T00:00:00.000007+00:00')
  t.equal(formatLogTime(0), '1970-01-01T00:00:00.000000+00:00')
})

t.test('formatLogLine and logLineHead: time source[dyno]: message', async (t) => {
  const line = { time: TIME, source: 'app', dyno: 'web.1', message: 'listening on 5342' }
  t.equal(formatLogLine(line), `${TIME} app[web.1]: listening on 5342`)
  t.equal(logLineHead(line), `${TIME} app[web.1]: `)
})

t.test('parseLogLine takes a line of Heroku format apart', async (t) => {
  t.strictSame(parseLogLine(`${TIME} app[web.1]: GET /a[1]: ok`), { time: TIME, source: 'app', dyno: 'web.1', message: 'GET /a[1]: ok' })
  t.strictSame(parseLogLine(`${TIME} heroku[router]: at=info`), { time: TIME, source: 'heroku', dyno: 'router', message: 'at=info' })
  t.strictSame(parseLogLine(`${TIME} app[web.1]: `), { time: TIME, source: 'app', dyno: 'web.1', message: '' }, 'an empty message')
  t.strictSame(parseLogLine(`${TIME} app[web.1]:`), { time: TIME, source: 'app', dyno: 'web.1', message: '' }, 'no blank after the colon')
  t.equal(parseLogLine('not a log line'), undefined)
  t.equal(parseLogLine(`${TIME} app web.1: hello`), undefined)
  t.equal(parseLogLine(''), undefined)
})

t.test('every line parses back to what it was made of', async (t) => {
  const lines: LogLine[] = [
    { time: TIME, source: 'app', dyno: 'web.1', message: 'hello' },
    { time: TIME, source: 'heroku', dyno: 'router', message: 'at=info method=GET path="/a[1]: b" status=200' },
    { time: TIME, source: 'app', dyno: 'api', message: 'Release v3 created by user x@y.z' },
    { time: TIME, source: 'app', dyno: 'run.4821', message: '' },
    { time: TIME, source: 'app', dyno: 'web.1', message: '  indented: [x] ]: y ' },
    { time: formatLogTime(1), source: 'heroku', dyno: 'release.1234', message: 'State changed from up to complete' },
  ]
  for (const line of lines) t.strictSame(parseLogLine(formatLogLine(line)), line, formatLogLine(line))
})
