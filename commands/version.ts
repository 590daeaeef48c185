import { defineCommand } from '../src/cli/command.js'
import { VERSION, versionLine } from '../src/shared/version.js'

export default defineCommand({
  command: 'version',
  describe: 'Show the tb version',
  json: true,
  builder: (y) => y.example('tb version', 'print tb/0.1.0 linux-x64 node-v20'),
  async handler({ ctx }) {
    if (ctx.out.json) return ctx.out.printJSON({ version: VERSION, platform: process.platform, arch: process.arch, node: process.version })
    ctx.out.write(versionLine() + '\n')
  },
})
