// The command a one-off dyno runs, as one shell line.
import { shellWord } from '../../shared/quote.js'

/**
 * The dyno's shell line. One word is taken as a line already (`tb run "rake db:migrate && rake
 * seed"`, as Heroku's CLI does); several are quoted for the shell so each arrives as it was typed.
 */
export function commandLine(words: string[]): string {
  if (words.length === 1) return words[0]
  return words.map(shellWord).join(' ')
}
