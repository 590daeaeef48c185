// Shell completion scripts generated from the command tree: command names and each command's
// flags, read from the same yargs builders that parse them.
import yargs from 'yargs'
import { commandNames, declareArguments, type CommandModule } from './command.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

interface CommandSpec {
  name: string
  describe: string
  flags: string[] // --long and -s forms
}

export function commandSpecs(commands: readonly CommandModule[]): CommandSpec[] {
  const specs: CommandSpec[] = []
  for (const command of commands) {
    const y = yargs([])
    declareArguments(command, y)
    // getOptions() is yargs' own (untyped) view of the options a builder declared
    const options = (y as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; hiddenOptions: string[] } }).getOptions()
    const flags = new Set<string>(['--help'])
    for (const key of Object.keys(options.key)) {
      // hidden: not for people (the daemon's own --worker door, run's internal --tty)
      if (key === '$0' || key === 'version' || key === 'help' || options.hiddenOptions.includes(key)) continue
      flags.add(key.length === 1 ? `-${key}` : `--${key}`)
      for (const alias of options.alias[key] ?? []) flags.add(alias.length === 1 ? `-${alias}` : `--${alias}`)
    }
    for (const name of commandNames(command)) specs.push({ name, describe: command.describe, flags: [...flags].sort() })
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name))
}

export function completionScript(shell: Shell, commands: readonly CommandModule[]): string {
  const specs = commandSpecs(commands)
  const header = '# tb shell completion, generated from the command tree by `tb completions ' + shell + '`: do not edit.\n'
  if (shell === 'bash') {
    const cases = specs.map((s) => `    ${s.name}) flags="${s.flags.join(' ')}" ;;`).join('\n')
    return `${header}_tb() {
  local commands="${specs.map((s) => s.name).join(' ')}"
  local line="\${COMP_LINE:0:$COMP_POINT}"
  local -a words
  read -ra words <<< "$line"
  [[ "$line" == *" " ]] && words+=("")
  local cur="\${words[\${#words[@]}-1]}"
  if [ "\${#words[@]}" -le 2 ]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    # bash splits words at colons: reply with what follows the last colon typed
    if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
      local prefix="\${cur%"\${cur##*:}"}"
      COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
    fi
    return
  fi
  local flags=""
  case "\${words[1]}" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _tb tb
`
  }
  if (shell === 'zsh') {
    const commandsList = specs.map((s) => `    '${s.name.replace(/:/g, '\\:')}:${s.describe.replace(/'/g, "'\\''")}'`).join('\n')
    const cases = specs.map((s) => `    ${s.name}) flags=(${s.flags.join(' ')}) ;;`).join('\n')
    return `#compdef tb
${header}_tb() {
  local -a commands flags
  commands=(
${commandsList}
  )
  if (( CURRENT == 2 )); then
    _describe 'tb command' commands
    return
  fi
  case "$words[2]" in
${cases}
  esac
  _describe 'flag' flags || _files
}
compdef _tb tb
`
  }
  const lines = specs.map((s) => `complete -c tb -n '__fish_use_subcommand' -a '${s.name}' -d '${s.describe.replace(/'/g, "\\'")}'`)
  for (const s of specs) {
    for (const flag of s.flags) {
      const opt = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`
      lines.push(`complete -c tb -n '__fish_seen_subcommand_from ${s.name}' ${opt}`)
    }
  }
  return `${header}complete -c tb -f\n${lines.join('\n')}\n`
}
