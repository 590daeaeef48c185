import t from 'tap'
import { commandLine } from '../../../../src/client/run/command-line.js'

t.test('the command line: one word as a shell line, several quoted word by word', async (t) => {
  t.equal(commandLine(['rake db:migrate && rake seed']), 'rake db:migrate && rake seed')
  t.equal(commandLine(['node', '-e', 'process.exit(7)']), "node -e 'process.exit(7)'")
  t.equal(commandLine(['sh', '-c', 'echo done']), "sh -c 'echo done'")
  t.equal(commandLine(['printf', "it's", '$HOME', 'a=b,c/d.e']), "printf 'it'\\''s' '$HOME' a=b,c/d.e")
  t.equal(commandLine(['echo', '']), "echo ''")
})
