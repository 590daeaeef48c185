// The build pipeline, source tarball → slug. Use:
//   const { entries } = await extractSource({ tarball, dest: buildDir })
//   const slug = await build({ sourceDir: buildDir, cacheDir, env: configVars, onOutput })
// then remove buildDir; failures are BuildErrors with a one-line message.
export * from './errors.js'
export * from './extract.js'
export * from './buildpacks.js'
export * from './build.js'
export * from './slug-archive.js'
export * from './fast.js'
export * from './slugignore.js'
