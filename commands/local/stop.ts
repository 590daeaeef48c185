import { localControlCommand } from './control.js'

export default localControlCommand('stop', 'Stop one process type (or one instance) of a running tb local start, leaving the others running', [
  ['tb local:stop worker', 'stop every worker; web keeps running'],
  ['tb local:stop web.2', 'stop one instance'],
])
