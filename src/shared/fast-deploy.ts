// What `tb deploy --fast` and the platform agree on: a slug's source manifest (every file the
// source had: path, size, SHA-256, mode, or a symbolic link's target), which changes need a full
// build, which paths are refused, and the static rule (files synced into running dynos).
import { createHash } from 'node:crypto'
import { lstat, readlink } from 'node:fs/promises'
import { join, posix } from 'node:path'
import ignore from 'ignore'
import { sha256File } from './checksum.js'

export interface ManifestEntry {
  /** relative to the app, `/`-separated, no `./` */
  path: string
  size: number
  /** hex SHA-256 of the content; of the target for a link */
  sha256: string
  /** permission bits (0o755) */
  mode: number
  /** a symbolic link's target */
  link?: string
}

export interface SourceManifest {
  files: ManifestEntry[]
}

/**
 * Files a buildpack's detection or its dependency install reads, at the app's root: a change to
 * one of them needs the buildpacks to run again (a full build).
 */
export const FULL_BUILD_FILES = [
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', '.npmrc', '.nvmrc',
  'Procfile', 'app.json', '.slugignore', '.buildpacks',
  'requirements.txt', 'Pipfile', 'Pipfile.lock', 'runtime.txt', 'Gemfile', 'Gemfile.lock', 'go.mod', 'go.sum',
  'composer.json', 'composer.lock',
] as const

/** The deploy setting's default: what is synced into running dynos without a restart (gitignore syntax). */
export const DEFAULT_STATIC_RULE = 'public/**'

/** Why these changed paths need a full build; undefined when a fast deploy can take them. */
export function fullBuildReason(changed: readonly string[]): string | undefined {
  const hit = changed.find((path) => (FULL_BUILD_FILES as readonly string[]).includes(path))
  return hit && `${hit} changed (the buildpack reads it)`
}

/** Why a manifest path can't be deployed (absolute, `..`, empty parts, `.git`); undefined when it is fine. */
export function unsafePathReason(path: string): string | undefined {
  if (path === '' || path.includes('\0')) return 'an empty path'
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path'
  const parts = path.split('/')
  if (parts.includes('..')) return 'a path leaving the app (..)'
  if (parts.some((part) => part === '' || part === '.')) return 'a path that is not in normal form'
  if (parts.includes('.git')) return 'a path inside .git'
  return undefined
}

/** Whether a link at `path` pointing at `target` leaves the app (an absolute target, or `..` past the root). */
export function linkLeavesApp(path: string, target: string): boolean {
  if (target.startsWith('/')) return true
  const resolved = posix.normalize(posix.join(posix.dirname(path), target))
  return resolved === '..' || resolved.startsWith('../')
}

/** A matcher for the static rule (gitignore syntax, one pattern per line or comma). */
export function staticMatcher(rule: string): (path: string) => boolean {
  const matcher = ignore().add(rule.split(/[\n,]/).map((line) => line.trim()).filter(Boolean))
  return (path) => matcher.ignores(path)
}

export interface ManifestDiff {
  /** new files, and files whose content or link target changed: their content is sent */
  changed: string[]
  /** files whose only change is their mode */
  modes: string[]
  deleted: string[]
}

/** What changed from `base` to `next`. */
export function diffManifests(base: SourceManifest, next: SourceManifest): ManifestDiff {
  const old = new Map(base.files.map((entry) => [entry.path, entry]))
  const changed: string[] = []
  const modes: string[] = []
  for (const entry of next.files) {
    const before = old.get(entry.path)
    old.delete(entry.path)
    if (!before || before.sha256 !== entry.sha256 || before.link !== entry.link || before.size !== entry.size) changed.push(entry.path)
    else if (before.mode !== entry.mode) modes.push(entry.path)
  }
  return { changed, modes, deleted: [...old.keys()].sort() }
}

/** `3 files changed`, `1 file changed, 2 deleted` */
export function describeDiff(diff: ManifestDiff): string {
  const parts: string[] = []
  const touched = diff.changed.length + diff.modes.length
  if (touched > 0 || diff.deleted.length === 0) parts.push(`${touched} ${touched === 1 ? 'file' : 'files'} changed`)
  if (diff.deleted.length > 0) parts.push(`${diff.deleted.length} deleted`)
  return parts.join(', ')
}

/**
 * A file's mode as tb deploy's archive carries it (node-tar's portable mode: owner read and
 * write added, group and other write dropped), so that both sides of a diff agree.
 */
export function portableMode(mode: number): number {
  return ((mode & 0o777) | 0o600) & ~0o022
}

/** The manifest of `paths` (files and symbolic links) under `dir`, in the order given; modes as portableMode. */
export async function manifestOf(dir: string, paths: readonly string[]): Promise<SourceManifest> {
  const files: ManifestEntry[] = []
  for (const path of paths) {
    const full = join(dir, path)
    const info = await lstat(full)
    if (info.isSymbolicLink()) {
      const link = await readlink(full)
      files.push({ path, size: 0, sha256: createHash('sha256').update(link).digest('hex'), mode: 0o777, link })
    } else if (info.isFile()) {
      files.push({ path, size: info.size, sha256: await sha256File(full), mode: portableMode(info.mode) })
    }
  }
  return { files }
}
