// Every command module, listed statically so the bundle sees them all (no directory scanning).
import type { CommandModule } from '../src/cli/command.js'
import addons from './addons/index.js'
import addonsAttach from './addons/attach.js'
import addonsCreate from './addons/create.js'
import addonsDestroy from './addons/destroy.js'
import addonsDetach from './addons/detach.js'
import addonsInfo from './addons/info.js'
import apps from './apps/index.js'
import appsCreate from './apps/create.js'
import appsDestroy from './apps/destroy.js'
import appsInfo from './apps/info.js'
import appsRename from './apps/rename.js'
import authLogin from './auth/login.js'
import authLogout from './auth/logout.js'
import authToken from './auth/token.js'
import authWhoami from './auth/whoami.js'
import builds from './builds/index.js'
import buildsInfo from './builds/info.js'
import buildsOutput from './builds/output.js'
import config from './config/index.js'
import configGet from './config/get.js'
import configPull from './config/pull.js'
import configPush from './config/push.js'
import configSet from './config/set.js'
import configUnset from './config/unset.js'
import deploy from './deploy/index.js'
import domains from './domains/index.js'
import drains from './drains/index.js'
import drainsAdd from './drains/add.js'
import drainsRemove from './drains/remove.js'
import domainsAdd from './domains/add.js'
import domainsClear from './domains/clear.js'
import domainsInfo from './domains/info.js'
import domainsRemove from './domains/remove.js'
import deployCancel from './deploy/cancel.js'
import deployPromote from './deploy/promote.js'
import deploySettings from './deploy/settings.js'
import gitClone from './git/clone.js'
import gitCredentials from './git/credentials.js'
import gitRemote from './git/remote.js'
import logs from './logs/index.js'
import maintenance from './maintenance/index.js'
import maintenanceOff from './maintenance/off.js'
import maintenanceOn from './maintenance/on.js'
import open from './open.js'
import ps from './ps/index.js'
import psCopy from './ps/copy.js'
import psExec from './ps/exec.js'
import psRestart from './ps/restart.js'
import psScale from './ps/scale.js'
import psStop from './ps/stop.js'
import psType from './ps/type.js'
import releases from './releases/index.js'
import releasesDisable from './releases/disable.js'
import releasesEnable from './releases/enable.js'
import releasesInfo from './releases/info.js'
import releasesRollback from './releases/rollback.js'
import run from './run/index.js'
import runDetached from './run/detached.js'
import completions from './completions/index.js'
import completionsValues from './completions/values.js'
import localCheck from './local/check.js'
import localExport from './local/export.js'
import localRestart from './local/restart.js'
import localRun from './local/run.js'
import localStart from './local/start.js'
import localStop from './local/stop.js'
import pgBackups from './pg/backups/index.js'
import pgBackupsCapture from './pg/backups/capture.js'
import pgBackupsRestore from './pg/backups/restore.js'
import pgInfo from './pg/info.js'
import pgPsql from './pg/psql.js'
import platformStart from './platform/start.js'
import platformStatus from './platform/status.js'
import platformStop from './platform/stop.js'
import redisCli from './redis/cli.js'
import version from './version.js'

export const commands = [
  addons,
  addonsAttach,
  addonsCreate,
  addonsDestroy,
  addonsDetach,
  addonsInfo,
  apps,
  appsCreate,
  appsDestroy,
  appsInfo,
  appsRename,
  authLogin,
  authLogout,
  authToken,
  authWhoami,
  builds,
  buildsInfo,
  buildsOutput,
  config,
  configGet,
  configPull,
  configPush,
  configSet,
  configUnset,
  deploy,
  domains,
  drains,
  drainsAdd,
  drainsRemove,
  domainsAdd,
  domainsClear,
  domainsInfo,
  domainsRemove,
  deployCancel,
  deployPromote,
  deploySettings,
  gitClone,
  gitCredentials,
  gitRemote,
  logs,
  maintenance,
  maintenanceOff,
  maintenanceOn,
  open,
  ps,
  psCopy,
  psExec,
  psRestart,
  psScale,
  psStop,
  psType,
  releases,
  releasesDisable,
  releasesEnable,
  releasesInfo,
  releasesRollback,
  run,
  runDetached,
  completions,
  completionsValues,
  localCheck,
  localExport,
  localRestart,
  localRun,
  localStart,
  localStop,
  pgBackups,
  pgBackupsCapture,
  pgBackupsRestore,
  pgInfo,
  pgPsql,
  platformStart,
  platformStatus,
  platformStop,
  redisCli,
  version,
] satisfies CommandModule[]
