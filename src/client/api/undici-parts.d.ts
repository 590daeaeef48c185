// Types for the two undici modules the API client loads directly (see client.ts for why).
declare module 'undici/lib/dispatcher/client.js' {
  import { Client } from 'undici'
  export default Client
}

declare module 'undici/lib/api/index.js' {
  import type { Dispatcher } from 'undici'
  const api: {
    request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>
  }
  export default api
}
