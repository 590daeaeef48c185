import { basename, resolve } from 'node:path'
import { defineCommand } from '../../src/cli/command.js'
import type { ApiClient } from '../../src/client/api/client.js'
import type { Build, BuildCreate, DeployStrategy, Release } from '../../src/client/api/types.js'
import type { ManifestEntry } from '../../src/shared/fast-deploy.js'
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
      .option('fast', {
        type: 'boolean',
        describe: 'send only what changed since the live release, no buildpack run (a full build when a dependency manifest changed)',
      })
      .option('watch', { type: 'boolean', describe: 'a fast deploy on every save, one line each, until Ctrl-C' })
      .example('tb deploy -a hello', 'deploy the current directory to hello')
      .example('tb deploy --fast -a hello', 'only the changed files; static ones (public/**) without a restart')
      .example('tb deploy --watch -a hello', 'deploy every save')
      .example('tb deploy examples/node-web -a hello', 'deploy another directory')
      .example('tb deploy -a hello --json > build.json', 'the finished build as JSON on stdout')
      .example('tb deploy -a hello --strategy canary', 'one new dyno takes a share of requests until tb deploy:promote'),
  async handler({ dir, ctx, app, strategy, fast, watch }) {
    const appDir = resolve(ctx.cwd, dir ?? '.')
    const { stat } = await import('node:fs/promises')
    const info = await stat(appDir).catch(() => undefined)
    if (!info) throw new UsageError(`${dir ?? '.'} does not exist.`, { hint: 'Give the directory of the app to deploy (default: the current one).' })
    if (!info.isDirectory()) throw new UsageError(`${dir ?? '.'} is not a directory.`, { hint: 'Give the directory of the app to deploy, not a file in it.' })
    const api = await ctx.api()
    // the app checked while the deploy's modules load (a third of a fast deploy's time on a loaded machine)
    await Promise.all([api.apps.info(app), deployModules(fast || watch)])
    if (watch) {
      const { watchDeploys } = await import('../../src/client/deploy/watch.js')
      return watchDeploys(ctx, appDir, (stop) => deploy(ctx, api, app, appDir, { strategy, fast: true, quiet: true, signal: stop }))
    }

    // Ctrl-C stops this command, not the build: the platform goes on with it, as Heroku's does
    const stop = new AbortController()
    const offSigint = ctx.onSignal?.('SIGINT', () => stop.abort())
    try {
      const deployed = await deploy(ctx, api, app, appDir, { strategy, fast, signal: stop.signal })
      if (ctx.out.json) return ctx.out.printJSON(deployed.build ?? deployed.release)
      ctx.out.write(`v${deployed.release.version}\n`)
    } finally {
      offSigint?.()
    }
  },
})

export interface Deployed {
  release: Release
  /** none when nothing changed since the live release */
  build?: Build
  /** `Fast deploy: 1 file changed`, `Full build: package.json changed …`, `Nothing changed` */
  summary: string
}

/** What a deploy loads (lazily: other commands never pay for it); with `fast`, the fast deploy's modules too. */
function deployModules(fast?: boolean) {
  return Promise.all([
    import('../../src/client/deploy/pack.js'),
    import('../../src/client/api/upload.js'),
    import('../../src/client/api/stream.js'),
    import('../../src/cli/progress.js'),
    import('../../src/shared/version.js'),
    import('node:fs/promises'),
    fast && import('../../src/client/deploy/fast.js'),
  ])
}

/**
 * One deploy: with `fast`, only what changed since the live release (or a full build, saying
 * why); with `quiet`, the build's output is kept back (tb deploy --watch prints one line).
 */
async function deploy(
  ctx: Context,
  api: ApiClient,
  app: string,
  appDir: string,
  opts: { strategy?: DeployStrategy; fast?: boolean; quiet?: boolean; signal: AbortSignal },
): Promise<Deployed> {
  const [{ packSource }, { uploadFile }, { readLineStream }, { ProgressBar }, { USER_AGENT }, { rm }] = await deployModules(opts.fast)
  const { strategy, quiet } = opts
  const stop = { signal: opts.signal }
  const action = (what: string) => (quiet ? () => {} : ctx.out.action(what))
  let buildId: string | undefined
  const interrupted = () => {
    if (!buildId) return new InterruptedError('Interrupted: nothing was deployed.')
    const err = new InterruptedError('Interrupted: the build goes on on the platform.')
    err.hint = `Follow it with \`tb builds:output ${buildId} -a ${app}\`.`
    return err
  }

  let fastDeploy: BuildCreate['fast_deploy']
  let summary = 'Full build'
  let only: string[] | undefined
  if (opts.fast) {
    const [{ planFastDeploy }, { describeDiff }] = await Promise.all([import('../../src/client/deploy/fast.js'), import('../../src/shared/fast-deploy.js')])
    const finished = action(`Comparing ${basename(appDir)} with the live release`)
    const plan = await planFastDeploy(api, app, appDir)
    if (plan.kind === 'none') {
      finished(`nothing changed since v${plan.release.version}`)
      return { release: plan.release, summary: 'Nothing changed' }
    }
    if (plan.kind === 'full') {
      finished(`a full build: ${plan.reason}`)
      summary = `Full build: ${plan.reason}`
    } else {
      finished(describeDiff(plan.diff))
      summary = `Fast deploy: ${describeDiff(plan.diff)} (${[...plan.diff.changed, ...plan.diff.modes, ...plan.diff.deleted].slice(0, 3).join(', ')})`
      fastDeploy = { base_slug: { id: plan.base.slugId }, files: plan.manifest.files }
      only = contentToSend(plan.manifest.files, [...plan.diff.changed, ...plan.diff.modes])
    }
  }

  let done = action(`Packing ${basename(appDir)}`)
  const packed = await packSource({ dir: appDir, only })
  try {
    done(`done, ${packed.files.length} ${packed.files.length === 1 ? 'file' : 'files'} (${formatBytes(packed.size)})`)
    const { source_blob: source } = await api.sources.create()
    const bar = ctx.stderr.isTTY && !quiet ? new ProgressBar(ctx.stderr, 'Uploading source', packed.size) : undefined
    done = bar ? (result) => bar.finish(result ?? 'done') : action('Uploading source')
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
      // every field of Heroku's source_blob, null where unknown (its schema has them all)
      source_blob: { url: source.get_url, checksum: `SHA256:${packed.sha256}`, version: (await commitOf(appDir)) ?? null, version_description: null },
      ...(strategy && { strategy }),
      ...(fastDeploy && { fast_deploy: fastDeploy }),
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
        if (!quiet) ctx.stderr.write(lines.map((line) => line + '\n').join(''))
      },
    })
    if (stop.signal.aborted) throw interrupted()
    const finished = await waitForBuildEnd(api, app, build, stop.signal)
    if (!finished) throw interrupted()
    return { release: await report(api, app, finished, problems), build: finished, summary }
  } finally {
    await rm(packed.path, { force: true })
  }
}

/**
 * The files whose content goes: the changed regular files, those whose mode alone changed too
 * (the platform takes the new slug's files from the diff). A tar can't be empty: when only
 * deletions or links changed, the smallest file goes along (the platform takes it as is).
 */
function contentToSend(files: ManifestEntry[], changed: string[]): string[] {
  const regular = files.filter((entry) => entry.link === undefined)
  const wanted = new Set(changed)
  const sent = regular.filter((entry) => wanted.has(entry.path)).map((entry) => entry.path)
  if (sent.length > 0 || regular.length === 0) return sent
  return [regular.reduce((smallest, entry) => (entry.size < smallest.size ? entry : smallest)).path]
}

async function report(api: ApiClient, app: string, build: Build, problems: string[]): Promise<Release> {
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
  return release
}

/** The commit the directory's repository is at, shown in the release (`Deploy 1a2b3c4`); none outside git. */
async function commitOf(dir: string): Promise<string | undefined> {
  const { findGitDir } = await import('../../src/client/git.js')
  if (!findGitDir(dir)) return undefined
  const { execa } = await import('execa')
  const result = await execa('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', 'HEAD'], { reject: false })
  return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(result.stdout.trim()) ? result.stdout.trim() : undefined
}
