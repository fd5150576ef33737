import { sdk } from './sdk'

// The whole `main` volume: the store, the gateway's SQLite database (swap history,
// connectivity log, locks, schedules, webhook deliveries, redaction vault, audit log),
// its SSH key pair and pinned host keys. Restoring it restores the gateway as it was.
export const { createBackup, restoreInit } = sdk.setupBackups(async () =>
  sdk.Backups.ofVolumes('main'),
)
