// Readable names for apps created without one, in Heroku's style: `quiet-river-4821`.
import { randomInt } from 'node:crypto'

const ADJECTIVES = [
  'ancient', 'autumn', 'billowing', 'bold', 'brave', 'bright', 'calm', 'cool', 'crimson', 'damp',
  'dark', 'dawn', 'delicate', 'divine', 'dry', 'empty', 'falling', 'floral', 'fragrant', 'frosty',
  'gentle', 'golden', 'green', 'hidden', 'holy', 'icy', 'lively', 'long', 'misty', 'morning',
  'muddy', 'nameless', 'old', 'patient', 'polished', 'proud', 'purple', 'quiet', 'rapid', 'red',
  'restless', 'rough', 'shy', 'silent', 'small', 'snowy', 'solitary', 'sparkling', 'spring', 'still',
  'summer', 'sweet', 'twilight', 'wandering', 'weathered', 'white', 'wild', 'winter', 'wispy', 'young',
]

const NOUNS = [
  'bird', 'breeze', 'brook', 'bush', 'butterfly', 'cherry', 'cloud', 'darkness', 'dawn', 'dew',
  'dream', 'dust', 'field', 'fire', 'firefly', 'flower', 'fog', 'forest', 'frog', 'frost',
  'glade', 'glitter', 'grass', 'haze', 'hill', 'lake', 'leaf', 'meadow', 'moon', 'morning',
  'mountain', 'night', 'paper', 'pine', 'pond', 'rain', 'reef', 'resonance', 'river', 'sea',
  'shadow', 'shape', 'silence', 'sky', 'smoke', 'snow', 'snowflake', 'sound', 'star', 'sun',
  'sunset', 'surf', 'thunder', 'tree', 'violet', 'voice', 'water', 'waterfall', 'wave', 'wildflower',
]

const pick = (words: string[]) => words[randomInt(words.length)]

export function randomAppName(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000, 10000)}`
}

/** Heroku's add-on names: the service's short name, a word, a number (`postgresql-quiet-48213`). */
export function randomAddonName(prefix: string): string {
  return `${prefix}-${pick(ADJECTIVES)}-${randomInt(10000, 100000)}`
}
