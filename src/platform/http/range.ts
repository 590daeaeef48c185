// List paging with Heroku's Range header: `<attr> [start]..[end][; max=N, order=asc|desc]`,
// `]` before start making it exclusive. Parsed loosely, as real clients write it:
// `version ..; order=desc,max=1`, `version ..; max=15, order=desc`, `id ..; max=200;`, ``.
import { PlatformError } from '../errors.js'

export const DEFAULT_PAGE = 200
export const MAX_PAGE = 1000

export interface Range {
  attribute: string
  start?: string
  startExclusive: boolean
  end?: string
  max: number
  order: 'asc' | 'desc'
}

export interface Page<T> {
  items: T[]
  /** 206 when more items follow */
  status: 200 | 206
  contentRange?: string
  nextRange?: string
}

const unsatisfiable = (message: string) => new PlatformError('requested_range_not_satisfiable', message)

/** `attributes[0]` is the default sort when the header is absent or names no attribute. */
export function parseRange(header: string | undefined, attributes: readonly string[]): Range {
  const range: Range = { attribute: attributes[0], startExclusive: false, max: DEFAULT_PAGE, order: 'asc' }
  const text = header?.trim() ?? ''
  if (text === '') return range
  const semicolon = text.indexOf(';')
  const spec = (semicolon < 0 ? text : text.slice(0, semicolon)).trim()
  const options = semicolon < 0 ? '' : text.slice(semicolon + 1)

  const m = /^([A-Za-z_][\w-]*)\s*(.*)$/.exec(spec)
  if (!m) throw unsatisfiable(`Invalid Range header ${JSON.stringify(text)}: use e.g. "${attributes[0]} ..; max=10, order=desc".`)
  if (!attributes.includes(m[1])) {
    throw unsatisfiable(`This list can't be ranged by ${m[1]}: use one of ${attributes.join(', ')}.`)
  }
  range.attribute = m[1]
  const bounds = m[2].trim()
  if (bounds !== '') {
    const dots = bounds.indexOf('..')
    if (dots < 0) throw unsatisfiable(`Invalid Range header ${JSON.stringify(text)}: the bounds must read start..end (either may be empty).`)
    let start = bounds.slice(0, dots).trim()
    if (start.startsWith(']')) {
      range.startExclusive = true
      start = start.slice(1).trim()
    }
    const end = bounds.slice(dots + 2).trim()
    if (start !== '') range.start = start
    if (end !== '') range.end = end
  }

  for (const option of options.split(/[;,]/)) {
    if (option.trim() === '') continue
    const kv = /^\s*(\w+)\s*=\s*(\S*)\s*$/.exec(option)
    if (!kv) throw unsatisfiable(`Invalid Range option ${JSON.stringify(option.trim())}: use max=N or order=asc|desc.`)
    const [, key, value] = kv
    if (key === 'max') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw unsatisfiable(`Invalid Range max ${JSON.stringify(value)}: use a whole number from 1.`)
      range.max = Math.min(Number(value), MAX_PAGE)
    } else if (key === 'order') {
      const order = value.toLowerCase()
      if (order !== 'asc' && order !== 'desc') throw unsatisfiable(`Invalid Range order ${JSON.stringify(value)}: use asc or desc.`)
      range.order = order
    }
    // other options are not ours to interpret; ignoring them keeps odd clients working
  }
  return range
}

/** A bound of the range, for an attribute that is a number: 416 when it is not one. */
export function numericBound(range: Range, text: string): number {
  const n = Number(text)
  if (!Number.isFinite(n)) throw unsatisfiable(`Invalid Range bound ${JSON.stringify(text)}: ${range.attribute} is a number.`)
  return n
}

/** Sorts, bounds and cuts `items` by the range; the items carry the range attribute as a field. */
export function applyRange<T extends object>(items: T[], range: Range): Page<T> {
  const key = range.attribute
  const valueOf = (item: T) => (item as Record<string, unknown>)[key] as string | number
  const numeric = items.length > 0 && typeof valueOf(items[0]) === 'number'
  const bound = (text: string) => (numeric ? numericBound(range, text) : text)
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)
  const direction = range.order === 'desc' ? -1 : 1

  const sorted = [...items].sort((a, b) => direction * compare(valueOf(a), valueOf(b)))
  const inRange = sorted.filter((item) => {
    const value = valueOf(item)
    if (range.start !== undefined) {
      const c = direction * compare(value, bound(range.start))
      if (c < 0 || (c === 0 && range.startExclusive)) return false
    }
    if (range.end !== undefined && direction * compare(value, bound(range.end)) > 0) return false
    return true
  })
  const page = inRange.slice(0, range.max)
  const result: Page<T> = { items: page, status: inRange.length > page.length ? 206 : 200 }
  if (page.length > 0) {
    const first = valueOf(page[0])
    const last = valueOf(page.at(-1)!)
    result.contentRange = `${key} ${first}..${last}; max=${range.max}, order=${range.order}`
    if (result.status === 206) result.nextRange = `${key} ]${last}..${range.end ?? ''}; max=${range.max}, order=${range.order}`
  }
  return result
}
