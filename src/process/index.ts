export * from './supervised.js'
export * from './status.js'
export * from './restart.js'
export * from './lines.js'
