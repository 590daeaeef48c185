// The client side of `tb deploy [DIR]`: packs the app directory into a .tar.gz source for the
// platform's builds API.
//
//   packSource({ dir, outFile?, only? }) → Promise<{ path, size, sha256, files }>
//   sourceFiles(dir) → Promise<string[]>   (what packSource packs; tb deploy --fast hashes them)
//
// Which files:
// - In a git repository: what git considers part of the project, from `git ls-files -z --cached
//   --others --exclude-standard` — tracked files plus new ones not yet added, never what
//   .gitignore excludes (node_modules, .env). Deploying from the working tree means an edit is
//   deployed before it is committed, like `heroku builds:create`; ignored files stay home.
//   Tracked files deleted from the working tree are skipped; a submodule's files are included.
// - Elsewhere: every file under DIR.
// - Never anything inside a `.git` directory; minus what `.slugignore` (gitignore syntax, at the
//   root of DIR) lists, as Heroku does before a build.
// Symbolic links are packed as links. A link with an absolute target or one resolving outside DIR
// is refused: the platform would refuse it too, and its target would not be there anyway.
// Paths in the archive are relative to DIR (`./server.js`); modes (exec bits) are kept, owners not.
// The archive is written to `outFile`, by default a new file in the temp dir the caller removes.
import { randomUUID } from 'node:crypto'
import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path'
import { execa } from 'execa'
import { create as createTar } from 'tar'
import { sha256File } from '../../shared/checksum.js'
import { HARD_LINK_SAFE_PACK } from '../../shared/tar-pack.js'
import { TbError, UsageError } from '../../shared/errors.js'
import { describeReadError } from '../../shared/file-errors.js'
import { SLUGIGNORE, slugignoreMatcher } from '../../shared/slugignore.js'
import { findGitDir } from '../git.js'

export interface PackOptions {
  /** the app directory */
  dir: string
  /** pack these (from sourceFiles) instead of every file (tb deploy --fast: the changed ones) */
  only?: string[]
  /** where to write the archive (default: a new file in the system temp dir) */
  outFile?: string
}

export interface PackResult {
  /** the .tar.gz written */
  path: string
  /** its size in bytes */
  size: number
  /** hex SHA-256 of the archive */
  sha256: string
  /** the packed paths, relative to the app directory, sorted */
  files: string[]
}

export async function packSource(opts: PackOptions): Promise<PackResult> {
  const dir = resolve(opts.dir)
  const files = opts.only ?? (await sourceFiles(opts.dir))
  const path = opts.outFile ?? join(tmpdir(), `tb-source-${randomUUID()}.tar.gz`)
  // `./` keeps node-tar from reading a file named `@x` as "append the archive x"
  await createTar({ gzip: true, file: path, cwd: dir, portable: true, noDirRecurse: true, ...HARD_LINK_SAFE_PACK }, files.map(rel => `./${rel}`))
  const size = (await stat(path)).size
  return { path, size, sha256: await sha256File(path), files }
}

/** The files `tb deploy` sends from `dirName` (see the top of this file), relative to it, sorted. */
export async function sourceFiles(dirName: string): Promise<string[]> {
  const dir = resolve(dirName)
  const info = await stat(dir).catch(() => undefined)
  if (!info) throw new UsageError(`${dirName} does not exist`)
  if (!info.isDirectory()) throw new UsageError(`${dirName} is not a directory`)

  const listed = findGitDir(dir) ? await gitFiles(dir) : await walk(dir, '')
  const slugignore = await readSlugignore(dir)
  const candidates = [...new Set(listed)].filter(rel => !rel.split('/').includes('.git') && !slugignore?.(rel))

  const files: string[] = []
  for (const rel of candidates.sort()) {
    const st = await lstat(join(dir, rel)).catch(() => undefined)
    if (!st) continue // tracked by git but deleted from the working tree
    if (st.isSymbolicLink()) {
      await assertLinkInside(dir, rel)
      files.push(rel)
    } else if (st.isDirectory()) {
      // a git submodule: ls-files names only its directory
      const inner = (await walk(dir, rel)).filter(path => !slugignore?.(path))
      files.push(...inner)
    } else if (st.isFile()) {
      files.push(rel)
    }
  }
  if (files.length === 0) throw new TbError(`No files to deploy in ${dirName}`, { hint: 'Add your app files (and check .gitignore and .slugignore)' })
  return files.sort()
}

/** Tracked and untracked-but-not-ignored files under `dir`, relative to it. */
async function gitFiles(dir: string): Promise<string[]> {
  try {
    const { stdout } = await execa('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      stripFinalNewline: false,
    })
    return stdout.split('\0').filter(Boolean)
  } catch (err) {
    const e = err as { code?: string; stderr?: string; shortMessage?: string }
    if (e.code === 'ENOENT') {
      throw new TbError(`${dir} is a git repository, but git is not installed`, {
        hint: 'Install git, so that only the files git tracks are deployed',
        cause: err,
      })
    }
    const reason = e.stderr?.trim().split('\n')[0] || e.shortMessage || String(err)
    throw new TbError(`Cannot list the files of the git repository in ${dir}: ${reason}`, { cause: err })
  }
}

/** Every file and symlink under `dir/sub`, relative to `dir`, without descending into `.git` or through links. */
async function walk(dir: string, sub: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(join(dir, sub), { withFileTypes: true })
  for (const entry of entries) {
    const rel = sub === '' ? entry.name : `${sub}/${entry.name}`
    if (entry.isDirectory()) {
      if (entry.name !== '.git') out.push(...(await walk(dir, rel)))
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push(rel)
    }
  }
  return out
}

async function readSlugignore(dir: string): Promise<((path: string) => boolean) | undefined> {
  let text: string
  try {
    text = await readFile(join(dir, SLUGIGNORE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new TbError(`Cannot read .slugignore: ${describeReadError(err)}.`, { cause: err })
  }
  return slugignoreMatcher(text)
}

/** Refuses a link whose target is absolute or, lexically or through other links, leaves `dir`. */
async function assertLinkInside(dir: string, rel: string): Promise<void> {
  const target = await readlink(join(dir, rel))
  const refuse = () =>
    new TbError(`Refusing to deploy ${rel}: it is a symbolic link to ${target}, outside the app`, {
      hint: 'Replace the link with a copy of what it points to, or list it in .slugignore',
    })
  if (isAbsolute(target)) throw refuse()
  const lexical = posix.normalize(posix.join(posix.dirname(rel), target))
  if (lexical === '..' || lexical.startsWith('../')) throw refuse()
  // the link may still leave the app through another link on its way; the target may not exist
  const real = await realpath(join(dir, rel)).catch(() => undefined)
  if (real === undefined) return
  const inside = relative(await realpath(dir), real)
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw refuse()
}
