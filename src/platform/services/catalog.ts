// The fixed things this platform offers: one region, one stack, Heroku's dyno sizes.
// Their ids are constants so they are the same on every machine and across restarts.

export interface Named {
  id: string
  name: string
}

/** Dynos run on this machine. */
export const REGION: Named = { id: '8f9ecae1-f78e-4fb9-85aa-bd8d646c8586', name: 'local' }

/** Slugs are built and run with this machine's own tools (no container image). */
export const STACK: Named = { id: '73398b65-d07f-4be1-9ea8-c549c5a201ae', name: 'local' }

/** Heroku's slug + buildpack + dyno model, which this platform follows. */
export const GENERATION: Named = { id: '00b32b8e-8348-464e-b2ff-1b0d85f69f45', name: 'cedar' }

export const DYNO_SIZES: readonly Named[] = [
  { id: '52c81b9d-836b-4fed-b8ef-656aab62bcb1', name: 'Eco' },
  { id: '75fa8350-fadc-4311-806b-8ed48bb09c38', name: 'Basic' },
  { id: '13c67f19-0abe-4710-8051-db4a5045414d', name: 'Standard-1X' },
  { id: '6a3891c5-15de-44ad-a8c6-340ed31db45e', name: 'Standard-2X' },
  { id: '57d932bb-3059-4bac-aa83-f850fc9c9bb9', name: 'Performance-M' },
  { id: '378cef7f-6268-414c-bd41-75583a3f2afd', name: 'Performance-L' },
]

export const DEFAULT_DYNO_SIZE = 'Basic'

/** A dyno size by id or by name in any case (`standard-1x`, `Standard-1X`). */
export function findDynoSize(identity: string): Named | undefined {
  const wanted = identity.trim().toLowerCase()
  return DYNO_SIZES.find((size) => size.id === wanted || size.name.toLowerCase() === wanted)
}

/** A region or stack named by id or name, as a create request may send it. */
export function matches(thing: Named, identity: string): boolean {
  return identity === thing.id || identity.toLowerCase() === thing.name
}
