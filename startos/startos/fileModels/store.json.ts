import { FileHelper } from '@start9labs/start-sdk'
import { sdk } from '../sdk'
import { storeShape } from './storeShape'

/** `store.json` on the `main` volume, outside the gateway's own files. */
export const storeJson = FileHelper.json(
  { base: sdk.volumes.main, subpath: '.startos/store.json' },
  storeShape,
)
