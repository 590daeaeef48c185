// The layers (README "Architecture"): arrows point down only, and nothing imports in a circle.
// Type-only imports count as imports (tsPreCompilationDeps): a type is as much a dependency.
//
//   commands/                       one file per command
//   src/cli/                        the frame: entries, run(argv, io), context, output, contract
//   src/client/   src/local/        reaching a platform; running a Procfile in the foreground
//   src/process/  src/procfile/  src/envfile/    the supervisor and the formats both sides read
//   src/shared/                     what the CLI and the daemon both speak
//   src/platform/                   the daemon: shared, process, procfile and envfile only
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle of imports, type imports included: move what both sides need into a module both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-only-below',
      severity: 'error',
      comment: 'The daemon imports shared/, process/, procfile/ and envfile/, nothing of the CLI.',
      from: { path: '^src/platform/' },
      to: { path: '^(src|commands)/', pathNot: '^src/(platform|shared|process|procfile|envfile)/' },
    },
    {
      name: 'platform-answers-with-its-own-errors',
      severity: 'error',
      comment: "shared/errors.ts is the CLI's user-facing errors (exit codes, hints); the daemon answers with platform/errors.ts.",
      from: { path: '^src/platform/' },
      to: { path: '^src/shared/errors\\.ts$' },
    },
    {
      name: 'only-platform-start-enters-the-daemon',
      severity: 'error',
      comment: '`tb platform:start --foreground` is the one door into the daemon; the CLI talks to it over HTTP.',
      from: { path: '^(src|commands)/', pathNot: '^(src/platform/|commands/platform/start\\.ts$)' },
      to: { path: '^src/platform/' },
    },
    {
      name: 'platform-start-enters-through-the-daemon',
      severity: 'error',
      from: { path: '^commands/platform/start\\.ts$' },
      to: { path: '^src/platform/', pathNot: '^src/platform/daemon\\.ts$' },
    },
    {
      name: 'shared-is-the-bottom',
      severity: 'error',
      comment: 'src/shared is what both sides speak: it imports nothing of tb but itself.',
      from: { path: '^src/shared/' },
      to: { path: '^(src|commands)/', pathNot: '^src/shared/' },
    },
    {
      name: 'core-imports-only-core-and-shared',
      severity: 'error',
      comment: 'The supervisor and the Procfile and .env formats serve both the CLI and the daemon.',
      from: { path: '^src/(process|procfile|envfile)/' },
      to: { path: '^(src|commands)/', pathNot: '^src/(process|procfile|envfile|shared)/' },
    },
    {
      name: 'client-and-local-below-the-frame',
      severity: 'error',
      comment: 'src/client and src/local are used by the frame and the commands; they do not reach up into either.',
      from: { path: '^src/(client|local)/' },
      to: { path: '^(src/cli|commands)/' },
    },
    {
      name: 'nothing-imports-a-command',
      severity: 'error',
      comment: 'Commands are the top; only the command list (commands/index.ts) is read by the frame.',
      from: { path: '^src/', pathNot: '^src/cli/main\\.ts$' },
      to: { path: '^commands/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
}
