import { StartSdk } from '@start9labs/start-sdk'
import { manifest } from './manifest'

/** The package's SDK, typed by its manifest. */
export const sdk = StartSdk.of().withManifest(manifest).build(true)
