import { type T } from '@start9labs/start-sdk'
import { appUser, dataDir, imageId, venvBin } from './constants'
import { daemonEnv } from './env'
import { storeJson } from './fileModels/store.json'
import { emptyStore } from './fileModels/storeShape'
import { mainMounts } from './mounts'
import { sdk } from './sdk'

/**
 * Runs `spark-control <args>` (or another program of the image's environment) in a
 * temporary subcontainer on the service volume, as the gateway's user and with the
 * gateway's own environment, so actions see the same data and settings as the daemon,
 * running or not. Fails with the command's last error line.
 */
export async function runGatewayCommand(
  effects: T.Effects,
  name: string,
  argv: string[],
): Promise<string> {
  const store = (await storeJson.read().once()) ?? emptyStore
  return sdk.SubContainer.withTemp(effects, { imageId }, mainMounts(), name, async (sub) => {
    // The volume is created by root; the gateway's files must stay its own.
    await sub.execFail(['/bin/chown', `${appUser}:${appUser}`, dataDir], { user: 'root' })
    const result = await sub.exec([`${venvBin}/${argv[0]}`, ...argv.slice(1)], {
      user: appUser,
      env: daemonEnv(store, { hostnames: [], origins: [] }),
    })
    if (result.exitCode !== 0) {
      const lines = String(result.stderr).trim().split('\n')
      throw new Error(lines[lines.length - 1] || `${argv.join(' ')} failed (${result.exitCode})`)
    }
    return String(result.stdout).trim()
  })
}
