// A dyno's filesystem: a fresh copy of its release's slug for every start, never shared.
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { extract } from 'tar'

/** Where dynos' directories live under the platform's home. */
export const dynosRoot = (home: string) => join(home, 'dynos')

export const dynoDir = (home: string, id: string) => join(dynosRoot(home), id)

/** Empties `dir` and unpacks the slug archive into it. Entries leaving the directory are refused by node-tar. */
export async function unpackSlug(archive: string, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await extract({ file: archive, cwd: dir, preserveOwner: false, strict: true })
}
