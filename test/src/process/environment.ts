import { spawnSync } from 'node:child_process'
import t from 'tap'
import { argumentProblem, describeSpawnFailure, ENV_STRING_LIMIT, envEntryProblem, environmentProblem } from '../../../src/process/index.js'

/** `KEY=value` plus its NUL exactly `size` bytes long */
const valueFilling = (key: string, size: number) => 'x'.repeat(size - key.length - 2)

t.test('what a process environment cannot carry: empty names, NUL, "=" in a name, a string over 128 KiB', async (t) => {
  t.equal(envEntryProblem('GOOD', 'any value, even = and newlines\n'), undefined)
  t.match(envEntryProblem('', 'v'), /empty name/)
  t.match(envEntryProblem('A\0B', 'v'), /NUL character in its name/)
  t.match(envEntryProblem('A=B', 'v'), /"=" in its name/)
  t.match(envEntryProblem('A', 'a\0b'), /NUL character in its value/)
  t.equal(envEntryProblem('BIG', valueFilling('BIG', ENV_STRING_LIMIT)), undefined, 'exactly the limit')
  t.equal(envEntryProblem('BIG', valueFilling('BIG', ENV_STRING_LIMIT + 1)),
    'is 131073 bytes as NAME=value (128 KB); the operating system takes at most 131072 bytes (128 KB) per variable')
  t.same(environmentProblem({ A: '1', B: undefined, C: 'x\0' }), { key: 'C', problem: envEntryProblem('C', 'x\0') })
  t.equal(argumentProblem('x'.repeat(ENV_STRING_LIMIT - 1)), undefined)
  t.match(argumentProblem('x'.repeat(ENV_STRING_LIMIT)), /per argument$/)
  t.match(argumentProblem('a\0'), /NUL/)
})

t.test('the limits are the kernel\'s: the largest string exec() takes, and one byte more fails with E2BIG', async (t) => {
  const run = (value: string) => spawnSync('/bin/true', [], { env: { BIG: value } }).error as NodeJS.ErrnoException | undefined
  t.equal(run(valueFilling('BIG', ENV_STRING_LIMIT)), undefined)
  t.equal(run(valueFilling('BIG', ENV_STRING_LIMIT + 1))?.code, 'E2BIG')
})

t.test('a spawn failure is told as what went wrong, which variable, and what to do, with the shell\'s exit code', async (t) => {
  // spawnSync reports exec's errors; Node throws for a NUL before trying
  const spawnError = (env: Record<string, string>, args: string[] = []) => {
    try {
      const { error } = spawnSync('/bin/true', args, { env })
      t.ok(error, 'the spawn failed')
      return error
    } catch (err) {
      return err
    }
  }
  const one = { BIG: valueFilling('BIG', ENV_STRING_LIMIT + 10), SMALL: 'x' }
  const single = describeSpawnFailure(spawnError(one), { file: '/bin/true', args: [], env: one })
  t.equal(single.exitCode, 126)
  t.match(single.message, /^The environment is too big for the operating system: BIG is 131082 bytes .*; make it smaller or pass the data in a file\.$/)

  const many: Record<string, string> = {}
  for (let i = 0; i < 30; i++) many[`K${i}`] = 'x'.repeat(100_000)
  many.LARGEST = 'y'.repeat(120_000)
  const total = describeSpawnFailure(spawnError(many), { file: '/bin/true', args: [], env: many })
  t.equal(total.exitCode, 126)
  t.match(total.message, /^The environment and arguments are too big for the operating system \(3\.\d MB in all, over its limit, usually 2 MB\); the largest variable is LARGEST \(117 KB\); make them smaller or pass the data in a file\.$/)

  const longArg = ['z'.repeat(ENV_STRING_LIMIT)]
  const argument = describeSpawnFailure(spawnError({}, longArg), { file: '/bin/true', args: longArg, env: {} })
  t.match(argument.message, /^The command is too long for the operating system: one argument is 131073 bytes/)

  const withNul = { A: 'a\0b' }
  const nul = describeSpawnFailure(spawnError(withNul), { file: '/bin/true', args: [], env: withNul })
  t.same(nul, { message: `A ${envEntryProblem('A', 'a\0b')}.`, exitCode: 126 })

  t.same(describeSpawnFailure(Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' }), { file: 'x', args: [], env: {} }), { message: 'command not found: x', exitCode: 127 })
  t.same(describeSpawnFailure(Object.assign(new Error('spawn x EACCES'), { code: 'EACCES' }), { file: 'x', args: [], env: {} }), { message: 'not executable: x', exitCode: 126 })
})
