// tb ps:copy: a file of a running dyno's directory, and nothing outside it. A path is taken
// relative to the directory (an absolute one must lie inside it); `..` that climbs out, or a
// symlink on the way that leads out, is refused. The file is opened without following a final
// symlink and its real path checked again, so a swap between the check and the read leads nowhere.
import { constants, realpathSync, statSync } from 'node:fs'
import { open, readlink, type FileHandle } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { invalidParams, notFound } from '../errors.js'

export interface DynoFile {
  /** its real path, inside the dyno's directory */
  realPath: string
  /** as the client named it */
  path: string
  size: number
}

/** The regular file `path` names inside `dir`; invalid_params when it leads outside, not_found when there is none. */
export function findDynoFile(dir: string, path: string, dynoName: string): DynoFile {
  const outside = () => invalidParams(`${path} is outside ${dynoName}'s directory: tb ps:copy copies the dyno's own files (paths relative to its directory, e.g. log/app.log).`)
  if (path.trim() === '' || path.includes('\0')) throw invalidParams('Name the file to copy, relative to the dyno\'s directory.')
  const realDir = realpathSync(dir)
  const wanted = resolve(dir, path)
  if (!inside(dir, wanted) && !inside(realDir, wanted)) throw outside()
  let realPath: string
  try {
    realPath = realpathSync(wanted)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`${dynoName} has no file ${path}.`)
    throw err
  }
  if (!inside(realDir, realPath)) throw outside()
  const stats = statSync(realPath)
  if (!stats.isFile()) throw invalidParams(`${path} in ${dynoName} is not a file: tb ps:copy copies one file at a time.`)
  return { realPath, path, size: stats.size }
}

/** Opens the file for reading, checking again that it is still the one inside `dir`. */
export async function openDynoFile(dir: string, file: DynoFile): Promise<FileHandle> {
  const handle = await open(file.realPath, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`)
    if (!inside(realpathSync(dir), opened) || !(await handle.stat()).isFile()) throw invalidParams(`${file.path} changed into something outside the dyno's directory: copy it again.`)
    return handle
  } catch (err) {
    await handle.close()
    throw err
  }
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel)
}
