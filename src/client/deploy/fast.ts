// tb deploy --fast, the client's half: what changed since the live release, from the files
// `tb deploy` would send (pack.ts's sourceFiles) hashed against the live slug's source manifest.
//
//   planFastDeploy(api, app, dir) → Promise<FastPlan>
//     { kind: 'fast', base, manifest, diff }   send the changed files (packSource's `only`)
//     { kind: 'full', reason }                 a full build is needed, and why
//     { kind: 'none', release }                nothing changed since the live release
import type { ApiClient } from '../api/client.js'
import type { Release } from '../api/types.js'
import { ApiError } from '../../shared/errors.js'
import { diffManifests, fullBuildReason, manifestOf, type ManifestDiff, type SourceManifest } from '../../shared/fast-deploy.js'
import { sourceFiles } from './pack.js'

export type FastPlan =
  | { kind: 'fast'; base: { slugId: string; release: Release }; manifest: SourceManifest; diff: ManifestDiff }
  | { kind: 'full'; reason: string }
  | { kind: 'none'; release: Release }

export async function planFastDeploy(api: ApiClient, app: string, dir: string): Promise<FastPlan> {
  const [files, live] = await Promise.all([sourceFiles(dir), currentRelease(api, app)])
  const slugId = live?.slug?.id
  if (!live || !slugId) return { kind: 'full', reason: 'the app has no build yet' }
  let baseManifest: SourceManifest
  try {
    baseManifest = await api.slugs.manifest(app, slugId)
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { kind: 'full', reason: `v${live.version}'s slug has no source manifest (built before fast deploys, or not by tb)` }
    throw err
  }
  const manifest = await manifestOf(dir, files)
  const diff = diffManifests(baseManifest, manifest)
  const reason = fullBuildReason([...diff.changed, ...diff.modes, ...diff.deleted])
  if (reason) return { kind: 'full', reason }
  if (diff.changed.length + diff.modes.length + diff.deleted.length === 0) return { kind: 'none', release: live }
  return { kind: 'fast', base: { slugId, release: live }, manifest, diff }
}

async function currentRelease(api: ApiClient, app: string): Promise<Release | undefined> {
  return (await api.releases.list(app, { max: 20 })).find((release) => release.current)
}
