import { buildManifest } from '@start9labs/start-sdk'
import { manifest as sdkManifest } from './manifest'
import { versionGraph } from './versions'

// Plumbing: what StartOS loads from the package's javascript bundle.
export { actions } from './actions'
export { createBackup } from './backups'
export { setDependencies } from './dependencies'
export { init, uninit } from './init'
export { setInterfaces } from './interfaces'
export { main } from './main'
export const manifest = buildManifest(versionGraph, sdkManifest)
