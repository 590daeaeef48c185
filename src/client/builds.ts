// What the builds commands share.
import type { ApiClient } from './api/client.js'
import type { Build } from './api/types.js'
import { TbError } from '../shared/errors.js'

/** The app's newest build; an error when it has none. */
export async function latestBuild(api: ApiClient, app: string): Promise<Build> {
  const [newest] = await api.builds.list(app, { max: 1 })
  if (!newest) throw new TbError(`${app} has no builds.`, { hint: `Deploy it with \`tb deploy -a ${app}\`.` })
  return newest
}
