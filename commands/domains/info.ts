import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'domains:info <hostname>',
  describe: 'Show one of an app\'s hostnames',
  app: true,
  json: true,
  builder: (y) =>
    y.positional('hostname', { type: 'string', demandOption: true, describe: 'the hostname (or its domain id)' })
      .example('tb domains:info www.example.com -a demo', 'its kind, status, DNS target and when it was added'),
  async handler({ ctx, app, hostname }) {
    const api = await ctx.api()
    const domain = await api.domains.info(app, hostname)
    ctx.out.header(domain.hostname)
    ctx.out.record({
      Hostname: domain.hostname,
      Kind: domain.kind,
      App: domain.app.name,
      'DNS Target': domain.cname,
      Status: domain.status,
      'Created At': domain.created_at,
      'Updated At': domain.updated_at,
      Id: domain.id,
    }, domain)
  },
})
