import { dataDir } from './constants'
import { sdk } from './sdk'

/** The `main` volume at the gateway's data directory. */
export const mainMounts = () =>
  sdk.Mounts.of().mountVolume({
    volumeId: 'main',
    subpath: null,
    mountpoint: dataDir,
    readonly: false,
  })
