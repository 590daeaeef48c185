// Finding an app by name or id: the one lookup every service starts from.
import { isUuid } from '../../shared/ids.js'
import { notFound } from '../errors.js'
import type { App } from '../model.js'
import type { Store } from '../store/index.js'

/** The app named or identified by `identity`; 404 when there is none. */
export function findApp(store: Store, identity: string): App {
  const app = isUuid(identity) ? store.apps.byId(identity.toLowerCase()) : store.apps.byName(identity)
  if (!app) throw notFound("Couldn't find that app.")
  return app
}
