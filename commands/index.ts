// Every command module, listed statically so the bundle sees them all (no directory scanning).
import type { CommandModule } from '../src/command.js'
import completions from './completions/index.js'
import platformStart from './platform/start.js'
import platformStatus from './platform/status.js'
import platformStop from './platform/stop.js'
import version from './version.js'

export const commands = [
  completions,
  platformStart,
  platformStatus,
  platformStop,
  version,
] as CommandModule<never>[]
