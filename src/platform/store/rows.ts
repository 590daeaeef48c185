// A table's lookups: its SELECT once, each lookup a WHERE/ORDER clause after it, each row turned
// into the model by one mapper. Prepared when the store opens, so a typo fails at start.
import type { Database } from 'better-sqlite3'

export interface Lookups<T> {
  /** the first row the clause selects, as the model; undefined when there is none */
  one<P extends unknown[]>(clause: string): (...params: P) => T | undefined
  /** every row the clause selects, as models, in its order */
  all<P extends unknown[]>(clause: string): (...params: P) => T[]
}

export function lookups<Row, T>(db: Database, select: string, toModel: (row: Row) => T): Lookups<T> {
  return {
    one<P extends unknown[]>(clause: string) {
      const statement = db.prepare<P, Row>(`${select} ${clause}`)
      return (...params: P) => {
        const row = statement.get(...params)
        return row === undefined ? undefined : toModel(row)
      }
    },
    all<P extends unknown[]>(clause: string) {
      const statement = db.prepare<P, Row>(`${select} ${clause}`)
      return (...params: P) => statement.all(...params).map(toModel)
    },
  }
}
