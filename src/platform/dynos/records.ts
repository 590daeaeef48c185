// The dynos table: each dyno's row, written when the dyno is created (before any process of it
// is spawned), so a daemon started after a killed one knows what it ran (see recovery.ts, which
// finds the processes by their markers, row or not). A write that fails is reported, never
// thrown: the dyno it records runs on, and the row catches up at its next state change.
import type { Dyno } from '../model.js'
import type { Store } from '../store/index.js'
import { reportUnexpected } from '../unexpected.js'

export class DynoRecords {
  constructor(private readonly store: Store) {}

  /** Every row, oldest first: what a starting daemon finds of the previous one. */
  all(): Dyno[] {
    return this.store.dynos.all()
  }

  save(dyno: Dyno): void {
    try {
      this.store.dynos.save(dyno)
    } catch (err) {
      reportUnexpected(`${describeDyno(dyno)}: could not record its state (${dyno.state})`, err)
    }
  }

  delete(dyno: Dyno): void {
    try {
      this.store.dynos.delete(dyno.id)
    } catch (err) {
      reportUnexpected(`${describeDyno(dyno)}: could not remove its record`, err)
    }
  }
}

/** `dyno web.1 (id) of app <app id>`: which dyno a line in the platform's log is about. */
export function describeDyno(dyno: Pick<Dyno, 'id' | 'name' | 'appId'>): string {
  return `dyno ${dyno.name} (${dyno.id}) of app ${dyno.appId}`
}
