// The platform's TLS certificate for rendezvous connections (tb run), self-signed for the
// loopback addresses, made with the openssl command at the first start and kept in TB_HOME
// (mode 0600). tb's client trusts exactly this certificate for a loopback attach URL; Heroku's
// CLI does once pointed at it (NODE_EXTRA_CA_CERTS=$TB_HOME/rendezvous-cert.pem).
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
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
    await execa('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', VALID_DAYS, '-subj', '/CN=tb platform rendezvous',
      '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      '-keyout', key, '-out', cert,
    ], { timeout: 30_000, stdin: 'ignore' })
    await chmod(key, 0o600)
    await chmod(cert, 0o600)
    await rename(key, rendezvousKeyPath(home))
    await rename(cert, rendezvousCertPath(home))
  } catch (err) {
    const failed = err as { code?: string; stderr?: string; shortMessage?: string; message: string }
    const reason = failed.code === 'ENOENT' ? 'the openssl command is not installed' : (failed.stderr?.trim() || failed.shortMessage || failed.message).split('\n')[0]
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
