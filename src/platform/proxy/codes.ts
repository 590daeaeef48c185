// Heroku's router error codes (https://devcenter.heroku.com/articles/error-codes), the router log
// line they appear in, and the pages a visitor sees instead of the app.

export type RouterCode =
  | 'H10' | 'H12' | 'H13' | 'H14' | 'H17' | 'H18' | 'H20' | 'H21' | 'H26' | 'H27' | 'H80' | 'H81' | 'H99'

type Page = 'application' | 'maintenance' | 'blank' | 'bad-request' | 'none'

interface CodeInfo {
  desc: string
  /** Heroku logs maintenance, blank apps and clients hanging up as info, the rest as errors */
  at: 'info' | 'error'
  status: number
  page: Page
}

export const ROUTER_CODES: Record<RouterCode, CodeInfo> = {
  H10: { desc: 'App crashed', at: 'error', status: 503, page: 'application' },
  H12: { desc: 'Request timeout', at: 'error', status: 503, page: 'application' },
  H13: { desc: 'Connection closed without response', at: 'error', status: 503, page: 'application' },
  H14: { desc: 'No web processes running', at: 'error', status: 503, page: 'application' },
  H17: { desc: 'Poorly formatted HTTP response', at: 'error', status: 503, page: 'application' },
  H18: { desc: 'Server Request Interrupted', at: 'error', status: 503, page: 'application' },
  H20: { desc: 'App boot timeout', at: 'error', status: 503, page: 'application' },
  H21: { desc: 'Backend connection refused', at: 'error', status: 503, page: 'application' },
  H26: { desc: 'Request Error', at: 'error', status: 400, page: 'bad-request' },
  H27: { desc: 'Client Request Interrupted', at: 'info', status: 499, page: 'none' },
  H80: { desc: 'Maintenance mode', at: 'info', status: 503, page: 'maintenance' },
  H81: { desc: 'Blank app', at: 'info', status: 503, page: 'blank' },
  H99: { desc: 'Platform error', at: 'error', status: 503, page: 'application' },
}

export interface RouterLogEntry {
  code?: RouterCode
  method: string
  path: string
  host: string
  requestId: string
  fwd: string
  /** absent when no dyno took the request: Heroku then prints the timing fields empty */
  dyno?: string
  connectMs?: number
  serviceMs?: number
  status: number
  bytes?: number
}

// most values have no quote: String#replaceAll costs a call into the runtime even then
const quoted = (value: string) => `"${value.includes('"') ? value.replaceAll('"', '%22') : value}"`
const ms = (value: number | undefined) => (value === undefined ? '' : `${Math.round(value)}ms`)

/** `at=info method=GET path="/" host=… request_id=… fwd="…" dyno=web.1 connect=0ms service=3ms status=200 bytes=512 protocol=http` */
export function routerLogLine(entry: RouterLogEntry): string {
  const head = entry.code
    ? `at=${ROUTER_CODES[entry.code].at} code=${entry.code} desc="${ROUTER_CODES[entry.code].desc}"`
    : 'at=info'
  return `${head} method=${entry.method} path=${quoted(entry.path)} host=${entry.host} ` +
    `request_id=${entry.requestId} fwd=${quoted(entry.fwd)} dyno=${entry.dyno ?? ''} ` +
    `connect=${ms(entry.connectMs)} service=${ms(entry.serviceMs)} status=${entry.status} ` +
    `bytes=${entry.bytes ?? ''} protocol=http`
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

function document(title: string, heading: string, paragraphs: string[]): string {
  return '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${title}</title>\n` +
    '<style>body{font-family:system-ui,sans-serif;margin:0;padding:15vh 1.5rem;color:#3f3f44;text-align:center}' +
    'h1{font-size:1.6rem;font-weight:600}p{max-width:34rem;margin:1rem auto;line-height:1.5}' +
    'code{background:#f3f3f5;padding:.1rem .3rem;border-radius:3px}</style>\n</head>\n<body>\n' +
    `<h1>${heading}</h1>\n${paragraphs.map((p) => `<p>${p}</p>\n`).join('')}</body>\n</html>\n`
}

/** The page for a code, or undefined when nobody is left to read one (H27). */
export function errorPage(code: RouterCode, appName?: string): string | undefined {
  const app = escapeHtml(appName ?? 'APP')
  switch (ROUTER_CODES[code].page) {
    case 'application':
      return document('Application Error', 'Application error', [
        'An error occurred in the application and your page could not be served. If you are the ' +
          'application owner, check your logs for details. You can do this from the tb CLI with the ' +
          `command <code>tb logs --tail -a ${app}</code>`,
      ])
    case 'maintenance':
      return document('Offline for Maintenance', 'Offline for maintenance',
        ['This app is undergoing maintenance right now. Please check back later.'])
    case 'blank':
      return document('Welcome to your new app!', 'Welcome to your new app!', [
        `<code>${app}</code> has no release with code yet. Deploy it with ` +
          '<code>git push tb main</code> or <code>tb deploy</code>.',
      ])
    case 'bad-request':
      return document('Bad Request', 'Bad request', ['The router could not forward this request to the app.'])
    case 'none':
      return undefined
  }
}

/** Heroku answers a hostname no app owns with a 404 "There's nothing here, yet." */
export function noSuchAppPage(hostname: string | undefined, routerPort: number): string {
  return document('No such app', "There's nothing here, yet.", [
    hostname
      ? `No app answers at <code>${escapeHtml(hostname)}</code>. Create one with ` +
        `<code>tb apps:create NAME</code>, then open <code>http://NAME.localhost:${routerPort}</code>, or attach this ` +
        'hostname with <code>tb domains:add</code>.'
      : `The request named no host. Open an app at <code>http://NAME.localhost:${routerPort}</code>.`,
  ])
}
