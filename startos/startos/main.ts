import {
  appUid,
  appUser,
  dataDir,
  imageId,
  uiHostId,
  uiInterfaceId,
  uiPort,
  venvBin,
} from './constants'
import { type Access, daemonEnv } from './env'
import { storeJson } from './fileModels/store.json'
import { mainMounts } from './mounts'
import { sdk } from './sdk'

export const main = sdk.setupMain(async ({ effects }) => {
  // Read reactively: saving "Configure Sparks" restarts the daemon with the new env.
  const store = await storeJson.read().const(effects)
  if (!store) throw new Error('store.json is missing: reinstall the service')
  const access = await sdk.host
    .getOwn(effects, uiHostId, (host) => interfaceAccess(host), sameAccess)
    .const()

  const sub = sdk.SubContainer.of(effects, { imageId }, mainMounts(), 'spark-control')

  return sdk.Daemons.of(effects)
    .addOneshot('chown', {
      subcontainer: sub,
      // The volume is created by root; the gateway runs as uid 1000 and keeps its
      // database, keys and pinned host keys there.
      exec: {
        command: ['/bin/chown', '-R', `${appUid}:${appUid}`, dataDir],
        user: 'root',
      },
      requires: [],
    })
    .addDaemon('gateway', {
      subcontainer: sub,
      exec: {
        command: [`${venvBin}/spark-control`, 'serve'],
        env: daemonEnv(store, access),
        user: appUser,
      },
      ready: {
        display: 'Dashboard and API',
        gracePeriod: 60_000,
        fn: () =>
          sdk.healthCheck.checkWebUrl(effects, `http://127.0.0.1:${uiPort}/health`, {
            successMessage: 'The dashboard and API are ready',
            errorMessage: 'The gateway is not answering on /health',
          }),
      },
      requires: ['chown'],
    })
})

type MaybeHost = Parameters<Parameters<typeof sdk.host.getOwn>[2]>[0]

/** The names and origins browsers reach the UI interface by. */
function interfaceAccess(host: MaybeHost): Access {
  const urls = Object.values(host?.bindings ?? {})
    .flatMap((b) => Object.values(b.interfaces))
    .filter((i) => i.id === uiInterfaceId)
    .flatMap((i) => i.addressInfo.format('url'))
  return {
    hostnames: unique(urls.map((u) => u.hostname.replace(/^\[|\]$/g, ''))),
    origins: unique(urls.map((u) => u.origin)),
  }
}

function sameAccess(a: Access | null, b: Access | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

const unique = (items: string[]) => [...new Set(items)].sort()
