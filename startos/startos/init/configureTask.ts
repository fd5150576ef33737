import { configureSparks } from '../actions/configureSparks'
import { firstNodeConfigured } from '../env'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'

// Until the first node is configured there is nothing to control: a critical task
// keeps the service from starting and points the owner at "Configure Sparks".
export const configureTask = sdk.setupOnInit(async (effects) => {
  const store = await storeJson.read().const(effects)
  if (!store || !firstNodeConfigured(store)) {
    await sdk.action.createOwnTask(effects, configureSparks, 'critical', {
      reason: 'Enter the address and SSH user of at least your first GPU node',
    })
  }
})
