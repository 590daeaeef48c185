export * from './procfile.js'
export * from './formation.js'
