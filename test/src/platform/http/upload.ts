import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { receiveFile, UploadCutOffError, UploadTooLargeError } from '../../../../src/platform/http/upload.js'
import { within } from '../../../fixtures/deadline.js'
import { startDyno } from '../../../fixtures/router.js'
import { tempDir } from '../../../fixtures/tb.js'

/** A server that receives each request's body into `dest` (limit `maxBytes`) and answers with the outcome. */
async function receiver(t: Test, dest: string, maxBytes: number) {
  const outcomes: unknown[] = []
  let settled!: () => void
  const first = new Promise<void>((resolve) => (settled = resolve))
  let arrived!: () => void
  const bytesArrived = new Promise<void>((resolve) => (arrived = resolve))
  const { backend } = await startDyno(t, 'upload', (req, res) => {
    req.once('data', () => arrived())
    receiveFile(req, dest, maxBytes).then(
      (file) => {
        outcomes.push(file)
        res.end(JSON.stringify(file))
      },
      (err: Error) => {
        outcomes.push(err)
        res.writeHead(err instanceof UploadTooLargeError ? 413 : 500)
        res.end(err.constructor.name)
      },
    ).finally(settled)
  })
  const put = async (body: Buffer) => {
    const res = await fetch(`http://127.0.0.1:${backend.port}/`, { method: 'PUT', body: new Uint8Array(body), signal: AbortSignal.timeout(5000) })
    return { status: res.status, text: await res.text() }
  }
  return { port: backend.port, put, outcomes, first, bytesArrived }
}

t.test('the body is written to the file (0600), counted and hashed', async (t) => {
  const dest = join(tempDir(t), 'source.tgz')
  const { put } = await receiver(t, dest, 1024 * 1024)
  const body = Buffer.from('x'.repeat(200_000) + 'end')
  const sha256 = createHash('sha256').update(body).digest('hex')
  const res = await put(body)
  t.strictSame(JSON.parse(res.text), { size: body.length, sha256 })
  t.strictSame(readFileSync(dest), body)
  t.equal(statSync(dest).mode & 0o777, 0o600)
})

t.test('an empty body makes an empty file', async (t) => {
  const dest = join(tempDir(t), 'empty.tgz')
  const { put } = await receiver(t, dest, 10)
  t.strictSame(JSON.parse((await put(Buffer.alloc(0))).text), { size: 0, sha256: createHash('sha256').digest('hex') })
  t.equal(readFileSync(dest).length, 0)
})

t.test('a body over the limit: nothing kept, and the client still gets its answer', async (t) => {
  const dest = join(tempDir(t), 'big.tgz')
  const { put, outcomes } = await receiver(t, dest, 1000)
  t.strictSame(await put(Buffer.alloc(1000, 1)), { status: 200, text: JSON.stringify({ size: 1000, sha256: createHash('sha256').update(Buffer.alloc(1000, 1)).digest('hex') }) }, 'exactly the limit')
  const again = join(tempDir(t), 'big2.tgz')
  const second = await receiver(t, again, 1000)
  t.strictSame(await second.put(Buffer.alloc(300_000, 2)), { status: 413, text: 'UploadTooLargeError' })
  t.notOk(existsSync(again), 'the partial file is removed')
  t.type(second.outcomes[0], UploadTooLargeError)
  t.equal((second.outcomes[0] as Error).message, 'The body is larger than 1000 bytes')
  t.equal(outcomes.length, 1)
})

t.test('a file already at the destination is someone else\'s: refused and left alone', async (t) => {
  const dest = join(tempDir(t), 'taken.tgz')
  writeFileSync(dest, 'theirs')
  const { put, outcomes } = await receiver(t, dest, 1000)
  t.equal((await put(Buffer.from('mine'))).status, 500)
  t.match(outcomes[0], { code: 'EEXIST' })
  t.equal(readFileSync(dest, 'utf8'), 'theirs')
})

t.test('a body cut off by the client: nothing kept', async (t) => {
  const dest = join(tempDir(t), 'cut.tgz')
  const { port, outcomes, first, bytesArrived } = await receiver(t, dest, 1_000_000)
  const req = request({ port, method: 'PUT', headers: { 'Content-Length': '100000' } })
  req.on('error', () => {})
  req.write(Buffer.alloc(1000))
  // once the server has the first bytes, the client goes away
  await within(5000, 'the first bytes at the server', bytesArrived)
  req.destroy()
  await within(5000, 'receiveFile to give up', first)
  t.type(outcomes[0], UploadCutOffError)
  t.equal((outcomes[0] as Error).message, 'The upload was cut off')
  t.notOk(existsSync(dest))
})
