# tb shell completion, generated from the command tree by `tb completions bash`: do not edit.
_tb() {
  local commands="completions platform:start platform:status platform:stop version"
  local line="${COMP_LINE:0:$COMP_POINT}"
  local -a words
  read -ra words <<< "$line"
  [[ "$line" == *" " ]] && words+=("")
  local cur="${words[${#words[@]}-1]}"
  if [ "${#words[@]}" -le 2 ]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    # bash splits words at colons: reply with what follows the last colon typed
    if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
      local prefix="${cur%"${cur##*:}"}"
      COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
    fi
    return
  fi
  local flags=""
  case "${words[1]}" in
    completions) flags="--help --shell" ;;
    platform:start) flags="--foreground --help --port" ;;
    platform:status) flags="--help --json" ;;
    platform:stop) flags="--help" ;;
    version) flags="--help --json" ;;
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _tb tb
