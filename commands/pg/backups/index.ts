import { defineCommand } from '../../../src/cli/command.js'

export default defineCommand({
  command: 'pg:backups',
  describe: "List the app's database backups (kept on this machine, in TB_HOME)",
  app: true,
  json: true,
  builder: (y) => y.example('tb pg:backups -a demo', 'b001, b002… with their database, time and size'),
  async handler({ ctx, app }) {
    const { listBackups } = await import('../../../src/client/pg-backups.js')
    const backups = listBackups(ctx.home, app)
    if (ctx.out.json) return ctx.out.printJSON(backups)
    if (backups.length === 0) return ctx.out.info(`${app} has no backups: take one with \`tb pg:backups:capture -a ${app}\`.`)
    await ctx.out.table(backups, [
      { header: 'ID', get: (b) => b.id },
      { header: 'Taken at', get: (b) => b.created_at },
      { header: 'Size', get: (b) => `${b.size} bytes` },
      { header: 'Database', get: (b) => `${b.config_var} (${b.addon})` },
    ])
  },
})
