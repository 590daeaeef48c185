// .slugignore on the platform: a source that still holds what the app's .slugignore lists (a git
// push archives the whole commit; tb deploy leaves them out already) loses those files after its
// extraction, before the buildpack runs and before its manifest is taken, as on Heroku.
import { lstat, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { SLUGIGNORE, slugignoreMatcher } from '../../shared/slugignore.js'
import { BuildError } from './errors.js'
import { treeFiles } from './fast.js'

/** Removes the files of the extracted app in `appDir` that its .slugignore lists; how many went. */
export async function applySlugignore(appDir: string): Promise<number> {
  const at = join(appDir, SLUGIGNORE)
  const info = await lstat(at).catch(() => undefined)
  if (!info) return 0
  // a link could point anywhere on the platform's disk
  if (!info.isFile()) throw new BuildError('.slugignore is not a regular file: make it one, or remove it')
  const ignored = slugignoreMatcher(await readFile(at, 'utf8'))
  const removed = (await treeFiles(appDir)).filter(ignored)
  for (const path of removed) await rm(join(appDir, path), { force: true })
  return removed.length
}
