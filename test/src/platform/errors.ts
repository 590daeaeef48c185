import t from 'tap'
import { conflict, invalidParams, notFound, PlatformError } from '../../../src/platform/errors.js'

t.test('each helper makes a PlatformError with its id and the message', async (t) => {
  for (const [make, id] of [[notFound, 'not_found'], [invalidParams, 'invalid_params'], [conflict, 'conflict']] as const) {
    const err = make('what happened')
    t.type(err, PlatformError)
    t.type(err, Error)
    t.strictSame({ name: err.name, id: err.id, message: err.message }, { name: 'PlatformError', id, message: 'what happened' })
  }
})
