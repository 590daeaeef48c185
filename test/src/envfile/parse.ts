import t from 'tap'
import { parseEnv } from '../../../src/envfile/index.js'

// [line in .env, value tb gives, value Foreman 0.87.2 gives when it differs]
const cases: [string, string | undefined, (string | undefined)?][] = [
  ['K=plain', 'plain'],
  ['K=', ''],
  ['K=""', ''],
  ['K=a=b', 'a=b'],
  ["K='single # x'", 'single # x'],
  ['K="double # x"', 'double # x'],
  ['K="a\\nb"', 'a\nb'],
  ["K='a\\nb'", 'a\\nb'],
  ['K=a\\nb', 'a\\nb'],
  ['K="a\\"b"', 'a"b'],
  ['K="a\\\\b"', 'a\\b'],
  ['K="a\\$b"', 'a$b'],
  ['K="it\'s"', "it's"],
  [`K='say "hi"'`, 'say "hi"'],
  ['K=$HOME/x', '$HOME/x'],
  ['K="${HOME}"', '${HOME}'],
  ["K='unterminated", "'unterminated"],
  ['K="unterminated', '"unterminated'],
  ['K=b#nocomment', 'b#nocomment'],
  ['K=http://x/#top', 'http://x/#top'],
  ['K=#x', '#x'],
  // deliberate differences: dotenv's reading, where Foreman's is plainly wrong
  ['K=b # comment', 'b', 'b # comment'],
  ['K="b" # comment', 'b', '"b" # comment'],
  ['K=  spaced  ', 'spaced', '  spaced  '],
  ['K=  "padded quotes"  ', 'padded quotes', '  "padded quotes"  '],
  ['K="x\\ty"', 'x\\ty', 'xty'],
  ['K="C:\\temp"', 'C:\\temp', 'C:temp'],
  ['K=`tick`', 'tick', '`tick`'],
  ['export K=exported', 'exported', undefined],
  ['K = spaced-eq', 'spaced-eq', undefined],
  ['K: yaml', 'yaml', undefined],
]

t.test('each kind of line gives the value tb documents', async (t) => {
  for (const [line, expected] of cases) t.equal(parseEnv(line + '\n').K, expected, line)
})

t.test('comments, blank lines, CRLF and duplicates (the last one wins)', async (t) => {
  t.same(parseEnv('# comment\r\n\r\nA=1\r\nB="two words"\r\n   # indented comment\r\nA=3\r\n'), { A: '3', B: 'two words' })
})

t.test('multi-line quoted values span lines; the lines inside are not assignments', async (t) => {
  const env = parseEnv('KEY="-----BEGIN\nX=inside\n-----END"\nNEXT=1\nSINGLE=\'a\nb\'\n')
  t.same(env, { KEY: '-----BEGIN\nX=inside\n-----END', NEXT: '1', SINGLE: 'a\nb' })
})

t.test('lines that are not assignments are skipped', async (t) => {
  t.same(parseEnv('just words\n=novalue\nGOOD=yes\n'), { GOOD: 'yes' })
})
