import { localControlCommand } from './control.js'

export default localControlCommand('restart', 'Restart one process type (or one instance) of a running tb local start', [
  ['tb local:restart web', 'stop web.1, web.2, … and start them again; the others keep running'],
  ['tb local:restart worker.2', 'restart one instance'],
])
