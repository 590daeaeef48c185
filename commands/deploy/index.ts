import { basename, resolve } from 'node:path'
import { defineCommand } from '../../src/cli/command.js'
import type { ApiClient } from '../../src/client/api/client.js'
import type { Build } from '../../src/client/api/types.js'
import { waitForBuildEnd } from '../../src/client/builds.js'
import type { Context } from '../../src/cli/context.js'
import { InterruptedError, TbError, UsageError } from '../../src/shared/errors.js'
import { formatBytes } from '../../src/shared/format.js'

export default defineCommand({
  command: 'deploy [dir]',
  describe: 'Build the app from a directory and release it (Heroku\'s builds:create)',
  app: true,
  json: true,
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'the app directory (default: the current one)' })
      .option('strategy', {
        type: 'string',
        choices: ['immediate', 'rolling', 'bluegreen', 'canary'] as const,
        describe: "how the new release replaces the running dynos (default: the app's, see tb deploy:settings)",
      })
      .example('tb deploy -a hello', 'deploy the current directory to hello')
      .example('tb deploy examples/node-web -a hello', 'deploy another directory')
      .example('tb deploy -a hello --json > build.json', 'the finished build as JSON on stdout')
      .example('tb deploy -a hello --strategy canary', 'one new dyno takes a share of requests until tb deploy:promote'),
  async handler({ dir, ctx, app, strategy }) {
    const appDir = resolve(ctx.cwd, dir ?? '.')
    const [{ packSource }, { uploadFile }, { readLineStream }, { ProgressBar }, { USER_AGENT }, { rm, stat }] = await Promise.all([
      import('../../src/client/deploy/pack.js'),
      import('../../src/client/api/upload.js'),
      import('../../src/client/api/stream.js'),
      import('../../src/cli/progress.js'),
      import('../../src/shared/version.js'),
      import('node:fs/promises'),
    ])
    const info = await stat(appDir).catch(() => undefined)
    if (!info) throw new UsageError(`${dir ?? '.'} does not exist.`, { hint: 'Give the directory of the app to deploy (default: the current one).' })
    if (!info.isDirectory()) throw new UsageError(`${dir ?? '.'} is not a directory.`, { hint: 'Give the directory of the app to deploy, not a file in it.' })
    const api = await ctx.api()
    await api.apps.info(app)

    // Ctrl-C stops this command, not the build: the platform goes on with it, as Heroku's does
    const stop = new AbortController()
    let buildId: string | undefined
    const offSigint = ctx.onSignal?.('SIGINT', () => stop.abort())
    const interrupted = () => {
      if (!buildId) return new InterruptedError('Interrupted: nothing was deployed.')
      const err = new InterruptedError('Interrupted: the build goes on on the platform.')
      err.hint = `Follow it with \`tb builds:output ${buildId} -a ${app}\`.`
      return err
    }

    let done = ctx.out.action(`Packing ${basename(appDir)}`)
    const packed = await packSource({ dir: appDir })
    try {
      done(`done, ${packed.files.length} ${packed.files.length === 1 ? 'file' : 'files'} (${formatBytes(packed.size)})`)
      const { source_blob: source } = await api.sources.create()
      const bar = ctx.stderr.isTTY ? new ProgressBar(ctx.stderr, 'Uploading source', packed.size) : undefined
      done = bar ? (result) => bar.finish(result ?? 'done') : ctx.out.action('Uploading source')
      try {
        await uploadFile(source.put_url, {
          file: packed.path,
          size: packed.size,
          userAgent: USER_AGENT,
          signal: stop.signal,
          onProgress: bar && ((sent) => bar.update(sent)),
        })
      } catch (err) {
        done('!')
        throw stop.signal.aborted ? interrupted() : err
      }
      done()

      const build = await api.builds.create(app, {
        source_blob: { url: source.get_url, checksum: `SHA256:${packed.sha256}`, version: await commitOf(appDir) },
        ...(strategy && { strategy }),
      })
      buildId = build.id
      const problems: string[] = []
      await readLineStream(build.output_stream_url, {
        userAgent: USER_AGENT,
        signal: stop.signal,
        // a buildpack may be quiet for minutes (an install): no idle timeout
        follow: true,
        onLines(lines) {
          for (const line of lines) if (line.startsWith(' !')) problems.push(line.replace(/^ !\s*/, ''))
          ctx.stderr.write(lines.map((line) => line + '\n').join(''))
        },
      })
      if (stop.signal.aborted) throw interrupted()
      const finished = await waitForBuildEnd(api, app, build, stop.signal)
      if (!finished) throw interrupted()
      await report(ctx, api, app, finished, problems)
    } finally {
      offSigint?.()
      await rm(packed.path, { force: true })
    }
  },
})

async function report(ctx: Context, api: ApiClient, app: string, build: Build, problems: string[]): Promise<void> {
  if (build.status === 'failed' || !build.release) {
    throw new TbError(`Build failed: ${problems[0] ?? 'see the output above'}`, {
      hint: problems[0] ? undefined : `See its output again with \`tb builds:output ${build.id} -a ${app}\`.`,
    })
  }
  const release = await api.releases.info(app, build.release.id)
  if (release.status === 'failed') {
    // the output above showed the failing dyno's last lines
    const { releaseFailure } = await import('../../src/client/deploys.js')
    const { reason } = await releaseFailure(api, app, release)
    const current = (await api.releases.list(app, { max: 20 })).find((r) => r.current)
    throw new TbError(`Release v${release.version} failed: ${problems[0] && !problems[0].startsWith('Release v') ? problems[0] : reason}`, {
      hint: current ? `v${current.version} is still the current release.` : 'The release before it is still current.',
    })
  }
  if (ctx.out.json) return ctx.out.printJSON(build)
  ctx.out.write(`v${release.version}\n`)
}

/** The commit the directory's repository is at, shown in the release (`Deploy 1a2b3c4`); none outside git. */
async function commitOf(dir: string): Promise<string | undefined> {
  const { findGitDir } = await import('../../src/client/git.js')
  if (!findGitDir(dir)) return undefined
  const { execa } = await import('execa')
  const result = await execa('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', 'HEAD'], { reject: false })
  return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(result.stdout.trim()) ? result.stdout.trim() : undefined
}
