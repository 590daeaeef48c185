// Checksums of archives (sources, slugs): what a deploy sends, what a build checks and records.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** The hex SHA-256 of a file, read as a stream: archives can be large. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
