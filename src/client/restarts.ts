// tb ps:restart waits for what it asked: every restarted slot held by a fresh dyno that is up.
// The platform replaces each dyno by the app's deploy strategy; with bluegreen a fresh dyno
// that crashes is given up and the running one keeps its slot. Either way a failed restart is
// an error with the crashed dyno's last log lines, as a failed deploy is.
import { setTimeout as sleep } from 'node:timers/promises'
import type { ApiClient } from './api/client.js'
import type { Dyno } from './api/types.js'
import { TbError } from '../shared/errors.js'
import type { Session } from '../shared/io.js'
import { USER_AGENT } from '../shared/version.js'

export type RestartTarget = { dyno: string } | { type: string } | undefined

/** Heroku's boot timeout (60 s), the stop's grace and some room: a restart that takes longer is reported. */
const RESTART_WAIT_MS = 150_000
/** a slot in which no fresh dyno showed up this long after the request was given up by the platform at once */
const FIRST_SIGHT_MS = 5_000
const POLL_MS = 250
/** the platform stops a given-up fresh dyno at once (SIGKILL after the stop's grace at most) */
const GIVE_UP_WAIT_MS = 35_000
const TAIL_LINES = 10

/** The formation slots the restart touches (`web.1` …): one-offs are stopped, not restarted. */
export async function restartedSlots(api: ApiClient, app: string, target: RestartTarget): Promise<{ slots: string[]; before: Set<string> }> {
  const [formation, dynos] = await Promise.all([api.formation.list(app), api.dynos.list(app)])
  const all = formation.flatMap(({ type, quantity }) => Array.from({ length: quantity }, (_, i) => `${type}.${i + 1}`))
  const slots = !target ? all
    : 'type' in target ? all.filter((slot) => slot.startsWith(`${target.type}.`))
      : all.filter((slot) => slot === target.dyno || dynos.some((d) => d.id === target.dyno && d.name === slot))
  return { slots, before: new Set(dynos.map((dyno) => dyno.id)) }
}

/**
 * Resolves once every slot is held by one fresh dyno that is up; throws (after printing the
 * crashed dyno's last log lines to stderr) when a fresh dyno crashed or was given up.
 */
export async function awaitRestart(session: Pick<Session, 'stderr'>, api: ApiClient, app: string, slots: string[], before: Set<string>, done: (result?: string) => void, waitMs = RESTART_WAIT_MS): Promise<void> {
  const started = Date.now()
  const seenFresh = new Set<string>()
  let pending = slots
  while (pending.length > 0) {
    const dynos = await api.dynos.list(app)
    const failed = pending.map((slot) => slotState(slot, dynos, before, seenFresh, Date.now() - started)).find((state) => state.is === 'failed')
    if (failed?.is === 'failed') {
      if (failed.kept) await untilGivenUp(api, app, failed.slot, before)
      done('!')
      throw await restartFailure(session, api, app, failed.slot, failed.why)
    }
    pending = pending.filter((slot) => slotState(slot, dynos, before, seenFresh, Date.now() - started).is !== 'done')
    if (pending.length === 0) return done()
    if (Date.now() - started > waitMs) {
      done('!')
      throw new TbError(`${pending.join(', ')} did not come back up within ${Math.round(waitMs / 1000)} s of the restart.`, { hint: `See \`tb ps -a ${app}\` and \`tb logs -a ${app}\`.` })
    }
    await sleep(POLL_MS)
  }
}

/** failed: with `kept`, the running dyno keeps the slot (the platform retires the fresh one) */
type SlotState = { is: 'done' } | { is: 'waiting' } | { is: 'failed'; slot: string; why: string; kept: boolean }

function slotState(slot: string, dynos: Dyno[], before: Set<string>, seenFresh: Set<string>, elapsedMs: number): SlotState {
  const inSlot = dynos.filter((dyno) => dyno.name === slot)
  const fresh = inSlot.filter((dyno) => !before.has(dyno.id))
  if (fresh.length > 0) seenFresh.add(slot)
  const crashed = fresh.find((dyno) => dyno.state === 'crashed')
  const kept = inSlot.length > fresh.length
  if (crashed) return { is: 'failed', slot, why: `its fresh dyno crashed${kept ? `; the running ${slot} keeps serving` : ''}`, kept }
  if (fresh.length === 1 && inSlot.length === 1 && fresh[0].state === 'up') return { is: 'done' }
  // the platform gave the fresh dyno up (it crashed between two looks) and kept the old one
  const gaveUp = fresh.length === 0 && inSlot.length > 0 && (seenFresh.has(slot) || elapsedMs > FIRST_SIGHT_MS)
  if (gaveUp) return { is: 'failed', slot, why: `its fresh dyno did not come up; the running ${slot} keeps serving`, kept: true }
  return { is: 'waiting' }
}

/** Until the platform has retired the fresh dynos it gave up (bounded: it does so at once). */
async function untilGivenUp(api: ApiClient, app: string, slot: string, before: Set<string>): Promise<void> {
  const deadline = Date.now() + GIVE_UP_WAIT_MS
  while (Date.now() < deadline) {
    const dynos = await api.dynos.list(app)
    if (!dynos.some((dyno) => dyno.name === slot && !before.has(dyno.id))) return
    await sleep(POLL_MS)
  }
}

async function restartFailure(session: Pick<Session, 'stderr'>, api: ApiClient, app: string, slot: string, why: string): Promise<TbError> {
  const lines = await lastLines(api, app, slot).catch(() => [])
  if (lines.length > 0) session.stderr.write(lines.map((line) => `${line}\n`).join(''))
  return new TbError(`The restart of ${slot} failed: ${why}.`, { hint: `See \`tb logs -a ${app} -d ${slot}\`.` })
}

/** The dyno's newest log lines (its own and the platform's about it). */
async function lastLines(api: ApiClient, app: string, dyno: string): Promise<string[]> {
  const { readLineStream } = await import('./api/stream.js')
  const { logplex_url: url } = await api.logSessions.create(app, { dyno, lines: TAIL_LINES * 3, tail: false })
  const lines: string[] = []
  await readLineStream(url, { userAgent: USER_AGENT, signal: new AbortController().signal, follow: false, onLines: (received) => { lines.push(...received) } })
  return lines.filter((line) => !line.includes('heroku[router]')).slice(-TAIL_LINES)
}
