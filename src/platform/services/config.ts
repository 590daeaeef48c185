// Config vars: the current release's snapshot; every change is a new release.
import { envEntryProblem } from '../../process/environment.js'
import { invalidParams } from '../errors.js'
import type { ConfigVars } from '../model.js'
import type { Store } from '../store/index.js'
import { findApp } from './lookup.js'
import type { ReleasesService } from './releases.js'

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Heroku's limit: all keys and values of an app together. */
export const CONFIG_SIZE_LIMIT = 32 * 1024

export class ConfigService {
  constructor(private readonly store: Store, private readonly releases: ReleasesService) {}

  get(appIdentity: string): ConfigVars {
    return this.store.transaction(() => this.releases.current(findApp(this.store, appIdentity).id).config)
  }

  /**
   * Applies `{KEY: "value", OTHER: null}` (null removes) and returns the whole new config.
   * Makes one release unless the patch changes nothing (`{}`, or only removes absent keys).
   */
  update(appIdentity: string, patch: Record<string, unknown>): ConfigVars {
    const sets: ConfigVars = {}
    const removes: string[] = []
    for (const [key, value] of Object.entries(patch)) {
      if (!KEY_PATTERN.test(key)) {
        throw invalidParams(`Config var name ${JSON.stringify(key)} is invalid: use letters, digits and underscores, not starting with a digit.`)
      }
      if (value === null) removes.push(key)
      else if (typeof value === 'string') sets[key] = receivable(key, value)
      else throw invalidParams(`Config var ${key} must be a string (or null to remove it), not ${describe(value)}.`)
    }
    return this.store.transaction(() => {
      const app = findApp(this.store, appIdentity)
      const current = this.releases.current(app.id)
      const config: ConfigVars = { ...current.config, ...sets }
      const removed = removes.filter((key) => key in config)
      for (const key of removed) delete config[key]
      const setKeys = Object.keys(sets)
      if (setKeys.length === 0 && removed.length === 0) return current.config
      const size = configSize(config)
      if (size > CONFIG_SIZE_LIMIT) {
        throw invalidParams(`Config vars are limited to 32 KB in total (keys and values); this change would make them ${(size / 1024).toFixed(1)} KB.`)
      }
      this.releases.append(app.id, { slugId: current.slugId, config, description: describeChange(setKeys, removed) })
      return config
    })
  }
}

/** A value every dyno of the release could start with: checked here, since none could once it is released. */
function receivable(key: string, value: string): string {
  const problem = envEntryProblem(key, value)
  if (problem) throw invalidParams(`Config var ${key} ${problem}: no dyno could start with it.`)
  return value
}

export function configSize(config: ConfigVars): number {
  let bytes = 0
  for (const [key, value] of Object.entries(config)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value)
  return bytes
}

/** `Set A, B config vars`, `Remove C config vars`, `Set A and remove C config vars` */
function describeChange(set: string[], removed: string[]): string {
  if (removed.length === 0) return `Set ${set.join(', ')} config vars`
  if (set.length === 0) return `Remove ${removed.join(', ')} config vars`
  return `Set ${set.join(', ')} and remove ${removed.join(', ')} config vars`
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}
