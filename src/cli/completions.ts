// Shell completion scripts generated from the command tree: command names and each command's
// flags, read from the same yargs builders that parse them; and live values (app names, process
// types and dynos, releases, config keys), which the scripts ask `tb completions:values` for.
import yargs from 'yargs'
import type { ValueKind } from '../client/completion-values.js'
import { commandNames, declareArguments, type CommandModule } from './command.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

interface CommandSpec {
  name: string
  describe: string
  flags: string[] // --long and -s forms
  /** what the command's arguments are, when the platform knows them */
  argumentKind?: ValueKind
  /** flags whose value the platform knows: [flag, kind, whether every command with it means the same] */
  flagKinds: [string, ValueKind, boolean][]
}

/** The commands (by name, aliases follow) whose arguments complete with live values. */
const LIVE_ARGUMENTS: Record<string, ValueKind> = {
  'ps:scale': 'process-types',
  'ps:restart': 'dynos',
  'ps:stop': 'dynos',
  'releases:rollback': 'releases',
  'releases:info': 'releases',
  'config:get': 'config-keys',
  'config:unset': 'config-keys',
}

/** Flags whose value completes with live values: in every command that has them, or in `command`'s only. */
const LIVE_FLAGS: { flag: string; kind: ValueKind; command?: string }[] = [
  { flag: 'app', kind: 'apps' },
  { flag: 'dyno-name', kind: 'dynos', command: 'logs' },
]

export function commandSpecs(commands: readonly CommandModule[]): CommandSpec[] {
  const specs: CommandSpec[] = []
  for (const command of commands) {
    const y = yargs([])
    declareArguments(command, y)
    // getOptions() is yargs' own (untyped) view of the options a builder declared
    const options = (y as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; hiddenOptions: string[] } }).getOptions()
    const flags = new Set<string>(['--help'])
    const flagKinds: [string, ValueKind, boolean][] = []
    const dashed = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`)
    const primary = commandNames(command)[0]
    for (const key of Object.keys(options.key)) {
      // hidden: not for people (the daemon's own --worker door, run's internal --tty)
      if (key === '$0' || key === 'version' || key === 'help' || options.hiddenOptions.includes(key)) continue
      const forms = [key, ...(options.alias[key] ?? [])].map(dashed)
      for (const form of forms) flags.add(form)
      const live = LIVE_FLAGS.find((f) => f.flag === key && (!f.command || f.command === primary))
      if (live) for (const form of forms.sort()) flagKinds.push([form, live.kind, !live.command])
    }
    for (const name of commandNames(command)) {
      specs.push({ name, describe: command.describe, flags: [...flags].sort(), argumentKind: LIVE_ARGUMENTS[primary], flagKinds })
    }
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name))
}

export function completionScript(shell: Shell, commands: readonly CommandModule[]): string {
  const specs = commandSpecs(commands)
  const header = '# tb shell completion, generated from the command tree by `tb completions ' + shell + '`: do not edit.\n'
  if (shell === 'bash') {
    const cases = specs.map((s) => `    ${s.name}) flags="${s.flags.join(' ')}"${liveShellVars(s, 'bash')} ;;`).join('\n')
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
  local flags="" argkind="" flagkinds=""
  case "\${words[1]}" in
${cases}
  esac
  # live values: after a flag that names something on the platform, or as the command's arguments
  local prev="\${words[\${#words[@]}-2]}" kind="" app="" pair i
  for ((i = 2; i < \${#words[@]} - 1; i++)); do
    case "\${words[i]}" in
      -a|--app) app="\${words[i+1]}" ;;
      --app=*) app="\${words[i]#--app=}" ;;
    esac
  done
  for pair in $flagkinds; do [ "$prev" = "\${pair%%=*}" ] && kind="\${pair#*=}"; done
  [ -z "$kind" ] && [[ "$cur" != -* ]] && kind="$argkind"
  if [ -n "$kind" ]; then
    local -a args=("$kind")
    [ -n "$app" ] && args+=(--app "$app")
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "$(tb completions:values "\${args[@]}" 2>/dev/null)" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _tb tb
`
  }
  if (shell === 'zsh') {
    const commandsList = specs.map((s) => `    '${s.name.replace(/:/g, '\\:')}:${s.describe.replace(/'/g, "'\\''")}'`).join('\n')
    const cases = specs.map((s) => `    ${s.name}) flags=(${s.flags.join(' ')})${liveShellVars(s, 'zsh')} ;;`).join('\n')
    return `#compdef tb
${header}_tb() {
  local -a commands flags flagkinds values
  local argkind="" kind="" app="" prev="$words[CURRENT-1]" pair i
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
  # live values: after a flag that names something on the platform, or as the command's arguments
  for (( i = 3; i < CURRENT; i++ )); do
    case "$words[i]" in
      -a|--app) app="$words[i+1]" ;;
      --app=*) app="\${words[i]#--app=}" ;;
    esac
  done
  for pair in $flagkinds; do [[ "$prev" == "\${pair%%=*}" ]] && kind="\${pair#*=}"; done
  [[ -z "$kind" && "$words[CURRENT]" != -* ]] && kind="$argkind"
  if [[ -n "$kind" ]]; then
    values=(\${(f)"$(tb completions:values "$kind" \${app:+--app} \${app:+"$app"} 2>/dev/null)"})
    compadd -Q -- $values
    return
  fi
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
  return `${header}complete -c tb -f\n${lines.join('\n')}\n${fishLiveValues(specs)}`
}

/** The case body's variables for live values: the arguments' kind and the flags' ([flag=kind …]). */
function liveShellVars(spec: CommandSpec, shell: 'bash' | 'zsh'): string {
  const pairs = spec.flagKinds.map(([flag, kind]) => `${flag}=${kind}`).join(' ')
  const vars = []
  if (spec.argumentKind) vars.push(`argkind=${spec.argumentKind}`)
  if (pairs) vars.push(shell === 'bash' ? `flagkinds="${pairs}"` : `flagkinds=(${pairs})`)
  return vars.map((v) => `; ${v}`).join('')
}

/** fish: one completion whose words come from `tb completions:values`, when the command line calls for them. */
function fishLiveValues(specs: CommandSpec[]): string {
  const argumentCases = new Map<ValueKind, string[]>()
  const flagCases = new Map<ValueKind, Set<string>>()
  for (const spec of specs) {
    if (spec.argumentKind) argumentCases.set(spec.argumentKind, [...(argumentCases.get(spec.argumentKind) ?? []), spec.name])
    for (const [flag, kind, everywhere] of spec.flagKinds) {
      flagCases.set(kind, (flagCases.get(kind) ?? new Set()).add(`'${everywhere ? '*' : spec.name} ${flag}'`))
    }
  }
  const switchOf = (subject: string, cases: Map<ValueKind, Iterable<string>>) =>
    [`  switch ${subject}`, ...[...cases].flatMap(([kind, words]) => [`    case ${[...words].join(' ')}`, `      echo ${kind}; return 0`]), '  end'].join('\n')
  return `
# live values: after a flag that names something on the platform, or as the command's arguments
function __tb_live_kind
  set -l words (commandline -opc)
  test (count $words) -ge 2; or return 1
${switchOf('"$words[2] $words[-1]"', flagCases)}
  string match -q -- '-*' (commandline -ct); and return 1
${switchOf('$words[2]', argumentCases)}
  return 1
end
function __tb_live_values
  set -l words (commandline -opc)
  set -l app
  for i in (seq 3 (math (count $words) - 1))
    switch $words[$i]
      case -a --app
        set app $words[(math $i + 1)]
      case '--app=*'
        set app (string replace -- --app= '' $words[$i])
    end
  end
  if test -n "$app"
    tb completions:values (__tb_live_kind) --app $app 2>/dev/null
  else
    tb completions:values (__tb_live_kind) 2>/dev/null
  end
end
complete -c tb -n '__tb_live_kind >/dev/null' -f -a '(__tb_live_values)'
`
}
