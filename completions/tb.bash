# tb shell completion, generated from the command tree by `tb completions bash`: do not edit.
_tb() {
  local commands="addons addons:add addons:attach addons:create addons:destroy addons:detach addons:info addons:list addons:remove apps apps:create apps:delete apps:destroy apps:info apps:list apps:rename auth:login auth:logout auth:token auth:whoami builds builds:info builds:list builds:output completions completions:values config config:add config:get config:list config:pull config:push config:remove config:set config:unset create deploy deploy:cancel deploy:promote deploy:settings destroy domains domains:add domains:clear domains:info domains:list domains:remove drains drains:add drains:list drains:remove dyno:kill dyno:resize dyno:restart dyno:scale dyno:stop dyno:type git:clone git:credentials git:remote info local local:check local:export local:restart local:run local:start local:stop login logout logs maintenance maintenance:off maintenance:on open pg:backups pg:backups:capture pg:backups:restore pg:info pg:psql platform:start platform:status platform:stop ps ps:copy ps:exec ps:kill ps:resize ps:restart ps:scale ps:stop ps:type redis:cli releases releases:disable releases:enable releases:info releases:list releases:rollback rename resize restart rollback run run:detached scale version whoami"
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
  local flags="" argkind="" flagkinds=""
  case "${words[1]}" in
    addons) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:add) flags="--app --as --help --json --name --plan --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:attach) flags="--addon --app --as --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:create) flags="--app --as --help --json --name --plan --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:destroy) flags="--addon --app --confirm --help --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    addons:detach) flags="--app --attachment --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:info) flags="--addon --app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:list) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    addons:remove) flags="--addon --app --confirm --help --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    apps) flags="--help --json" ;;
    apps:create) flags="--help --json --name --no-remote --region --remote --stack -n -r -s" ;;
    apps:delete) flags="--app --confirm --help --name --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    apps:destroy) flags="--app --confirm --help --name --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    apps:info) flags="--app --help --json --name --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    apps:list) flags="--help --json" ;;
    apps:rename) flags="--app --help --newname --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    auth:login) flags="--api-key --help" ;;
    auth:logout) flags="--help" ;;
    auth:token) flags="--help" ;;
    auth:whoami) flags="--help --json" ;;
    builds) flags="--app --help --json --num --remote -a -n -r"; flagkinds="--app=apps -a=apps" ;;
    builds:info) flags="--app --build --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    builds:list) flags="--app --help --json --num --remote -a -n -r"; flagkinds="--app=apps -a=apps" ;;
    builds:output) flags="--app --build --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    completions) flags="--help --shell" ;;
    completions:values) flags="--app --help --kind --refresh --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    config) flags="--app --help --json --remote --shell -a -j -r -s"; flagkinds="--app=apps -a=apps" ;;
    config:add) flags="--app --help --json --pairs --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    config:get) flags="--app --help --json --keys --remote --shell -a -r -s"; argkind=config-keys; flagkinds="--app=apps -a=apps" ;;
    config:list) flags="--app --help --json --remote --shell -a -j -r -s"; flagkinds="--app=apps -a=apps" ;;
    config:pull) flags="--app --file --help --overwrite --quiet --remote -a -f -o -q -r"; flagkinds="--app=apps -a=apps" ;;
    config:push) flags="--app --clean --file --help --overwrite --quiet --remote -a -c -f -o -q -r"; flagkinds="--app=apps -a=apps" ;;
    config:remove) flags="--app --help --keys --remote -a -r"; argkind=config-keys; flagkinds="--app=apps -a=apps" ;;
    config:set) flags="--app --help --json --pairs --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    config:unset) flags="--app --help --keys --remote -a -r"; argkind=config-keys; flagkinds="--app=apps -a=apps" ;;
    create) flags="--help --json --name --no-remote --region --remote --stack -n -r -s" ;;
    deploy) flags="--app --dir --fast --help --json --remote --strategy --watch -a -r"; flagkinds="--app=apps -a=apps" ;;
    deploy:cancel) flags="--app --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    deploy:promote) flags="--app --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    deploy:settings) flags="--app --canary-percent --help --json --max-surge --max-unavailable --remote --static-rule --strategy --watch -a -r"; flagkinds="--app=apps -a=apps" ;;
    destroy) flags="--app --confirm --help --name --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    domains) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    domains:add) flags="--app --help --hostname --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    domains:clear) flags="--app --confirm --help --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    domains:info) flags="--app --help --hostname --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    domains:list) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    domains:remove) flags="--app --help --hostname --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    drains) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    drains:add) flags="--app --help --json --remote --url -a -r"; flagkinds="--app=apps -a=apps" ;;
    drains:list) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    drains:remove) flags="--app --drain --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    dyno:kill) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    dyno:resize) flags="--app --help --json --remote --sizes -a -r"; flagkinds="--app=apps -a=apps" ;;
    dyno:restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    dyno:scale) flags="--app --changes --help --json --remote -a -r"; argkind=process-types; flagkinds="--app=apps -a=apps" ;;
    dyno:stop) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    dyno:type) flags="--app --help --json --remote --sizes -a -r"; flagkinds="--app=apps -a=apps" ;;
    git:clone) flags="--app --directory --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    git:credentials) flags="--help --operation" ;;
    git:remote) flags="--app --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    info) flags="--app --help --json --name --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    local) flags="--can-die --color --env --formation --help --port --prefix --processes --procfile --restart --root --timeout --timestamp -c -d -e -f -m -p -r -t" ;;
    local:check) flags="--env --help --json --procfile --root -d -e -f" ;;
    local:export) flags="--app --env --format --formation --help --json --location --port --procfile --root --timeout --user -a -d -e -f -m -p -t -u"; flagkinds="--app=apps -a=apps" ;;
    local:restart) flags="--env --help --json --name --procfile --root -d -e -f" ;;
    local:run) flags="--command --env --help --procfile --root -d -e -f" ;;
    local:start) flags="--can-die --color --env --formation --help --port --prefix --processes --procfile --restart --root --timeout --timestamp -c -d -e -f -m -p -r -t" ;;
    local:stop) flags="--env --help --json --name --procfile --root -d -e -f" ;;
    login) flags="--api-key --help" ;;
    logout) flags="--help" ;;
    logs) flags="--app --dyno --dyno-name --help --json --num --process-type --ps --remote --source --tail -a -d -n -p -r -s -t"; flagkinds="--app=apps -a=apps --dyno=dynos --dyno-name=dynos -d=dynos" ;;
    maintenance) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    maintenance:off) flags="--app --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    maintenance:on) flags="--app --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    open) flags="--app --help --path --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    pg:backups) flags="--app --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    pg:backups:capture) flags="--app --database --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    pg:backups:restore) flags="--app --backup --confirm --database --help --remote -a -c -r"; flagkinds="--app=apps -a=apps" ;;
    pg:info) flags="--app --database --help --json --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    pg:psql) flags="--app --command --database --file --help --remote -a -c -f -r"; flagkinds="--app=apps -a=apps" ;;
    platform:start) flags="--foreground --help --port --router-port" ;;
    platform:status) flags="--help --json" ;;
    platform:stop) flags="--help" ;;
    ps) flags="--app --help --json --remote --types -a -r"; flagkinds="--app=apps -a=apps" ;;
    ps:copy) flags="--app --dyno --file --help --json --output --remote -a -d -o -r"; flagkinds="--app=apps -a=apps" ;;
    ps:exec) flags="--app --command --dyno --help --no-tty --remote -a -d -r"; flagkinds="--app=apps -a=apps" ;;
    ps:kill) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    ps:resize) flags="--app --help --json --remote --sizes -a -r"; flagkinds="--app=apps -a=apps" ;;
    ps:restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    ps:scale) flags="--app --changes --help --json --remote -a -r"; argkind=process-types; flagkinds="--app=apps -a=apps" ;;
    ps:stop) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    ps:type) flags="--app --help --json --remote --sizes -a -r"; flagkinds="--app=apps -a=apps" ;;
    redis:cli) flags="--app --args --database --help --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    releases) flags="--app --help --json --num --remote -a -n -r"; flagkinds="--app=apps -a=apps" ;;
    releases:disable) flags="--app --help --release --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    releases:enable) flags="--app --help --release --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    releases:info) flags="--app --help --json --release --remote --shell -a -r -s"; argkind=releases; flagkinds="--app=apps -a=apps" ;;
    releases:list) flags="--app --help --json --num --remote -a -n -r"; flagkinds="--app=apps -a=apps" ;;
    releases:rollback) flags="--app --help --release --remote -a -r"; argkind=releases; flagkinds="--app=apps -a=apps" ;;
    rename) flags="--app --help --newname --remote -a -r"; flagkinds="--app=apps -a=apps" ;;
    resize) flags="--app --help --json --remote --sizes -a -r"; flagkinds="--app=apps -a=apps" ;;
    restart) flags="--app --dyno --dyno-name --help --process-type --remote -a -d -p -r"; argkind=dynos; flagkinds="--app=apps -a=apps" ;;
    rollback) flags="--app --help --release --remote -a -r"; argkind=releases; flagkinds="--app=apps -a=apps" ;;
    run) flags="--app --command --env --exit-code --help --no-tty --remote --size --type -a -e -r -s -x"; flagkinds="--app=apps -a=apps" ;;
    run:detached) flags="--app --command --env --help --json --remote --size --tail --type -a -e -r -s -t"; flagkinds="--app=apps -a=apps" ;;
    scale) flags="--app --changes --help --json --remote -a -r"; argkind=process-types; flagkinds="--app=apps -a=apps" ;;
    version) flags="--help --json" ;;
    whoami) flags="--help --json" ;;
  esac
  # live values: after a flag that names something on the platform, or as the command's arguments
  local prev="${words[${#words[@]}-2]}" kind="" app="" pair i
  for ((i = 2; i < ${#words[@]} - 1; i++)); do
    case "${words[i]}" in
      -a|--app) app="${words[i+1]}" ;;
      --app=*) app="${words[i]#--app=}" ;;
    esac
  done
  for pair in $flagkinds; do [ "$prev" = "${pair%%=*}" ] && kind="${pair#*=}"; done
  [ -z "$kind" ] && [[ "$cur" != -* ]] && kind="$argkind"
  if [ -n "$kind" ]; then
    local -a args=("$kind")
    [ -n "$app" ] && args+=(--app "$app")
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(tb completions:values "${args[@]}" 2>/dev/null)" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _tb tb
