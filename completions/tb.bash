# tb shell completion, generated from the command tree by `tb completions bash`: do not edit.
_tb() {
  local commands="apps apps:create apps:delete apps:destroy apps:info apps:list apps:rename auth:login auth:logout auth:token auth:whoami builds builds:info builds:list builds:output completions config config:add config:get config:list config:pull config:push config:remove config:set config:unset create deploy deploy:cancel deploy:promote deploy:settings destroy dyno:kill dyno:resize dyno:restart dyno:scale dyno:stop dyno:type info local local:check local:export local:restart local:run local:start local:stop login logout logs maintenance maintenance:off maintenance:on open platform:start platform:status platform:stop ps ps:kill ps:resize ps:restart ps:scale ps:stop ps:type releases releases:info releases:list releases:rollback rename resize restart rollback run run:detached scale version whoami"
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
    apps) flags="--help --json" ;;
    apps:create) flags="--help --json --name --no-remote --region --remote --stack -n -r -s" ;;
    apps:delete) flags="--app --confirm --help --name --remote -a -c -r" ;;
    apps:destroy) flags="--app --confirm --help --name --remote -a -c -r" ;;
    apps:info) flags="--app --help --json --name --remote -a -r" ;;
    apps:list) flags="--help --json" ;;
    apps:rename) flags="--app --help --newname --remote -a -r" ;;
    auth:login) flags="--api-key --help" ;;
    auth:logout) flags="--help" ;;
    auth:token) flags="--help" ;;
    auth:whoami) flags="--help --json" ;;
    builds) flags="--app --help --json --num --remote -a -n -r" ;;
    builds:info) flags="--app --build --help --json --remote -a -r" ;;
    builds:list) flags="--app --help --json --num --remote -a -n -r" ;;
    builds:output) flags="--app --build --help --remote -a -r" ;;
    completions) flags="--help --shell" ;;
    config) flags="--app --help --json --remote --shell -a -j -r -s" ;;
    config:add) flags="--app --help --json --pairs --remote -a -r" ;;
    config:get) flags="--app --help --json --keys --remote --shell -a -r -s" ;;
    config:list) flags="--app --help --json --remote --shell -a -j -r -s" ;;
    config:pull) flags="--app --file --help --overwrite --quiet --remote -a -f -o -q -r" ;;
    config:push) flags="--app --clean --file --help --overwrite --quiet --remote -a -c -f -o -q -r" ;;
    config:remove) flags="--app --help --keys --remote -a -r" ;;
    config:set) flags="--app --help --json --pairs --remote -a -r" ;;
    config:unset) flags="--app --help --keys --remote -a -r" ;;
    create) flags="--help --json --name --no-remote --region --remote --stack -n -r -s" ;;
    deploy) flags="--app --dir --help --json --remote --strategy -a -r" ;;
    deploy:cancel) flags="--app --help --remote -a -r" ;;
    deploy:promote) flags="--app --help --remote -a -r" ;;
    deploy:settings) flags="--app --canary-percent --help --json --max-surge --max-unavailable --remote --strategy --watch -a -r" ;;
    destroy) flags="--app --confirm --help --name --remote -a -c -r" ;;
    dyno:kill) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    dyno:resize) flags="--app --help --json --remote --sizes -a -r" ;;
    dyno:restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    dyno:scale) flags="--app --changes --help --json --remote -a -r" ;;
    dyno:stop) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    dyno:type) flags="--app --help --json --remote --sizes -a -r" ;;
    info) flags="--app --help --json --name --remote -a -r" ;;
    local) flags="--can-die --color --env --formation --help --port --prefix --processes --procfile --restart --root --timeout --timestamp -c -d -e -f -m -p -r -t" ;;
    local:check) flags="--env --help --json --procfile --root -d -e -f" ;;
    local:export) flags="--app --env --format --formation --help --json --location --port --procfile --root --timeout --user -a -d -e -f -m -p -t -u" ;;
    local:restart) flags="--env --help --json --name --procfile --root -d -e -f" ;;
    local:run) flags="--command --env --help --procfile --root -d -e -f" ;;
    local:start) flags="--can-die --color --env --formation --help --port --prefix --processes --procfile --restart --root --timeout --timestamp -c -d -e -f -m -p -r -t" ;;
    local:stop) flags="--env --help --json --name --procfile --root -d -e -f" ;;
    login) flags="--api-key --help" ;;
    logout) flags="--help" ;;
    logs) flags="--app --dyno --dyno-name --help --json --num --process-type --ps --remote --source --tail -a -d -n -p -r -s -t" ;;
    maintenance) flags="--app --help --json --remote -a -r" ;;
    maintenance:off) flags="--app --help --remote -a -r" ;;
    maintenance:on) flags="--app --help --remote -a -r" ;;
    open) flags="--app --help --path --remote -a -r" ;;
    platform:start) flags="--foreground --help --port --router-port" ;;
    platform:status) flags="--help --json" ;;
    platform:stop) flags="--help" ;;
    ps) flags="--app --help --json --remote --types -a -r" ;;
    ps:kill) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    ps:resize) flags="--app --help --json --remote --sizes -a -r" ;;
    ps:restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    ps:scale) flags="--app --changes --help --json --remote -a -r" ;;
    ps:stop) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    ps:type) flags="--app --help --json --remote --sizes -a -r" ;;
    releases) flags="--app --help --json --num --remote -a -n -r" ;;
    releases:info) flags="--app --help --json --release --remote --shell -a -r -s" ;;
    releases:list) flags="--app --help --json --num --remote -a -n -r" ;;
    releases:rollback) flags="--app --help --release --remote -a -r" ;;
    rename) flags="--app --help --newname --remote -a -r" ;;
    resize) flags="--app --help --json --remote --sizes -a -r" ;;
    restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r" ;;
    rollback) flags="--app --help --release --remote -a -r" ;;
    run) flags="--app --command --env --exit-code --help --no-tty --remote --size --tty --type -a -e -r -s -x" ;;
    run:detached) flags="--app --command --env --help --json --remote --size --tail --type -a -e -r -s -t" ;;
    scale) flags="--app --changes --help --json --remote -a -r" ;;
    version) flags="--help --json" ;;
    whoami) flags="--help --json" ;;
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _tb tb
