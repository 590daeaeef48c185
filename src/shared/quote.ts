// Quoting for a POSIX shell. Other readers have their own rules and their own quoting beside
// their writers: .env files (envfile/write.ts), systemd units (local/export.ts), .netrc.

/** One word for `sh`: bare when it is plain, else single quotes, each `'` written `'\''`. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The value of a `KEY=value` line that a shell and dotenv both read back, as Heroku's CLI quotes
 * config values: bare when harmless, else single quotes, else (the value holds `'` or a newline)
 * double quotes with `"\$` and backquote escaped and each newline written `\n`, so the line
 * stays one line and dotenv reads the newline back. Unlike Heroku's, nothing is escaped inside
 * single quotes, where a shell would keep the backslash.
 */
export function shellValue(value: string): string {
  if (!/["\s#!$&'()*,:;<=>?@[\\\]^`{|}]/.test(value)) return value
  if (/['\n]/.test(value)) return `"${value.replace(/(["\\$`])/g, '\\$1').replace(/\n/g, '\\n')}"`
  return `'${value}'`
}
