// Facts shared by the daemon, the interface and the store: one place each.

/** The gateway's port inside the container; the StartOS interface exposes it. */
export const uiPort = 9999

/** Where the `main` volume is mounted; the gateway's data directory (SQLite, SSH keys,
 * pinned host keys, the vault key) lives here so backups cover it. */
export const dataDir = '/data'

/** The key pair the gateway generates on first start (core `ensure_gateway_key`). */
export const gatewayKeyPath = `${dataDir}/ssh/id_ed25519`

/** The image's non-root user (uid 1000, see the repository's Dockerfile). */
export const appUser = 'spark'
export const appUid = 1000

export const uiHostId = 'ui-multi'
export const uiInterfaceId = 'ui'
export const imageId = 'spark-control'

/** The image's virtual environment (Dockerfile); commands are named by full path so
 * they do not depend on the image's PATH reaching the subcontainer. */
export const venvBin = '/opt/spark-control/bin'
