import { defineCommand } from '../../src/command.js'

export default defineCommand({
  command: 'completions <shell>',
  describe: 'Print the shell completion script for bash, zsh or fish',
  builder: (y) =>
    y
      .positional('shell', { choices: ['bash', 'zsh', 'fish'] as const, describe: 'the shell' })
      .example('tb completions bash > ~/.local/share/bash-completion/completions/tb', 'install for bash')
      .example('tb completions fish > ~/.config/fish/completions/tb.fish', 'install for fish'),
  async handler({ ctx, shell }) {
    const [{ completionScript }, { commands }] = await Promise.all([
      import('../../src/completions.js'),
      import('../index.js'),
    ])
    ctx.out.write(completionScript(shell as 'bash' | 'zsh' | 'fish', commands))
  },
})
