import { defineCommand } from '../../src/cli/command.js'

export default defineCommand({
  command: 'completions <shell>',
  describe: 'Print the shell completion script for bash, zsh or fish',
  builder: (y) =>
    y
      .positional('shell', { choices: ['bash', 'zsh', 'fish'] as const, describe: 'the shell' })
      .example('tb completions bash > ~/.local/share/bash-completion/completions/tb', 'install for bash')
      .example('tb completions fish > ~/.config/fish/completions/tb.fish', 'install for fish'),
  async handler({ ctx, shell, commands }) {
    const { completionScript } = await import('../../src/cli/completions.js')
    ctx.out.write(completionScript(shell as 'bash' | 'zsh' | 'fish', commands))
  },
})
