// Side by side with Ruby foreman 0.87.2: on the same Procfile, env files and flags, every process
// gets the same PORT, PS, working directory and env values. The expected values are written out,
// and foreman must give them too: without it that check fails under CI=true (CI installs
// ruby-foreman) and is reported as skipped elsewhere.
import { join } from 'node:path'
import t from 'tap'
import { envReporter, foremanFor, project, reportedEnvs, writeTree, type EnvReport } from '../../fixtures/local.js'
import { TB_COMMAND } from '../../fixtures/tb.js'

interface Scenario {
  name: string
  /** files of the project; `REPORT` in a Procfile becomes `node /abs/report-env.js` */
  files: Record<string, string>
  args: string[]
  env?: Record<string, string>
  /** the directory both runners start in, relative to the project */
  cwd?: string
  /** keys to report besides PS, PORT and cwd */
  keys: string[]
  /** PS → what that process must see; cwd relative to the project */
  expected: Record<string, EnvReport>
}

const twoTypes = 'web: REPORT\nworker: REPORT\n'

const scenarios: Scenario[] = [
  {
    name: '.env quoting, comments, escapes, duplicates and CRLF',
    files: {
      Procfile: twoTypes,
      '.env': [
        '# a comment', 'PLAIN=plain', 'EMPTY=', "SQ='single # x'", 'DQ="double # x"', 'NL="a\\nb"', "SQNL='a\\nb'",
        'ESC="a\\"b\\\\c\\$d"', 'HASH=b#nocomment', 'URL=http://x/#top', 'DUP=first', 'DUP=second', 'RAW=a\\nb', '',
      ].join('\r\n'),
    },
    args: [],
    keys: ['PLAIN', 'EMPTY', 'SQ', 'DQ', 'NL', 'SQNL', 'ESC', 'HASH', 'URL', 'DUP', 'RAW'],
    expected: Object.fromEntries(['web.1', 'worker.1'].map((ps, i) => [ps, {
      PS: ps, PORT: String(5000 + 100 * i), cwd: '.',
      PLAIN: 'plain', EMPTY: '', SQ: 'single # x', DQ: 'double # x', NL: 'a\nb', SQNL: 'a\\nb',
      ESC: 'a"b\\c$d', HASH: 'b#nocomment', URL: 'http://x/#top', DUP: 'second', RAW: 'a\\nb',
    }])),
  },
  {
    name: 'a Procfile with comments, blank lines and CRLF',
    files: { Procfile: '# processes\r\nweb: REPORT\r\n\r\n# the worker\r\nworker:REPORT\r\n' },
    args: [],
    keys: [],
    expected: { 'web.1': { PS: 'web.1', PORT: '5000', cwd: '.' }, 'worker.1': { PS: 'worker.1', PORT: '5100', cwd: '.' } },
  },
  {
    name: 'a formation string with spaces',
    files: { Procfile: twoTypes },
    args: ['-m', ' web = 2 , worker=1 '],
    keys: [],
    expected: {
      'web.1': { PS: 'web.1', PORT: '5000', cwd: '.' },
      'web.2': { PS: 'web.2', PORT: '5001', cwd: '.' },
      'worker.1': { PS: 'worker.1', PORT: '5100', cwd: '.' },
    },
  },
  {
    name: 'all=2',
    files: { Procfile: twoTypes },
    args: ['-m', 'all=2'],
    keys: [],
    expected: {
      'web.1': { PS: 'web.1', PORT: '5000', cwd: '.' },
      'web.2': { PS: 'web.2', PORT: '5001', cwd: '.' },
      'worker.1': { PS: 'worker.1', PORT: '5100', cwd: '.' },
      'worker.2': { PS: 'worker.2', PORT: '5101', cwd: '.' },
    },
  },
  {
    name: 'a formation that skips the first type keeps its port slot',
    files: { Procfile: twoTypes },
    args: ['-m', 'worker=1'],
    keys: [],
    expected: { 'worker.1': { PS: 'worker.1', PORT: '5100', cwd: '.' } },
  },
  {
    name: '-p beats PORT in .env and in the environment',
    files: { Procfile: twoTypes, '.env': 'PORT=7000\n' },
    args: ['-p', '6000'],
    env: { PORT: '8000' },
    keys: [],
    expected: { 'web.1': { PS: 'web.1', PORT: '6000', cwd: '.' }, 'worker.1': { PS: 'worker.1', PORT: '6100', cwd: '.' } },
  },
  {
    name: 'PORT in .env beats PORT in the environment',
    files: { Procfile: twoTypes, '.env': 'PORT=7000\nA=1\n' },
    args: [],
    env: { PORT: '8000' },
    keys: ['A'],
    expected: { 'web.1': { PS: 'web.1', PORT: '7000', cwd: '.', A: '1' }, 'worker.1': { PS: 'worker.1', PORT: '7100', cwd: '.', A: '1' } },
  },
  {
    name: 'PORT in the environment alone',
    files: { Procfile: twoTypes },
    args: [],
    env: { PORT: '8000' },
    keys: [],
    expected: { 'web.1': { PS: 'web.1', PORT: '8000', cwd: '.' }, 'worker.1': { PS: 'worker.1', PORT: '8100', cwd: '.' } },
  },
  {
    name: '-e a,b: later files win, .env is not read, files beat the environment',
    files: { Procfile: 'web: REPORT\n', '.env': 'ONLY_DOTENV=1\n', 'a.env': 'A=a\nB=a\nINHERITED=file\n', 'b.env': 'B=b\n' },
    args: ['-e', 'a.env,b.env'],
    env: { INHERITED: 'env', KEPT: 'env' },
    keys: ['A', 'B', 'ONLY_DOTENV', 'INHERITED', 'KEPT'],
    expected: { 'web.1': { PS: 'web.1', PORT: '5000', cwd: '.', A: 'a', B: 'b', ONLY_DOTENV: null, INHERITED: 'file', KEPT: 'env' } },
  },
  {
    name: '-d: the Procfile, .env and working directory come from there',
    files: { 'app/Procfile': 'web: REPORT\n', 'app/.env': 'WHERE=app\n', '.env': 'WHERE=top\n' },
    args: ['-d', 'app'],
    keys: ['WHERE'],
    expected: { 'web.1': { PS: 'web.1', PORT: '5000', cwd: 'app', WHERE: 'app' } },
  },
  {
    name: '-f in a sub-directory: processes run there, .env is read from the current directory',
    files: { 'sub/Procfile': 'web: REPORT\nworker: REPORT\n', 'sub/.env': 'WHERE=sub\n', '.env': 'WHERE=top\n' },
    args: ['-f', 'sub/Procfile'],
    keys: ['WHERE'],
    expected: {
      'web.1': { PS: 'web.1', PORT: '5000', cwd: 'sub', WHERE: 'top' },
      'worker.1': { PS: 'worker.1', PORT: '5100', cwd: 'sub', WHERE: 'top' },
    },
  },
]

for (const scenario of scenarios) {
  t.test(scenario.name, async (t) => {
    const { dir, env } = project(t)
    const reporter = envReporter(dir)
    const files = Object.fromEntries(Object.entries(scenario.files).map(([path, text]) => [path, text.replaceAll('REPORT', `node ${reporter} ${scenario.keys.join(' ')}`)]))
    writeTree(dir, files)
    const opts = { cwd: join(dir, scenario.cwd ?? '.'), env: { ...env, ...scenario.env } }
    const expected = new Map(Object.entries(scenario.expected).map(([ps, report]) => [ps, { ...report, cwd: join(dir, String(report.cwd)) }]))
    const names = [...expected.keys()]

    const tb = await reportedEnvs(t, [...TB_COMMAND, 'local:start', ...scenario.args], opts, names)
    t.same(Object.fromEntries(tb.reports), Object.fromEntries(expected), tb.missing ? `tb: ${tb.missing}` : 'tb')
    t.same(tb.exit, { code: 143, signal: null }, 'tb: stopped by SIGTERM → 143')

    const foremanPath = foremanFor(t, 'foreman gives the same')
    if (foremanPath) {
      const foreman = await reportedEnvs(t, [foremanPath, 'start', ...scenario.args], opts, names)
      t.same(Object.fromEntries(foreman.reports), Object.fromEntries(expected), foreman.missing ? `foreman gives the same: ${foreman.missing}` : 'foreman gives the same')
    }
  })
}
