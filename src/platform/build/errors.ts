// The one error type of the build pipeline (extracting a source, running buildpacks, packing a
// slug). Its message is a single line meant for the user's build output, as Heroku prints it.
import { TbError } from '../../errors.js'

export class BuildError extends TbError {}
