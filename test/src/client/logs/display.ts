import { Chalk } from 'chalk'
import t from 'tap'
import { LogColorizer } from '../../../../src/client/logs/display.js'

const TIME = '2026-11-22T10:00:00.123456+00:00'
const plain = (text: string) => text.replace(/\x1b\[[\d;]*m/g, '')

t.test('the colorizer paints the head per process type and leaves the text as it was', async (t) => {
  const colorizer = new LogColorizer(new Chalk({ level: 1 }))
  const lines = [
    `${TIME} app[web.1]: hello`,
    `${TIME} app[web.2]: hello`,
    `${TIME} heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" dyno=web.1 status=503`,
    `${TIME} app[api]: Release v6 command failed by user x@y.z`,
    `${TIME} heroku[worker.1]: State changed from up to crashed`,
    'Waiting for logs...',
  ]
  const painted = lines.map((line) => colorizer.line(line))
  t.strictSame(painted.map(plain), lines, 'only colours are added')
  const head = (line: string) => /^(\x1b\[\d+m)/.exec(line)?.[1]
  t.equal(head(painted[0]), head(painted[1]), 'web.1 and web.2 alike')
  t.not(head(painted[2]), head(painted[0]), 'the router differs')
  t.match(painted[2], /\x1b\[31m\x1b\[1mH12/, 'an error code in bold red')
  t.match(painted[3], /:\x1b\[39m \x1b\[31mRelease v6 command failed/, 'a failed release phase in red')
  t.match(painted[4], /to \x1b\[31mcrashed/)
  t.equal(painted[5], lines[5], 'a line of another format is left alone')
})
