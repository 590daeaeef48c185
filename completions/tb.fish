# tb shell completion, generated from the command tree by `tb completions fish`: do not edit.
complete -c tb -f
complete -c tb -n '__fish_use_subcommand' -a 'addons' -d 'List an app\'s add-ons: its own and those of other apps attached to it'
complete -c tb -n '__fish_use_subcommand' -a 'addons:add' -d 'Create an add-on (a PostgreSQL database, a Redis server) and set its URL in the app\'s config vars'
complete -c tb -n '__fish_use_subcommand' -a 'addons:attach' -d 'Attach another app\'s add-on to this app: the same URL in this app\'s config vars'
complete -c tb -n '__fish_use_subcommand' -a 'addons:create' -d 'Create an add-on (a PostgreSQL database, a Redis server) and set its URL in the app\'s config vars'
complete -c tb -n '__fish_use_subcommand' -a 'addons:destroy' -d 'Destroy an add-on: its config vars leave every app it is attached to, and its data is deleted'
complete -c tb -n '__fish_use_subcommand' -a 'addons:detach' -d 'Detach an add-on from an app: its config var goes in a new release, the add-on stays'
complete -c tb -n '__fish_use_subcommand' -a 'addons:info' -d 'Show an add-on: its plan, state, owner and the apps it is attached to'
complete -c tb -n '__fish_use_subcommand' -a 'addons:list' -d 'List an app\'s add-ons: its own and those of other apps attached to it'
complete -c tb -n '__fish_use_subcommand' -a 'addons:remove' -d 'Destroy an add-on: its config vars leave every app it is attached to, and its data is deleted'
complete -c tb -n '__fish_use_subcommand' -a 'apps' -d 'List your apps'
complete -c tb -n '__fish_use_subcommand' -a 'apps:create' -d 'Create an app (a readable random name when none is given)'
complete -c tb -n '__fish_use_subcommand' -a 'apps:delete' -d 'Permanently destroy an app: its releases, config vars and dynos'
complete -c tb -n '__fish_use_subcommand' -a 'apps:destroy' -d 'Permanently destroy an app: its releases, config vars and dynos'
complete -c tb -n '__fish_use_subcommand' -a 'apps:info' -d 'Show detailed information about an app'
complete -c tb -n '__fish_use_subcommand' -a 'apps:list' -d 'List your apps'
complete -c tb -n '__fish_use_subcommand' -a 'apps:rename' -d 'Rename an app (updates git remotes here that point at it)'
complete -c tb -n '__fish_use_subcommand' -a 'auth:login' -d 'Store an API key for the platform at TB_API_URL (the embedded platform needs none)'
complete -c tb -n '__fish_use_subcommand' -a 'auth:logout' -d 'Remove the stored API key for the platform at TB_API_URL'
complete -c tb -n '__fish_use_subcommand' -a 'auth:token' -d 'Print the API key tb uses (TB_API_KEY, the stored one, or the embedded platform\'s)'
complete -c tb -n '__fish_use_subcommand' -a 'auth:whoami' -d 'Print the email of the account tb is logged in as'
complete -c tb -n '__fish_use_subcommand' -a 'builds' -d 'List an app\'s builds, newest first'
complete -c tb -n '__fish_use_subcommand' -a 'builds:info' -d 'Show one build (the newest by default)'
complete -c tb -n '__fish_use_subcommand' -a 'builds:list' -d 'List an app\'s builds, newest first'
complete -c tb -n '__fish_use_subcommand' -a 'builds:output' -d 'Show a build\'s output (the newest build\'s by default), following it while it runs'
complete -c tb -n '__fish_use_subcommand' -a 'completions' -d 'Print the shell completion script for bash, zsh or fish'
complete -c tb -n '__fish_use_subcommand' -a 'completions:values' -d 'Print the live words a shell completion offers (the completion scripts run it): apps, an app\'s process types, dynos, releases or config keys'
complete -c tb -n '__fish_use_subcommand' -a 'config' -d 'Show an app\'s config vars'
complete -c tb -n '__fish_use_subcommand' -a 'config:add' -d 'Set one or more config vars (creates a release and restarts the dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'config:get' -d 'Print the value of one or more config vars (an empty line for one that is not set)'
complete -c tb -n '__fish_use_subcommand' -a 'config:list' -d 'Show an app\'s config vars'
complete -c tb -n '__fish_use_subcommand' -a 'config:pull' -d 'Write an app\'s config vars into a local .env file (local-only vars are kept)'
complete -c tb -n '__fish_use_subcommand' -a 'config:push' -d 'Send a local .env file\'s vars to an app (only vars the app lacks, unless --overwrite)'
complete -c tb -n '__fish_use_subcommand' -a 'config:remove' -d 'Remove one or more config vars (creates a release and restarts the dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'config:set' -d 'Set one or more config vars (creates a release and restarts the dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'config:unset' -d 'Remove one or more config vars (creates a release and restarts the dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'create' -d 'Create an app (a readable random name when none is given)'
complete -c tb -n '__fish_use_subcommand' -a 'deploy' -d 'Build the app from a directory and release it (Heroku\'s builds:create)'
complete -c tb -n '__fish_use_subcommand' -a 'deploy:cancel' -d 'Stop the deploy in progress (a canary, say): its release fails and the current one keeps serving'
complete -c tb -n '__fish_use_subcommand' -a 'deploy:promote' -d 'Let a canary deploy go on: the new release replaces every dyno (blue-green)'
complete -c tb -n '__fish_use_subcommand' -a 'deploy:settings' -d 'Show or change how an app\'s releases replace its dynos (deploys, config changes, rollbacks, restarts)'
complete -c tb -n '__fish_use_subcommand' -a 'destroy' -d 'Permanently destroy an app: its releases, config vars and dynos'
complete -c tb -n '__fish_use_subcommand' -a 'domains' -d 'List an app\'s hostnames: its own APP.localhost and the custom ones'
complete -c tb -n '__fish_use_subcommand' -a 'domains:add' -d 'Add a custom hostname to an app (it may be on other apps too: they share its requests)'
complete -c tb -n '__fish_use_subcommand' -a 'domains:clear' -d 'Remove every custom hostname from an app (its own APP.localhost stays)'
complete -c tb -n '__fish_use_subcommand' -a 'domains:info' -d 'Show one of an app\'s hostnames'
complete -c tb -n '__fish_use_subcommand' -a 'domains:list' -d 'List an app\'s hostnames: its own APP.localhost and the custom ones'
complete -c tb -n '__fish_use_subcommand' -a 'domains:remove' -d 'Remove a custom hostname from an app (other apps that have it keep it)'
complete -c tb -n '__fish_use_subcommand' -a 'drains' -d 'List an app\'s log drains: where its log lines are also sent'
complete -c tb -n '__fish_use_subcommand' -a 'drains:add' -d 'Send an app\'s log lines to a syslog or HTTPS drain too'
complete -c tb -n '__fish_use_subcommand' -a 'drains:list' -d 'List an app\'s log drains: where its log lines are also sent'
complete -c tb -n '__fish_use_subcommand' -a 'drains:remove' -d 'Stop sending an app\'s log lines to a drain'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:kill' -d 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:resize' -d 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:restart' -d 'Restart a dyno, a process type, or all of an app\'s dynos'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:scale' -d 'Scale dyno quantity (and size) up or down; without arguments, show the formation'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:stop' -d 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)'
complete -c tb -n '__fish_use_subcommand' -a 'dyno:type' -d 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'git:clone' -d 'Clone an app\'s git repository (what was last pushed), with a remote and tb as git\'s credential helper'
complete -c tb -n '__fish_use_subcommand' -a 'git:credentials' -d 'git\'s credential helper for apps\' git URLs (git runs it; `tb git:remote` sets it up)'
complete -c tb -n '__fish_use_subcommand' -a 'git:remote' -d 'Add a git remote for an app (`git push tb main` deploys it), with tb as git\'s credential helper for it'
complete -c tb -n '__fish_use_subcommand' -a 'info' -d 'Show detailed information about an app'
complete -c tb -n '__fish_use_subcommand' -a 'local' -d 'Run the Procfile\'s processes in the foreground, like foreman start'
complete -c tb -n '__fish_use_subcommand' -a 'local:check' -d 'Validate the Procfile'
complete -c tb -n '__fish_use_subcommand' -a 'local:export' -d 'Write service files (systemd) that run the Procfile\'s formation'
complete -c tb -n '__fish_use_subcommand' -a 'local:restart' -d 'Restart one process type (or one instance) of a running tb local start'
complete -c tb -n '__fish_use_subcommand' -a 'local:run' -d 'Run one command with the .env files loaded, and exit with its code'
complete -c tb -n '__fish_use_subcommand' -a 'local:start' -d 'Run the Procfile\'s processes in the foreground, like foreman start'
complete -c tb -n '__fish_use_subcommand' -a 'local:stop' -d 'Stop one process type (or one instance) of a running tb local start, leaving the others running'
complete -c tb -n '__fish_use_subcommand' -a 'login' -d 'Store an API key for the platform at TB_API_URL (the embedded platform needs none)'
complete -c tb -n '__fish_use_subcommand' -a 'logout' -d 'Remove the stored API key for the platform at TB_API_URL'
complete -c tb -n '__fish_use_subcommand' -a 'logs' -d 'Display an app\'s recent log output (and follow it with --tail)'
complete -c tb -n '__fish_use_subcommand' -a 'maintenance' -d 'Show whether an app is in maintenance mode'
complete -c tb -n '__fish_use_subcommand' -a 'maintenance:off' -d 'Take an app out of maintenance mode'
complete -c tb -n '__fish_use_subcommand' -a 'maintenance:on' -d 'Put an app into maintenance mode: the router answers every request with H80'
complete -c tb -n '__fish_use_subcommand' -a 'open' -d 'Open an app\'s web URL in a browser (and print it)'
complete -c tb -n '__fish_use_subcommand' -a 'pg:backups' -d 'List the app\'s database backups (kept on this machine, in TB_HOME)'
complete -c tb -n '__fish_use_subcommand' -a 'pg:backups:capture' -d 'Back up a database with pg_dump into TB_HOME/pg-backups/APP'
complete -c tb -n '__fish_use_subcommand' -a 'pg:backups:restore' -d 'Restore a backup into a database with pg_restore (its tables are replaced by the backup\'s)'
complete -c tb -n '__fish_use_subcommand' -a 'pg:info' -d 'Show the app\'s PostgreSQL databases: plan, server version, size, tables, connections'
complete -c tb -n '__fish_use_subcommand' -a 'pg:psql' -d 'Open psql on the app\'s PostgreSQL database (or run one command with -c)'
complete -c tb -n '__fish_use_subcommand' -a 'platform:start' -d 'Start the embedded platform (the CLI also starts it on demand)'
complete -c tb -n '__fish_use_subcommand' -a 'platform:status' -d 'Show whether the embedded platform runs: pid, ports, uptime, data dir, apps'
complete -c tb -n '__fish_use_subcommand' -a 'platform:stop' -d 'Stop the embedded platform and every dyno it runs'
complete -c tb -n '__fish_use_subcommand' -a 'ps' -d 'List an app\'s dynos, grouped by process type'
complete -c tb -n '__fish_use_subcommand' -a 'ps:copy' -d 'Copy a file out of a running dyno\'s directory'
complete -c tb -n '__fish_use_subcommand' -a 'ps:exec' -d 'Open a shell (or run a command) inside a running dyno: its directory, its environment'
complete -c tb -n '__fish_use_subcommand' -a 'ps:kill' -d 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)'
complete -c tb -n '__fish_use_subcommand' -a 'ps:resize' -d 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'ps:restart' -d 'Restart a dyno, a process type, or all of an app\'s dynos'
complete -c tb -n '__fish_use_subcommand' -a 'ps:scale' -d 'Scale dyno quantity (and size) up or down; without arguments, show the formation'
complete -c tb -n '__fish_use_subcommand' -a 'ps:stop' -d 'Stop a dyno or every dyno of a process type (the formation starts its dynos again: scale to 0 to keep them down)'
complete -c tb -n '__fish_use_subcommand' -a 'ps:type' -d 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'redis:cli' -d 'Open redis-cli on the app\'s Redis (or run one command)'
complete -c tb -n '__fish_use_subcommand' -a 'releases' -d 'List an app\'s releases, newest first'
complete -c tb -n '__fish_use_subcommand' -a 'releases:disable' -d 'Disable a release: it can\'t be rolled back to; the current one is rolled back from first (tb only)'
complete -c tb -n '__fish_use_subcommand' -a 'releases:enable' -d 'Enable a disabled release: it can be rolled back to again (tb only)'
complete -c tb -n '__fish_use_subcommand' -a 'releases:info' -d 'Show one release (the current one by default) and its config vars'
complete -c tb -n '__fish_use_subcommand' -a 'releases:list' -d 'List an app\'s releases, newest first'
complete -c tb -n '__fish_use_subcommand' -a 'releases:rollback' -d 'Roll back to an earlier release\'s code and config (a new release; one back by default)'
complete -c tb -n '__fish_use_subcommand' -a 'rename' -d 'Rename an app (updates git remotes here that point at it)'
complete -c tb -n '__fish_use_subcommand' -a 'resize' -d 'Show or change dyno sizes: SIZE for every process type, or TYPE=SIZE (a change restarts those dynos)'
complete -c tb -n '__fish_use_subcommand' -a 'restart' -d 'Restart a dyno, a process type, or all of an app\'s dynos'
complete -c tb -n '__fish_use_subcommand' -a 'rollback' -d 'Roll back to an earlier release\'s code and config (a new release; one back by default)'
complete -c tb -n '__fish_use_subcommand' -a 'run' -d 'Run a one-off process in a dyno of the app, attached to this terminal, and exit with its code'
complete -c tb -n '__fish_use_subcommand' -a 'run:detached' -d 'Run a one-off process in a dyno of the app, its output going to the app\'s log'
complete -c tb -n '__fish_use_subcommand' -a 'scale' -d 'Scale dyno quantity (and size) up or down; without arguments, show the formation'
complete -c tb -n '__fish_use_subcommand' -a 'version' -d 'Show the tb version'
complete -c tb -n '__fish_use_subcommand' -a 'whoami' -d 'Print the email of the account tb is logged in as'
complete -c tb -n '__fish_seen_subcommand_from addons' -l app
complete -c tb -n '__fish_seen_subcommand_from addons' -l help
complete -c tb -n '__fish_seen_subcommand_from addons' -l json
complete -c tb -n '__fish_seen_subcommand_from addons' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons' -s a
complete -c tb -n '__fish_seen_subcommand_from addons' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l as
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l json
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l name
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l plan
complete -c tb -n '__fish_seen_subcommand_from addons:add' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:add' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:add' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l addon
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l as
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l json
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:attach' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l as
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l json
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l name
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l plan
complete -c tb -n '__fish_seen_subcommand_from addons:create' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:create' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:create' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -l addon
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -l confirm
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -s c
complete -c tb -n '__fish_seen_subcommand_from addons:destroy' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -l attachment
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:detach' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:info' -l addon
complete -c tb -n '__fish_seen_subcommand_from addons:info' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:info' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:info' -l json
complete -c tb -n '__fish_seen_subcommand_from addons:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:info' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:info' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:list' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:list' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:list' -l json
complete -c tb -n '__fish_seen_subcommand_from addons:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:list' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:list' -s r
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -l addon
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -l app
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -l confirm
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -l help
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -l remote
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -s a
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -s c
complete -c tb -n '__fish_seen_subcommand_from addons:remove' -s r
complete -c tb -n '__fish_seen_subcommand_from apps' -l help
complete -c tb -n '__fish_seen_subcommand_from apps' -l json
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l json
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l name
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l no-remote
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l region
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l remote
complete -c tb -n '__fish_seen_subcommand_from apps:create' -l stack
complete -c tb -n '__fish_seen_subcommand_from apps:create' -s n
complete -c tb -n '__fish_seen_subcommand_from apps:create' -s r
complete -c tb -n '__fish_seen_subcommand_from apps:create' -s s
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -l app
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -l confirm
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -l name
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -l remote
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -s a
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -s c
complete -c tb -n '__fish_seen_subcommand_from apps:delete' -s r
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -l app
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -l confirm
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -l name
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -l remote
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -s a
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -s c
complete -c tb -n '__fish_seen_subcommand_from apps:destroy' -s r
complete -c tb -n '__fish_seen_subcommand_from apps:info' -l app
complete -c tb -n '__fish_seen_subcommand_from apps:info' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:info' -l json
complete -c tb -n '__fish_seen_subcommand_from apps:info' -l name
complete -c tb -n '__fish_seen_subcommand_from apps:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from apps:info' -s a
complete -c tb -n '__fish_seen_subcommand_from apps:info' -s r
complete -c tb -n '__fish_seen_subcommand_from apps:list' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:list' -l json
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -l app
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -l help
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -l newname
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -l remote
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -s a
complete -c tb -n '__fish_seen_subcommand_from apps:rename' -s r
complete -c tb -n '__fish_seen_subcommand_from auth:login' -l api-key
complete -c tb -n '__fish_seen_subcommand_from auth:login' -l help
complete -c tb -n '__fish_seen_subcommand_from auth:logout' -l help
complete -c tb -n '__fish_seen_subcommand_from auth:token' -l help
complete -c tb -n '__fish_seen_subcommand_from auth:whoami' -l help
complete -c tb -n '__fish_seen_subcommand_from auth:whoami' -l json
complete -c tb -n '__fish_seen_subcommand_from builds' -l app
complete -c tb -n '__fish_seen_subcommand_from builds' -l help
complete -c tb -n '__fish_seen_subcommand_from builds' -l json
complete -c tb -n '__fish_seen_subcommand_from builds' -l num
complete -c tb -n '__fish_seen_subcommand_from builds' -l remote
complete -c tb -n '__fish_seen_subcommand_from builds' -s a
complete -c tb -n '__fish_seen_subcommand_from builds' -s n
complete -c tb -n '__fish_seen_subcommand_from builds' -s r
complete -c tb -n '__fish_seen_subcommand_from builds:info' -l app
complete -c tb -n '__fish_seen_subcommand_from builds:info' -l build
complete -c tb -n '__fish_seen_subcommand_from builds:info' -l help
complete -c tb -n '__fish_seen_subcommand_from builds:info' -l json
complete -c tb -n '__fish_seen_subcommand_from builds:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from builds:info' -s a
complete -c tb -n '__fish_seen_subcommand_from builds:info' -s r
complete -c tb -n '__fish_seen_subcommand_from builds:list' -l app
complete -c tb -n '__fish_seen_subcommand_from builds:list' -l help
complete -c tb -n '__fish_seen_subcommand_from builds:list' -l json
complete -c tb -n '__fish_seen_subcommand_from builds:list' -l num
complete -c tb -n '__fish_seen_subcommand_from builds:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from builds:list' -s a
complete -c tb -n '__fish_seen_subcommand_from builds:list' -s n
complete -c tb -n '__fish_seen_subcommand_from builds:list' -s r
complete -c tb -n '__fish_seen_subcommand_from builds:output' -l app
complete -c tb -n '__fish_seen_subcommand_from builds:output' -l build
complete -c tb -n '__fish_seen_subcommand_from builds:output' -l help
complete -c tb -n '__fish_seen_subcommand_from builds:output' -l remote
complete -c tb -n '__fish_seen_subcommand_from builds:output' -s a
complete -c tb -n '__fish_seen_subcommand_from builds:output' -s r
complete -c tb -n '__fish_seen_subcommand_from completions' -l help
complete -c tb -n '__fish_seen_subcommand_from completions' -l shell
complete -c tb -n '__fish_seen_subcommand_from completions:values' -l app
complete -c tb -n '__fish_seen_subcommand_from completions:values' -l help
complete -c tb -n '__fish_seen_subcommand_from completions:values' -l kind
complete -c tb -n '__fish_seen_subcommand_from completions:values' -l refresh
complete -c tb -n '__fish_seen_subcommand_from completions:values' -l remote
complete -c tb -n '__fish_seen_subcommand_from completions:values' -s a
complete -c tb -n '__fish_seen_subcommand_from completions:values' -s r
complete -c tb -n '__fish_seen_subcommand_from config' -l app
complete -c tb -n '__fish_seen_subcommand_from config' -l help
complete -c tb -n '__fish_seen_subcommand_from config' -l json
complete -c tb -n '__fish_seen_subcommand_from config' -l remote
complete -c tb -n '__fish_seen_subcommand_from config' -l shell
complete -c tb -n '__fish_seen_subcommand_from config' -s a
complete -c tb -n '__fish_seen_subcommand_from config' -s j
complete -c tb -n '__fish_seen_subcommand_from config' -s r
complete -c tb -n '__fish_seen_subcommand_from config' -s s
complete -c tb -n '__fish_seen_subcommand_from config:add' -l app
complete -c tb -n '__fish_seen_subcommand_from config:add' -l help
complete -c tb -n '__fish_seen_subcommand_from config:add' -l json
complete -c tb -n '__fish_seen_subcommand_from config:add' -l pairs
complete -c tb -n '__fish_seen_subcommand_from config:add' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:add' -s a
complete -c tb -n '__fish_seen_subcommand_from config:add' -s r
complete -c tb -n '__fish_seen_subcommand_from config:get' -l app
complete -c tb -n '__fish_seen_subcommand_from config:get' -l help
complete -c tb -n '__fish_seen_subcommand_from config:get' -l json
complete -c tb -n '__fish_seen_subcommand_from config:get' -l keys
complete -c tb -n '__fish_seen_subcommand_from config:get' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:get' -l shell
complete -c tb -n '__fish_seen_subcommand_from config:get' -s a
complete -c tb -n '__fish_seen_subcommand_from config:get' -s r
complete -c tb -n '__fish_seen_subcommand_from config:get' -s s
complete -c tb -n '__fish_seen_subcommand_from config:list' -l app
complete -c tb -n '__fish_seen_subcommand_from config:list' -l help
complete -c tb -n '__fish_seen_subcommand_from config:list' -l json
complete -c tb -n '__fish_seen_subcommand_from config:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:list' -l shell
complete -c tb -n '__fish_seen_subcommand_from config:list' -s a
complete -c tb -n '__fish_seen_subcommand_from config:list' -s j
complete -c tb -n '__fish_seen_subcommand_from config:list' -s r
complete -c tb -n '__fish_seen_subcommand_from config:list' -s s
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l app
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l file
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l help
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l overwrite
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l quiet
complete -c tb -n '__fish_seen_subcommand_from config:pull' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:pull' -s a
complete -c tb -n '__fish_seen_subcommand_from config:pull' -s f
complete -c tb -n '__fish_seen_subcommand_from config:pull' -s o
complete -c tb -n '__fish_seen_subcommand_from config:pull' -s q
complete -c tb -n '__fish_seen_subcommand_from config:pull' -s r
complete -c tb -n '__fish_seen_subcommand_from config:push' -l app
complete -c tb -n '__fish_seen_subcommand_from config:push' -l clean
complete -c tb -n '__fish_seen_subcommand_from config:push' -l file
complete -c tb -n '__fish_seen_subcommand_from config:push' -l help
complete -c tb -n '__fish_seen_subcommand_from config:push' -l overwrite
complete -c tb -n '__fish_seen_subcommand_from config:push' -l quiet
complete -c tb -n '__fish_seen_subcommand_from config:push' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:push' -s a
complete -c tb -n '__fish_seen_subcommand_from config:push' -s c
complete -c tb -n '__fish_seen_subcommand_from config:push' -s f
complete -c tb -n '__fish_seen_subcommand_from config:push' -s o
complete -c tb -n '__fish_seen_subcommand_from config:push' -s q
complete -c tb -n '__fish_seen_subcommand_from config:push' -s r
complete -c tb -n '__fish_seen_subcommand_from config:remove' -l app
complete -c tb -n '__fish_seen_subcommand_from config:remove' -l help
complete -c tb -n '__fish_seen_subcommand_from config:remove' -l keys
complete -c tb -n '__fish_seen_subcommand_from config:remove' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:remove' -s a
complete -c tb -n '__fish_seen_subcommand_from config:remove' -s r
complete -c tb -n '__fish_seen_subcommand_from config:set' -l app
complete -c tb -n '__fish_seen_subcommand_from config:set' -l help
complete -c tb -n '__fish_seen_subcommand_from config:set' -l json
complete -c tb -n '__fish_seen_subcommand_from config:set' -l pairs
complete -c tb -n '__fish_seen_subcommand_from config:set' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:set' -s a
complete -c tb -n '__fish_seen_subcommand_from config:set' -s r
complete -c tb -n '__fish_seen_subcommand_from config:unset' -l app
complete -c tb -n '__fish_seen_subcommand_from config:unset' -l help
complete -c tb -n '__fish_seen_subcommand_from config:unset' -l keys
complete -c tb -n '__fish_seen_subcommand_from config:unset' -l remote
complete -c tb -n '__fish_seen_subcommand_from config:unset' -s a
complete -c tb -n '__fish_seen_subcommand_from config:unset' -s r
complete -c tb -n '__fish_seen_subcommand_from create' -l help
complete -c tb -n '__fish_seen_subcommand_from create' -l json
complete -c tb -n '__fish_seen_subcommand_from create' -l name
complete -c tb -n '__fish_seen_subcommand_from create' -l no-remote
complete -c tb -n '__fish_seen_subcommand_from create' -l region
complete -c tb -n '__fish_seen_subcommand_from create' -l remote
complete -c tb -n '__fish_seen_subcommand_from create' -l stack
complete -c tb -n '__fish_seen_subcommand_from create' -s n
complete -c tb -n '__fish_seen_subcommand_from create' -s r
complete -c tb -n '__fish_seen_subcommand_from create' -s s
complete -c tb -n '__fish_seen_subcommand_from deploy' -l app
complete -c tb -n '__fish_seen_subcommand_from deploy' -l dir
complete -c tb -n '__fish_seen_subcommand_from deploy' -l fast
complete -c tb -n '__fish_seen_subcommand_from deploy' -l help
complete -c tb -n '__fish_seen_subcommand_from deploy' -l json
complete -c tb -n '__fish_seen_subcommand_from deploy' -l remote
complete -c tb -n '__fish_seen_subcommand_from deploy' -l strategy
complete -c tb -n '__fish_seen_subcommand_from deploy' -l watch
complete -c tb -n '__fish_seen_subcommand_from deploy' -s a
complete -c tb -n '__fish_seen_subcommand_from deploy' -s r
complete -c tb -n '__fish_seen_subcommand_from deploy:cancel' -l app
complete -c tb -n '__fish_seen_subcommand_from deploy:cancel' -l help
complete -c tb -n '__fish_seen_subcommand_from deploy:cancel' -l remote
complete -c tb -n '__fish_seen_subcommand_from deploy:cancel' -s a
complete -c tb -n '__fish_seen_subcommand_from deploy:cancel' -s r
complete -c tb -n '__fish_seen_subcommand_from deploy:promote' -l app
complete -c tb -n '__fish_seen_subcommand_from deploy:promote' -l help
complete -c tb -n '__fish_seen_subcommand_from deploy:promote' -l remote
complete -c tb -n '__fish_seen_subcommand_from deploy:promote' -s a
complete -c tb -n '__fish_seen_subcommand_from deploy:promote' -s r
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l app
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l canary-percent
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l help
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l json
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l max-surge
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l max-unavailable
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l remote
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l static-rule
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l strategy
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -l watch
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -s a
complete -c tb -n '__fish_seen_subcommand_from deploy:settings' -s r
complete -c tb -n '__fish_seen_subcommand_from destroy' -l app
complete -c tb -n '__fish_seen_subcommand_from destroy' -l confirm
complete -c tb -n '__fish_seen_subcommand_from destroy' -l help
complete -c tb -n '__fish_seen_subcommand_from destroy' -l name
complete -c tb -n '__fish_seen_subcommand_from destroy' -l remote
complete -c tb -n '__fish_seen_subcommand_from destroy' -s a
complete -c tb -n '__fish_seen_subcommand_from destroy' -s c
complete -c tb -n '__fish_seen_subcommand_from destroy' -s r
complete -c tb -n '__fish_seen_subcommand_from domains' -l app
complete -c tb -n '__fish_seen_subcommand_from domains' -l help
complete -c tb -n '__fish_seen_subcommand_from domains' -l json
complete -c tb -n '__fish_seen_subcommand_from domains' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains' -s a
complete -c tb -n '__fish_seen_subcommand_from domains' -s r
complete -c tb -n '__fish_seen_subcommand_from domains:add' -l app
complete -c tb -n '__fish_seen_subcommand_from domains:add' -l help
complete -c tb -n '__fish_seen_subcommand_from domains:add' -l hostname
complete -c tb -n '__fish_seen_subcommand_from domains:add' -l json
complete -c tb -n '__fish_seen_subcommand_from domains:add' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains:add' -s a
complete -c tb -n '__fish_seen_subcommand_from domains:add' -s r
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -l app
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -l confirm
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -l help
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -s a
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -s c
complete -c tb -n '__fish_seen_subcommand_from domains:clear' -s r
complete -c tb -n '__fish_seen_subcommand_from domains:info' -l app
complete -c tb -n '__fish_seen_subcommand_from domains:info' -l help
complete -c tb -n '__fish_seen_subcommand_from domains:info' -l hostname
complete -c tb -n '__fish_seen_subcommand_from domains:info' -l json
complete -c tb -n '__fish_seen_subcommand_from domains:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains:info' -s a
complete -c tb -n '__fish_seen_subcommand_from domains:info' -s r
complete -c tb -n '__fish_seen_subcommand_from domains:list' -l app
complete -c tb -n '__fish_seen_subcommand_from domains:list' -l help
complete -c tb -n '__fish_seen_subcommand_from domains:list' -l json
complete -c tb -n '__fish_seen_subcommand_from domains:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains:list' -s a
complete -c tb -n '__fish_seen_subcommand_from domains:list' -s r
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -l app
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -l help
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -l hostname
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -l remote
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -s a
complete -c tb -n '__fish_seen_subcommand_from domains:remove' -s r
complete -c tb -n '__fish_seen_subcommand_from drains' -l app
complete -c tb -n '__fish_seen_subcommand_from drains' -l help
complete -c tb -n '__fish_seen_subcommand_from drains' -l json
complete -c tb -n '__fish_seen_subcommand_from drains' -l remote
complete -c tb -n '__fish_seen_subcommand_from drains' -s a
complete -c tb -n '__fish_seen_subcommand_from drains' -s r
complete -c tb -n '__fish_seen_subcommand_from drains:add' -l app
complete -c tb -n '__fish_seen_subcommand_from drains:add' -l help
complete -c tb -n '__fish_seen_subcommand_from drains:add' -l json
complete -c tb -n '__fish_seen_subcommand_from drains:add' -l remote
complete -c tb -n '__fish_seen_subcommand_from drains:add' -l url
complete -c tb -n '__fish_seen_subcommand_from drains:add' -s a
complete -c tb -n '__fish_seen_subcommand_from drains:add' -s r
complete -c tb -n '__fish_seen_subcommand_from drains:list' -l app
complete -c tb -n '__fish_seen_subcommand_from drains:list' -l help
complete -c tb -n '__fish_seen_subcommand_from drains:list' -l json
complete -c tb -n '__fish_seen_subcommand_from drains:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from drains:list' -s a
complete -c tb -n '__fish_seen_subcommand_from drains:list' -s r
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -l app
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -l drain
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -l help
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -l json
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -l remote
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -s a
complete -c tb -n '__fish_seen_subcommand_from drains:remove' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l dyno
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l process-type
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -s d
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -s p
complete -c tb -n '__fish_seen_subcommand_from dyno:kill' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -l json
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -l sizes
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:resize' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l dyno
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l process-type
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -s d
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -s p
complete -c tb -n '__fish_seen_subcommand_from dyno:restart' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -l changes
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -l json
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:scale' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l dyno
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l process-type
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -s d
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -s p
complete -c tb -n '__fish_seen_subcommand_from dyno:stop' -s r
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -l app
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -l help
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -l json
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -l remote
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -l sizes
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -s a
complete -c tb -n '__fish_seen_subcommand_from dyno:type' -s r
complete -c tb -n '__fish_seen_subcommand_from git:clone' -l app
complete -c tb -n '__fish_seen_subcommand_from git:clone' -l directory
complete -c tb -n '__fish_seen_subcommand_from git:clone' -l help
complete -c tb -n '__fish_seen_subcommand_from git:clone' -l remote
complete -c tb -n '__fish_seen_subcommand_from git:clone' -s a
complete -c tb -n '__fish_seen_subcommand_from git:clone' -s r
complete -c tb -n '__fish_seen_subcommand_from git:credentials' -l help
complete -c tb -n '__fish_seen_subcommand_from git:credentials' -l operation
complete -c tb -n '__fish_seen_subcommand_from git:remote' -l app
complete -c tb -n '__fish_seen_subcommand_from git:remote' -l help
complete -c tb -n '__fish_seen_subcommand_from git:remote' -l remote
complete -c tb -n '__fish_seen_subcommand_from git:remote' -s a
complete -c tb -n '__fish_seen_subcommand_from git:remote' -s r
complete -c tb -n '__fish_seen_subcommand_from info' -l app
complete -c tb -n '__fish_seen_subcommand_from info' -l help
complete -c tb -n '__fish_seen_subcommand_from info' -l json
complete -c tb -n '__fish_seen_subcommand_from info' -l name
complete -c tb -n '__fish_seen_subcommand_from info' -l remote
complete -c tb -n '__fish_seen_subcommand_from info' -s a
complete -c tb -n '__fish_seen_subcommand_from info' -s r
complete -c tb -n '__fish_seen_subcommand_from local' -l can-die
complete -c tb -n '__fish_seen_subcommand_from local' -l color
complete -c tb -n '__fish_seen_subcommand_from local' -l env
complete -c tb -n '__fish_seen_subcommand_from local' -l formation
complete -c tb -n '__fish_seen_subcommand_from local' -l help
complete -c tb -n '__fish_seen_subcommand_from local' -l port
complete -c tb -n '__fish_seen_subcommand_from local' -l prefix
complete -c tb -n '__fish_seen_subcommand_from local' -l processes
complete -c tb -n '__fish_seen_subcommand_from local' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local' -l restart
complete -c tb -n '__fish_seen_subcommand_from local' -l root
complete -c tb -n '__fish_seen_subcommand_from local' -l timeout
complete -c tb -n '__fish_seen_subcommand_from local' -l timestamp
complete -c tb -n '__fish_seen_subcommand_from local' -s c
complete -c tb -n '__fish_seen_subcommand_from local' -s d
complete -c tb -n '__fish_seen_subcommand_from local' -s e
complete -c tb -n '__fish_seen_subcommand_from local' -s f
complete -c tb -n '__fish_seen_subcommand_from local' -s m
complete -c tb -n '__fish_seen_subcommand_from local' -s p
complete -c tb -n '__fish_seen_subcommand_from local' -s r
complete -c tb -n '__fish_seen_subcommand_from local' -s t
complete -c tb -n '__fish_seen_subcommand_from local:check' -l env
complete -c tb -n '__fish_seen_subcommand_from local:check' -l help
complete -c tb -n '__fish_seen_subcommand_from local:check' -l json
complete -c tb -n '__fish_seen_subcommand_from local:check' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:check' -l root
complete -c tb -n '__fish_seen_subcommand_from local:check' -s d
complete -c tb -n '__fish_seen_subcommand_from local:check' -s e
complete -c tb -n '__fish_seen_subcommand_from local:check' -s f
complete -c tb -n '__fish_seen_subcommand_from local:export' -l app
complete -c tb -n '__fish_seen_subcommand_from local:export' -l env
complete -c tb -n '__fish_seen_subcommand_from local:export' -l format
complete -c tb -n '__fish_seen_subcommand_from local:export' -l formation
complete -c tb -n '__fish_seen_subcommand_from local:export' -l help
complete -c tb -n '__fish_seen_subcommand_from local:export' -l json
complete -c tb -n '__fish_seen_subcommand_from local:export' -l location
complete -c tb -n '__fish_seen_subcommand_from local:export' -l port
complete -c tb -n '__fish_seen_subcommand_from local:export' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:export' -l root
complete -c tb -n '__fish_seen_subcommand_from local:export' -l timeout
complete -c tb -n '__fish_seen_subcommand_from local:export' -l user
complete -c tb -n '__fish_seen_subcommand_from local:export' -s a
complete -c tb -n '__fish_seen_subcommand_from local:export' -s d
complete -c tb -n '__fish_seen_subcommand_from local:export' -s e
complete -c tb -n '__fish_seen_subcommand_from local:export' -s f
complete -c tb -n '__fish_seen_subcommand_from local:export' -s m
complete -c tb -n '__fish_seen_subcommand_from local:export' -s p
complete -c tb -n '__fish_seen_subcommand_from local:export' -s t
complete -c tb -n '__fish_seen_subcommand_from local:export' -s u
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l env
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l help
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l json
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l name
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:restart' -l root
complete -c tb -n '__fish_seen_subcommand_from local:restart' -s d
complete -c tb -n '__fish_seen_subcommand_from local:restart' -s e
complete -c tb -n '__fish_seen_subcommand_from local:restart' -s f
complete -c tb -n '__fish_seen_subcommand_from local:run' -l command
complete -c tb -n '__fish_seen_subcommand_from local:run' -l env
complete -c tb -n '__fish_seen_subcommand_from local:run' -l help
complete -c tb -n '__fish_seen_subcommand_from local:run' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:run' -l root
complete -c tb -n '__fish_seen_subcommand_from local:run' -s d
complete -c tb -n '__fish_seen_subcommand_from local:run' -s e
complete -c tb -n '__fish_seen_subcommand_from local:run' -s f
complete -c tb -n '__fish_seen_subcommand_from local:start' -l can-die
complete -c tb -n '__fish_seen_subcommand_from local:start' -l color
complete -c tb -n '__fish_seen_subcommand_from local:start' -l env
complete -c tb -n '__fish_seen_subcommand_from local:start' -l formation
complete -c tb -n '__fish_seen_subcommand_from local:start' -l help
complete -c tb -n '__fish_seen_subcommand_from local:start' -l port
complete -c tb -n '__fish_seen_subcommand_from local:start' -l prefix
complete -c tb -n '__fish_seen_subcommand_from local:start' -l processes
complete -c tb -n '__fish_seen_subcommand_from local:start' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:start' -l restart
complete -c tb -n '__fish_seen_subcommand_from local:start' -l root
complete -c tb -n '__fish_seen_subcommand_from local:start' -l timeout
complete -c tb -n '__fish_seen_subcommand_from local:start' -l timestamp
complete -c tb -n '__fish_seen_subcommand_from local:start' -s c
complete -c tb -n '__fish_seen_subcommand_from local:start' -s d
complete -c tb -n '__fish_seen_subcommand_from local:start' -s e
complete -c tb -n '__fish_seen_subcommand_from local:start' -s f
complete -c tb -n '__fish_seen_subcommand_from local:start' -s m
complete -c tb -n '__fish_seen_subcommand_from local:start' -s p
complete -c tb -n '__fish_seen_subcommand_from local:start' -s r
complete -c tb -n '__fish_seen_subcommand_from local:start' -s t
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l env
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l help
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l json
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l name
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l procfile
complete -c tb -n '__fish_seen_subcommand_from local:stop' -l root
complete -c tb -n '__fish_seen_subcommand_from local:stop' -s d
complete -c tb -n '__fish_seen_subcommand_from local:stop' -s e
complete -c tb -n '__fish_seen_subcommand_from local:stop' -s f
complete -c tb -n '__fish_seen_subcommand_from login' -l api-key
complete -c tb -n '__fish_seen_subcommand_from login' -l help
complete -c tb -n '__fish_seen_subcommand_from logout' -l help
complete -c tb -n '__fish_seen_subcommand_from logs' -l app
complete -c tb -n '__fish_seen_subcommand_from logs' -l dyno
complete -c tb -n '__fish_seen_subcommand_from logs' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from logs' -l help
complete -c tb -n '__fish_seen_subcommand_from logs' -l json
complete -c tb -n '__fish_seen_subcommand_from logs' -l num
complete -c tb -n '__fish_seen_subcommand_from logs' -l process-type
complete -c tb -n '__fish_seen_subcommand_from logs' -l ps
complete -c tb -n '__fish_seen_subcommand_from logs' -l remote
complete -c tb -n '__fish_seen_subcommand_from logs' -l source
complete -c tb -n '__fish_seen_subcommand_from logs' -l tail
complete -c tb -n '__fish_seen_subcommand_from logs' -s a
complete -c tb -n '__fish_seen_subcommand_from logs' -s d
complete -c tb -n '__fish_seen_subcommand_from logs' -s n
complete -c tb -n '__fish_seen_subcommand_from logs' -s p
complete -c tb -n '__fish_seen_subcommand_from logs' -s r
complete -c tb -n '__fish_seen_subcommand_from logs' -s s
complete -c tb -n '__fish_seen_subcommand_from logs' -s t
complete -c tb -n '__fish_seen_subcommand_from maintenance' -l app
complete -c tb -n '__fish_seen_subcommand_from maintenance' -l help
complete -c tb -n '__fish_seen_subcommand_from maintenance' -l json
complete -c tb -n '__fish_seen_subcommand_from maintenance' -l remote
complete -c tb -n '__fish_seen_subcommand_from maintenance' -s a
complete -c tb -n '__fish_seen_subcommand_from maintenance' -s r
complete -c tb -n '__fish_seen_subcommand_from maintenance:off' -l app
complete -c tb -n '__fish_seen_subcommand_from maintenance:off' -l help
complete -c tb -n '__fish_seen_subcommand_from maintenance:off' -l remote
complete -c tb -n '__fish_seen_subcommand_from maintenance:off' -s a
complete -c tb -n '__fish_seen_subcommand_from maintenance:off' -s r
complete -c tb -n '__fish_seen_subcommand_from maintenance:on' -l app
complete -c tb -n '__fish_seen_subcommand_from maintenance:on' -l help
complete -c tb -n '__fish_seen_subcommand_from maintenance:on' -l remote
complete -c tb -n '__fish_seen_subcommand_from maintenance:on' -s a
complete -c tb -n '__fish_seen_subcommand_from maintenance:on' -s r
complete -c tb -n '__fish_seen_subcommand_from open' -l app
complete -c tb -n '__fish_seen_subcommand_from open' -l help
complete -c tb -n '__fish_seen_subcommand_from open' -l path
complete -c tb -n '__fish_seen_subcommand_from open' -l remote
complete -c tb -n '__fish_seen_subcommand_from open' -s a
complete -c tb -n '__fish_seen_subcommand_from open' -s r
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -l app
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -l help
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -l json
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -l remote
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -s a
complete -c tb -n '__fish_seen_subcommand_from pg:backups' -s r
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -l app
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -l database
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -l help
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -l json
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -l remote
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -s a
complete -c tb -n '__fish_seen_subcommand_from pg:backups:capture' -s r
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l app
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l backup
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l confirm
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l database
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l help
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -l remote
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -s a
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -s c
complete -c tb -n '__fish_seen_subcommand_from pg:backups:restore' -s r
complete -c tb -n '__fish_seen_subcommand_from pg:info' -l app
complete -c tb -n '__fish_seen_subcommand_from pg:info' -l database
complete -c tb -n '__fish_seen_subcommand_from pg:info' -l help
complete -c tb -n '__fish_seen_subcommand_from pg:info' -l json
complete -c tb -n '__fish_seen_subcommand_from pg:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from pg:info' -s a
complete -c tb -n '__fish_seen_subcommand_from pg:info' -s r
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l app
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l command
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l database
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l file
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l help
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -l remote
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -s a
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -s c
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -s f
complete -c tb -n '__fish_seen_subcommand_from pg:psql' -s r
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l foreground
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l help
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l port
complete -c tb -n '__fish_seen_subcommand_from platform:start' -l router-port
complete -c tb -n '__fish_seen_subcommand_from platform:status' -l help
complete -c tb -n '__fish_seen_subcommand_from platform:status' -l json
complete -c tb -n '__fish_seen_subcommand_from platform:stop' -l help
complete -c tb -n '__fish_seen_subcommand_from ps' -l app
complete -c tb -n '__fish_seen_subcommand_from ps' -l help
complete -c tb -n '__fish_seen_subcommand_from ps' -l json
complete -c tb -n '__fish_seen_subcommand_from ps' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps' -l types
complete -c tb -n '__fish_seen_subcommand_from ps' -s a
complete -c tb -n '__fish_seen_subcommand_from ps' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l dyno
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l file
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l json
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l output
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -s d
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -s o
complete -c tb -n '__fish_seen_subcommand_from ps:copy' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l command
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l dyno
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l no-tty
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -s d
complete -c tb -n '__fish_seen_subcommand_from ps:exec' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l dyno
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l process-type
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -s d
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -s p
complete -c tb -n '__fish_seen_subcommand_from ps:kill' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -l json
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -l sizes
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:resize' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l dyno
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l process-type
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -s d
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -s p
complete -c tb -n '__fish_seen_subcommand_from ps:restart' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -l changes
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -l json
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:scale' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l dyno
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l process-type
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -s d
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -s p
complete -c tb -n '__fish_seen_subcommand_from ps:stop' -s r
complete -c tb -n '__fish_seen_subcommand_from ps:type' -l app
complete -c tb -n '__fish_seen_subcommand_from ps:type' -l help
complete -c tb -n '__fish_seen_subcommand_from ps:type' -l json
complete -c tb -n '__fish_seen_subcommand_from ps:type' -l remote
complete -c tb -n '__fish_seen_subcommand_from ps:type' -l sizes
complete -c tb -n '__fish_seen_subcommand_from ps:type' -s a
complete -c tb -n '__fish_seen_subcommand_from ps:type' -s r
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -l app
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -l args
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -l database
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -l help
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -l remote
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -s a
complete -c tb -n '__fish_seen_subcommand_from redis:cli' -s r
complete -c tb -n '__fish_seen_subcommand_from releases' -l app
complete -c tb -n '__fish_seen_subcommand_from releases' -l help
complete -c tb -n '__fish_seen_subcommand_from releases' -l json
complete -c tb -n '__fish_seen_subcommand_from releases' -l num
complete -c tb -n '__fish_seen_subcommand_from releases' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases' -s a
complete -c tb -n '__fish_seen_subcommand_from releases' -s n
complete -c tb -n '__fish_seen_subcommand_from releases' -s r
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -l app
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -l help
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -l release
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -s a
complete -c tb -n '__fish_seen_subcommand_from releases:disable' -s r
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -l app
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -l help
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -l release
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -s a
complete -c tb -n '__fish_seen_subcommand_from releases:enable' -s r
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l app
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l help
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l json
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l release
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases:info' -l shell
complete -c tb -n '__fish_seen_subcommand_from releases:info' -s a
complete -c tb -n '__fish_seen_subcommand_from releases:info' -s r
complete -c tb -n '__fish_seen_subcommand_from releases:info' -s s
complete -c tb -n '__fish_seen_subcommand_from releases:list' -l app
complete -c tb -n '__fish_seen_subcommand_from releases:list' -l help
complete -c tb -n '__fish_seen_subcommand_from releases:list' -l json
complete -c tb -n '__fish_seen_subcommand_from releases:list' -l num
complete -c tb -n '__fish_seen_subcommand_from releases:list' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases:list' -s a
complete -c tb -n '__fish_seen_subcommand_from releases:list' -s n
complete -c tb -n '__fish_seen_subcommand_from releases:list' -s r
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -l app
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -l help
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -l release
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -l remote
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -s a
complete -c tb -n '__fish_seen_subcommand_from releases:rollback' -s r
complete -c tb -n '__fish_seen_subcommand_from rename' -l app
complete -c tb -n '__fish_seen_subcommand_from rename' -l help
complete -c tb -n '__fish_seen_subcommand_from rename' -l newname
complete -c tb -n '__fish_seen_subcommand_from rename' -l remote
complete -c tb -n '__fish_seen_subcommand_from rename' -s a
complete -c tb -n '__fish_seen_subcommand_from rename' -s r
complete -c tb -n '__fish_seen_subcommand_from resize' -l app
complete -c tb -n '__fish_seen_subcommand_from resize' -l help
complete -c tb -n '__fish_seen_subcommand_from resize' -l json
complete -c tb -n '__fish_seen_subcommand_from resize' -l remote
complete -c tb -n '__fish_seen_subcommand_from resize' -l sizes
complete -c tb -n '__fish_seen_subcommand_from resize' -s a
complete -c tb -n '__fish_seen_subcommand_from resize' -s r
complete -c tb -n '__fish_seen_subcommand_from restart' -l app
complete -c tb -n '__fish_seen_subcommand_from restart' -l dyno
complete -c tb -n '__fish_seen_subcommand_from restart' -l dyno-name
complete -c tb -n '__fish_seen_subcommand_from restart' -l help
complete -c tb -n '__fish_seen_subcommand_from restart' -l process-type
complete -c tb -n '__fish_seen_subcommand_from restart' -l remote
complete -c tb -n '__fish_seen_subcommand_from restart' -s a
complete -c tb -n '__fish_seen_subcommand_from restart' -s d
complete -c tb -n '__fish_seen_subcommand_from restart' -s p
complete -c tb -n '__fish_seen_subcommand_from restart' -s r
complete -c tb -n '__fish_seen_subcommand_from rollback' -l app
complete -c tb -n '__fish_seen_subcommand_from rollback' -l help
complete -c tb -n '__fish_seen_subcommand_from rollback' -l release
complete -c tb -n '__fish_seen_subcommand_from rollback' -l remote
complete -c tb -n '__fish_seen_subcommand_from rollback' -s a
complete -c tb -n '__fish_seen_subcommand_from rollback' -s r
complete -c tb -n '__fish_seen_subcommand_from run' -l app
complete -c tb -n '__fish_seen_subcommand_from run' -l command
complete -c tb -n '__fish_seen_subcommand_from run' -l env
complete -c tb -n '__fish_seen_subcommand_from run' -l exit-code
complete -c tb -n '__fish_seen_subcommand_from run' -l help
complete -c tb -n '__fish_seen_subcommand_from run' -l no-tty
complete -c tb -n '__fish_seen_subcommand_from run' -l remote
complete -c tb -n '__fish_seen_subcommand_from run' -l size
complete -c tb -n '__fish_seen_subcommand_from run' -l type
complete -c tb -n '__fish_seen_subcommand_from run' -s a
complete -c tb -n '__fish_seen_subcommand_from run' -s e
complete -c tb -n '__fish_seen_subcommand_from run' -s r
complete -c tb -n '__fish_seen_subcommand_from run' -s s
complete -c tb -n '__fish_seen_subcommand_from run' -s x
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l app
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l command
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l env
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l help
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l json
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l remote
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l size
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l tail
complete -c tb -n '__fish_seen_subcommand_from run:detached' -l type
complete -c tb -n '__fish_seen_subcommand_from run:detached' -s a
complete -c tb -n '__fish_seen_subcommand_from run:detached' -s e
complete -c tb -n '__fish_seen_subcommand_from run:detached' -s r
complete -c tb -n '__fish_seen_subcommand_from run:detached' -s s
complete -c tb -n '__fish_seen_subcommand_from run:detached' -s t
complete -c tb -n '__fish_seen_subcommand_from scale' -l app
complete -c tb -n '__fish_seen_subcommand_from scale' -l changes
complete -c tb -n '__fish_seen_subcommand_from scale' -l help
complete -c tb -n '__fish_seen_subcommand_from scale' -l json
complete -c tb -n '__fish_seen_subcommand_from scale' -l remote
complete -c tb -n '__fish_seen_subcommand_from scale' -s a
complete -c tb -n '__fish_seen_subcommand_from scale' -s r
complete -c tb -n '__fish_seen_subcommand_from version' -l help
complete -c tb -n '__fish_seen_subcommand_from version' -l json
complete -c tb -n '__fish_seen_subcommand_from whoami' -l help
complete -c tb -n '__fish_seen_subcommand_from whoami' -l json

# live values: after a flag that names something on the platform, or as the command's arguments
function __tb_live_kind
  set -l words (commandline -opc)
  test (count $words) -ge 2; or return 1
  switch "$words[2] $words[-1]"
    case '* --app' '* -a'
      echo apps; return 0
    case 'logs --dyno' 'logs --dyno-name' 'logs -d'
      echo dynos; return 0
  end
  string match -q -- '-*' (commandline -ct); and return 1
  switch $words[2]
    case config:get config:remove config:unset
      echo config-keys; return 0
    case dyno:kill dyno:restart dyno:stop ps:kill ps:restart ps:stop restart
      echo dynos; return 0
    case dyno:scale ps:scale scale
      echo process-types; return 0
    case releases:info releases:rollback rollback
      echo releases; return 0
  end
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
