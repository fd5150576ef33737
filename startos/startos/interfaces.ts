import { uiHostId, uiInterfaceId, uiPort } from './constants'
import { sdk } from './sdk'

// The dashboard and the REST/OpenAI-compatible API share port 9999.
//
// Sign-in decision: the app's own sign-in, not the StartOS proxy's basic auth. Basic
// auth would take the `Authorization` header that API clients (OpenAI SDKs, downstream
// apps, automation) need for their `Bearer` keys, and the dashboard's live updates use
// a session cookie after sign-in. So the interface is published without credentials;
// with "Require API keys" off the gateway is open to whoever can reach the interface
// (a LAN install, as the original system), and with it on every route but /health asks
// for a key (made with "Create API key") and the dashboard signs in once. See
// startos/README.md.
export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const multi = sdk.MultiHost.of(effects, uiHostId)
  const origin = await multi.bindPort(uiPort, { protocol: 'http' })
  const ui = sdk.createInterface(effects, {
    name: 'Dashboard and API',
    id: uiInterfaceId,
    description:
      'The Spark Control dashboard, its REST API and the OpenAI-compatible API under /v1',
    type: 'ui',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '',
    query: {},
  })
  return [await origin.export([ui])]
})
