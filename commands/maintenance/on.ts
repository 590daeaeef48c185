import { maintenanceCommand } from './toggle.js'

export default maintenanceCommand(true)
