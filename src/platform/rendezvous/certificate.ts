// The platform's TLS certificate for rendezvous connections (tb run), self-signed for the
// loopback addresses, made with the openssl command at the first start and kept in TB_HOME
// (mode 0600). tb's client trusts exactly this certificate for a loopback attach URL; Heroku's
// CLI does once pointed at it (NODE_EXTRA_CA_CERTS=$TB_HOME/rendezvous-cert.pem).
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { rendezvousCertPath, rendezvousKeyPath } from '../../shared/platform-state.js'


export interface Certificate {
  key: Buffer
  cert: Buffer
}

/** Ten years: a local platform's certificate should never be what stops `tb run`. */
const VALID_DAYS = '3650'

export async function ensureRendezvousCertificate(home: string): Promise<Certificate> {
  const existing = await readCertificate(home)
  if (existing) return existing
  await mkdir(home, { recursive: true, mode: 0o700 })
  // made aside and renamed into place, the certificate last: whoever finds it finds its key too
  const scratch = await mkdtemp(join(home, '.rendezvous-'))
  try {
    const key = join(scratch, 'key.pem')
    const cert = join(scratch, 'cert.pem')
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', VALID_DAYS, '-subj', '/CN=tb platform rendezvous',
      '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      '-keyout', key, '-out', cert,
    ], { timeout: 30_000 })
    await chmod(key, 0o600)
    await chmod(cert, 0o600)
    await rename(key, rendezvousKeyPath(home))
    await rename(cert, rendezvousCertPath(home))
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the openssl command is not installed' : (err as Error).message.split('\n')[0]
    throw new Error(`could not make the TLS certificate for tb run: ${reason}`, { cause: err })
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
  return (await readCertificate(home))!
}

async function readCertificate(home: string): Promise<Certificate | undefined> {
  try {
    return { cert: await readFile(rendezvousCertPath(home)), key: await readFile(rendezvousKeyPath(home)) }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
