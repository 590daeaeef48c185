import { execFileSync } from 'node:child_process'
import t from 'tap'
import { shellValue, shellWord } from '../../../src/shared/quote.js'

/** What `sh` makes of a script that prints each of `words` NUL-terminated. */
function shellReads(script: string): string[] {
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1)
}

const AWKWARD = ['two words', '$HOME', 'a\\b', "it's", `it's "$x" \`y\` \\ !`, 'a;b&c|d>e<f(g)h*i?j[k]l{m}n^o#p', '~user', '=x', '-n']

t.test('shellWord: bare when plain, else single quotes', async (t) => {
  t.equal(shellWord('abc-1.2/x'), 'abc-1.2/x')
  t.equal(shellWord('a=b,c:d@e%f+g'), 'a=b,c:d@e%f+g')
  t.equal(shellWord(''), "''", 'an empty word stays a word')
  t.equal(shellWord('two words'), "'two words'")
  t.equal(shellWord("it's"), "'it'\\''s'")
})

t.test('a shell reads every word back as it was, one argument each', async (t) => {
  const words = [...AWKWARD, '', 'one\ntwo', '\t']
  t.same(shellReads(`printf '%s\\0' ${words.map(shellWord).join(' ')}`), words)
})

t.test('shellValue: bare when harmless, else single quotes, else double quotes', async (t) => {
  t.equal(shellValue('abc-1.2/x'), 'abc-1.2/x')
  t.equal(shellValue(''), '')
  t.equal(shellValue('two words'), "'two words'")
  t.equal(shellValue('$HOME'), "'$HOME'")
  t.equal(shellValue('a\\b'), "'a\\b'")
  t.equal(shellValue("it's"), `"it's"`)
  t.equal(shellValue(`it's "$x" \`y\` \\`), `"it's \\"\\$x\\" \\\`y\\\` \\\\"`)
  t.equal(shellValue('one\ntwo'), '"one\\ntwo"', 'a newline is written \\n: the line stays one line')
})

t.test('a shell reads every single-line value of an assignment back unchanged', async (t) => {
  const script = AWKWARD.map((v, i) => `V${i}=${shellValue(v)}`).join('\n') + `\nprintf '%s\\0' ${AWKWARD.map((_, i) => `"$V${i}"`).join(' ')}`
  t.same(shellReads(script), AWKWARD)
})
