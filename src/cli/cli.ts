// Node's entry (bin/tb.cjs loads it). `tb --version` answers here, before anything else is
// loaded, so it starts as fast as bare Node.
declare const TB_VERSION: string

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`tb/${TB_VERSION} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const { start } = await import('./start.js')
  await start(argv, process.argv[1] ? [process.execPath, process.argv[1]] : [process.execPath])
}
