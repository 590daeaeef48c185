// How the API's resources are named: ids are UUIDs, releases also go by version (`v3`), apps by a
// name of Heroku's form. The CLI checks what a user typed by these rules; the platform, what a
// request sent.

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A resource id as the API gives it (any case; ids are compared in lower case). */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text)
}

/** The version a release reference names (`v3`, `V3`, `3`); undefined for anything else. */
export function releaseVersion(text: string): number | undefined {
  const m = /^v?(\d+)$/i.exec(text.trim())
  return m ? Number(m[1]) : undefined
}

/** The release a user named: `v3`, `3` or a release id; what the API path takes. */
export function releaseRef(text: string): string | undefined {
  const version = releaseVersion(text)
  if (version !== undefined) return String(version)
  return isUuid(text) ? text.toLowerCase() : undefined
}

/** Heroku's app names: 3 to 30 of lowercase letters, digits and dashes, a letter first, no dash last. */
export const APP_NAME_PATTERN = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/

/** The rule in words, for a user whose name breaks it. */
export const APP_NAME_RULE = 'Use 3 to 30 characters: lowercase letters, digits and dashes, starting with a letter and not ending with a dash.'

export function isAppName(name: string): boolean {
  return APP_NAME_PATTERN.test(name)
}
