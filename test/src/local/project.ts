import { join } from 'node:path'
import t from 'tap'
import { projectPaths, readDotForeman, withDefaults } from '../../../src/local/project.js'
import { writeTree } from '../../fixtures/local.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('.foreman: flat key: value, comments, quotes, typed values; unknown keys ignored', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, { '.foreman': '---\n# defaults\nformation: "web=2, worker=1"\nport: 3000 # base\ntimestamp: false\ncolor: yes\nconcurrency: ignored\nenv: .env,.env.local\n' })
  t.same(readDotForeman(dir), { formation: 'web=2, worker=1', port: 3000, timestamp: false, color: true, env: '.env,.env.local' })
  t.same(withDefaults({ port: 4000, timestamp: undefined }, dir).port, 4000, 'a flag beats .foreman')
  t.same(withDefaults({ port: 4000, timestamp: undefined }, dir).timestamp, false, 'an absent flag does not')
  t.same(readDotForeman(tempDir(t)), {}, 'no .foreman, no defaults')
})

t.test('.foreman errors name the line or key', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, { '.foreman': 'port: 3000\n- a list item\n' })
  t.throws(() => readDotForeman(dir), { message: '.foreman line 2 is not "key: value": - a list item' })
  writeTree(dir, { '.foreman': 'timestamp: maybe\n' })
  t.throws(() => readDotForeman(dir), { message: '.foreman: timestamp must be true or false, not "maybe".' })
})

t.test('paths follow Foreman: -f, -d, and .env from -d or the current directory', async (t) => {
  const dir = tempDir(t)
  writeTree(dir, { '.env': '', 'app/.env': '' })
  t.same(projectPaths({}, dir), { procfile: join(dir, 'Procfile'), root: dir, envFiles: [join(dir, '.env')] })
  t.same(projectPaths({ root: 'app' }, dir), { procfile: join(dir, 'app/Procfile'), root: join(dir, 'app'), envFiles: [join(dir, 'app/.env')] })
  t.same(projectPaths({ procfile: 'app/Procfile.dev' }, dir), { procfile: join(dir, 'app/Procfile.dev'), root: join(dir, 'app'), envFiles: [join(dir, '.env')] })
  t.same(projectPaths({ procfile: 'P', root: 'app', env: 'a.env, b.env' }, dir), { procfile: join(dir, 'P'), root: join(dir, 'app'), envFiles: ['a.env', 'b.env'] })
  t.same(projectPaths({}, join(dir, 'app', '..', 'app', 'missing')).envFiles, [], 'no .env, no env file')
})
