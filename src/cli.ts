// The only file that touches process.argv and the exit code. `tb --version` answers here,
// before anything else is loaded, so it starts as fast as bare Node.
declare const TB_VERSION: string

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`tb/${TB_VERSION} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // undici parses HTTP with a WebAssembly module; V8's optimising tier-up of it runs in the
  // background and holds the process ~100 ms at exit. A CLI makes a handful of requests:
  // the baseline compiler is plenty, and exits at once.
  const { setFlagsFromString } = await import('node:v8')
  setFlagsFromString('--liftoff-only')
  // A reader that went away (`tb apps | head`) is no error: stop quietly. A command with its
// own handler (tb local start, which must stop its processes first) takes it instead.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
    if (stream.listenerCount('error') === 1) process.exit(process.exitCode ?? 0)
  })
}
const [{ run }, { processIO }] = await Promise.all([import('./main.js'), import('./io.js')])
  process.exitCode = await run(argv, processIO())
}
