declare const TB_VERSION: string

/** Inlined by the bundler from package.json; tests running the sources see the dev marker. */
export const VERSION = typeof TB_VERSION === 'string' ? TB_VERSION : '0.0.0-dev'

export function versionLine(): string {
  return `tb/${VERSION} ${process.platform}-${process.arch} node-${process.version}`
}

export const USER_AGENT = `tb/${VERSION} node-${process.version}`
