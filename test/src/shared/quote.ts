import { execFileSync } from 'node:child_process'
import t from 'tap'
import { shellQuote } from '../../../src/shared/quote.js'

t.test('shellQuote: bare when harmless, else single quotes, else double quotes', async (t) => {
  t.equal(shellQuote('abc-1.2/x'), 'abc-1.2/x')
  t.equal(shellQuote(''), '')
  t.equal(shellQuote('two words'), "'two words'")
  t.equal(shellQuote('$HOME'), "'$HOME'")
  t.equal(shellQuote('a\\b'), "'a\\b'")
  t.equal(shellQuote("it's"), `"it's"`)
  t.equal(shellQuote(`it's "$x" \`y\` \\`), `"it's \\"\\$x\\" \\\`y\\\` \\\\"`)
  t.equal(shellQuote('one\ntwo'), '"one\\ntwo"')
})

t.test('a shell reads every single-line value back unchanged', async (t) => {
  const values = ['two words', '$HOME', 'a\\b', "it's", `it's "$x" \`y\` \\ !`, 'a;b&c|d>e<f(g)h*i?j[k]l{m}n^o#p', '~user', '=x']
  const script = values.map((v, i) => `V${i}=${shellQuote(v)}`).join('\n') + `\nprintf '%s\\0' ${values.map((_, i) => `"$V${i}"`).join(' ')}`
  t.same(execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1), values)
})
