import { defineCommand } from '../../src/cli/command.js'
import { latestBuild } from '../../src/client/builds.js'

export default defineCommand({
  command: 'builds:info [build]',
  describe: 'Show one build (the newest by default)',
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('build', { type: 'string', describe: 'a build id (default: the newest build)' })
      .example('tb builds:info -a demo', 'the newest build')
      .example('tb builds:info 01234567-89ab-cdef-0123-456789abcdef -a demo --json', 'one build as JSON'),
  async handler({ ctx, app, build: id }) {
    const api = await ctx.api()
    const build = id === undefined ? await latestBuild(api, app) : await api.builds.info(app, id)
    if (ctx.out.json) return ctx.out.printJSON(build)
    const release = build.release && (await api.releases.info(app, build.release.id))
    ctx.out.header(`Build ${build.id}`)
    ctx.out.record({
      Status: build.status,
      Release: release ? `v${release.version}${release.status === 'succeeded' ? '' : ` (${release.status})`}` : '',
      Buildpacks: build.buildpacks?.map((b) => b.name ?? b.url).join(', ') ?? '',
      Version: build.source_blob.version ?? '',
      Slug: build.slug?.id ?? '',
      By: build.user.email,
      Created: build.created_at,
      Updated: build.updated_at,
    })
  },
})
