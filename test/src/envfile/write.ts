import dotenv from 'dotenv'
import t from 'tap'
import { parseEnv } from '../../../src/envfile/parse.js'
import { formatAssignment, updateEnvText } from '../../../src/envfile/write.js'

t.test('formatAssignment quotes so that dotenv and parseEnv read the value back', async (t) => {
  const cases: Record<string, [string, string]> = {
    plain: ['abc-1.2', 'K=abc-1.2'],
    url: ['postgres://u:p@h:5432/db', 'K=postgres://u:p@h:5432/db'],
    equals: ['a=b=c', 'K=a=b=c'],
    empty: ['', "K=''"],
    spaces: ['  two words  ', "K='  two words  '"],
    hash: ['a#b # c', "K='a#b # c'"],
    dollar: ['$HOME', "K='$HOME'"],
    single: ["it's", 'K=`it\'s`'],
    both: [`it's "x"`, 'K=`it\'s "x"`'],
    newline: ['one\ntwo', "K='one\ntwo'"],
    cr: ['a\r\nb', 'K="a\\r\\nb"'],
    backslashN: ['C:\\new', "K='C:\\new'"],
  }
  for (const [name, [value, line]] of Object.entries(cases)) {
    t.equal(formatAssignment('K', value), line, name)
    t.equal(dotenv.parse(line).K, value, `${name}: dotenv`)
    t.equal(parseEnv(line).K, value, `${name}: parseEnv`)
  }
  const allThree = `a ' b " c \` d`
  t.equal(dotenv.parse(formatAssignment('K', allThree)).K, allThree, 'all three quote characters still round-trip')
})

t.test('formatAssignment refuses a value no quoting keeps intact', async (t) => {
  t.throws(() => formatAssignment('K', 'x\\n\r"'), { message: 'The value of K cannot be written to a .env file: no .env quoting keeps it intact.' })
})

t.test('updateEnvText rewrites assignments in place and appends new keys', async (t) => {
  const text = "# top\nexport A=1 # one\nB='multi\nline'\n\nC=3\nA=again\n"
  const updated = updateEnvText(text, { A: 'x', B: 'y', D: 'new value' })
  t.equal(updated, "# top\nexport A=1 # one\nB=y\n\nC=3\nA=x\nD='new value'\n", 'the last A (the one that wins) is rewritten')
  t.same(parseEnv(updated), { A: 'x', B: 'y', C: '3', D: 'new value' })
  t.equal(updateEnvText('', { A: '1' }), 'A=1\n')
  t.equal(updateEnvText('A=1', { B: '2' }), 'A=1\nB=2\n')
  t.equal(updateEnvText('A=1\r\nB=2\r\n', { B: 'x', C: '3' }), 'A=1\r\nB=x\r\nC=3\r\n', 'CRLF files stay CRLF')
  t.equal(updateEnvText('A=1\n', {}), 'A=1\n')
})
