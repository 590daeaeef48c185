/**
 * A config value for `KEY=value` shell output, as Heroku's CLI quotes it: bare when harmless,
 * else single quotes, else (the value holds `'` or a newline) double quotes with `"\$` and
 * backquote escaped and each newline written `\n`, so the line stays one line and dotenv reads
 * the newline back. Unlike Heroku's, nothing is escaped inside single quotes, where a shell
 * would keep the backslash.
 */
export function shellQuote(value: string): string {
  if (!/["\s#!$&'()*,:;<=>?@[\\\]^`{|}]/.test(value)) return value
  if (/['\n]/.test(value)) return `"${value.replace(/(["\\$`])/g, '\\$1').replace(/\n/g, '\\n')}"`
  return `'${value}'`
}
